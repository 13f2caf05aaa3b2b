"""The registry pages in a real browser, in Polish and English: they render the 2022 facts with their source and
raise no console errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    ("/strategy/", {"pl": "Strategia Metropolia Krakowska 2030", "en": "Kraków Metropolis Strategy 2030"}),
    ("/forums/", {"pl": "ponad 80 razy", "en": "more than 80 times"}),
    ("/forums/komunikacja-i-promocja/", {"pl": "Forum Komunikacji i Promocji", "en": "Communication and Promotion"}),
    ("/projects/", {"pl": "około 2\u00a0500", "en": "about 2,500"}),
    ("/projects/eko-team/", {"pl": "Wymienione kopciuchy", "en": "Replaced \"kopciuchy\""}),
    ("/documents/", {"pl": "Strategia ZIT do 2027 r.", "en": "ZIT strategy to 2027"}),
    ("/documents/plan-dzialan-zagospodarowanie-przestrzenne/", {"pl": "grudzień 2022", "en": "December 2022"}),
    ("/partners/", {"pl": "15 nowych partnerów", "en": "15 new partners"}),
    ("/events/", {"pl": "Wydarzenia kulturalne w gminach członkowskich", "en": "Culture events in the member gminy"}),
]
SOURCE = "Moc efektów: podsumowanie działań w 2022 r."


def _screenshot_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OBS_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(("path", "facts"), PAGES, ids=[p for p, _ in PAGES])
def test_registry_page_renders_without_errors(site_url, page, tmp_path, language, path, facts):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
    response = page.goto(site_url + path)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    text = page.locator("main").inner_text()
    assert facts[language] in text
    if path not in ("/events/",):
        assert SOURCE in text
    name = path.strip("/").replace("/", "-") or "home"
    page.screenshot(path=str(_screenshot_dir(tmp_path) / f"{name}-{language}.png"), full_page=True)
    assert page.problems == []


def test_navigation_reaches_the_registries(site_url, page):
    page.goto(site_url + "/")
    for name in ("/strategy/", "/forums/", "/projects/", "/partners/", "/documents/", "/events/"):
        assert page.locator(f'nav a[href="{name}"]').count() == 1, name
    page.locator('nav a[href="/forums/"]').click()
    page.wait_for_url(site_url + "/forums/")
    assert page.locator('nav a[aria-current="page"]').get_attribute("href") == "/forums/"
    assert page.problems == []


def test_project_filters_work_in_the_browser(site_url, page):
    page.context.add_cookies([{"name": "django_language", "value": "pl", "url": site_url}])
    page.goto(site_url + "/projects/")
    page.select_option("#id_status", "completed")
    page.get_by_role("button", name="Filtruj").click()
    page.wait_for_url("**status=completed**")
    assert page.locator(".record-list > li").count() == 1
    assert "RiConnect" in page.locator(".record-list").inner_text()
    assert page.problems == []
