"""The public pages in a real browser: charts and maps drawn by the offline bundle, no console errors.

Screenshots of every page in Polish and English go to test-artifacts/screenshots/ (kept by CI, ignored by git).
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
LINE_MARK = '[aria-roledescription="line mark"]'


def _open(page, site_url: str, path: str, language: str) -> list[str]:
    """Open `path` in `language`; returns every URL the page requested."""
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + path)
    return requested


def _screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_indicator_page_draws_the_chart_and_the_map(site_url, page, language):
    requested = _open(page, site_url, "/indicators/own-revenues-per-capita/", language)
    page.wait_for_selector('#chart-lines[data-drawn="true"] svg.marks', timeout=20000)
    page.wait_for_selector('#chart-map[data-drawn="true"] svg.marks', timeout=20000)
    # 15 member lines and the metropolis line; 15 member tiles and 8 neighbouring gminy on the tile grid.
    assert page.locator(f"#chart-lines svg.marks {LINE_MARK}").count() == 16
    assert page.locator('#chart-map svg.marks [aria-roledescription="rect mark"]').count() == 23
    notice = "Dane demonstracyjne" if language == "pl" else "Demonstration data"
    assert notice in page.locator("#chart-lines svg.marks").text_content()
    assert notice in page.locator("#chart-map svg.marks").text_content()
    assert all(url.startswith(site_url) for url in requested), "nothing may come from the internet"
    _screenshot(page, f"indicator-{language}")
    assert page.problems == []


@pytest.mark.parametrize("language", ["pl", "en"])
def test_map_areas_are_reached_with_the_keyboard_and_missing_values_are_hatched(site_url, page, language):
    _open(page, site_url, "/indicators/own-revenues-per-capita/", language)
    page.wait_for_selector('#chart-map[data-drawn="true"] svg.marks', timeout=20000)
    # The legend's "no data" entry at least carries the hatch (so would any member without a value).
    assert page.locator('#chart-map svg [fill="url(#chart-map-hatch)"]').count() >= 1
    assert page.locator('#chart-map svg [fill="#d4d8dd"]').count() == 0
    areas = page.locator('#chart-map svg [role="graphics-symbol"][tabindex="0"]')
    assert areas.count() == 15  # the members; the 8 neighbours outside the association hold no value
    tip = page.locator(".map-tip")
    page.locator("#year").focus()
    for _ in range(40):  # Tab on until the focus reaches the map
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#chart-map') !== null"):
            break
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert tip.is_visible() and tip.inner_text() == label and ": " in label
    page.keyboard.press("Tab")
    assert tip.inner_text() != label and tip.is_visible()
    page.keyboard.press("Escape")
    assert not tip.is_visible()
    _screenshot(page, f"indicator-map-keyboard-{language}")
    assert page.problems == []


def test_a_gmina_can_be_highlighted_on_the_line_chart(site_url, page):
    _open(page, site_url, "/indicators/own-revenues-per-capita/", "pl")
    page.wait_for_selector('#chart-lines[data-drawn="true"] svg.marks', timeout=20000)
    highlighted = f'#chart-lines svg.marks {LINE_MARK}[stroke="#c05600"]'
    assert page.locator(highlighted).count() == 0
    page.locator("#chart-lines .vega-bind select").select_option("Wieliczka")
    page.wait_for_selector(highlighted, timeout=5000)
    assert page.locator(highlighted).count() == 1
    assert page.problems == []


@pytest.mark.parametrize("language", ["pl", "en"])
def test_municipality_page(site_url, page, language):
    _open(page, site_url, "/units/wieliczka/", language)
    assert page.locator("h1").inner_text() == "Wieliczka"
    assert page.locator("table.profile").count() == 8
    assert page.locator("svg.spark path").count() > 80
    heading = "na tle metropolii" if language == "pl" else "against the metropolis"
    assert heading in page.locator("table.profile caption").first.inner_text()
    _screenshot(page, f"municipality-{language}")
    assert page.problems == []


@pytest.mark.parametrize("language", ["pl", "en"])
def test_home_and_lists(site_url, page, language):
    _open(page, site_url, "/", language)
    assert page.locator(".cards.domains > li").count() == 7
    assert page.locator(".demo-notice").is_visible()
    _screenshot(page, f"home-{language}")
    page.goto(site_url + "/indicators/?domain=mobility")
    assert page.locator("table.catalogue").count() == 1
    page.goto(site_url + "/units/")
    assert page.locator("table.units tbody tr").count() == 15
    assert page.problems == []
