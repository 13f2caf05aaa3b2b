"""WCAG 2.1 A and AA checks (axe-core, run offline in Debian chromium) on every key page, as people see them.

Public pages are checked in Polish and the main ones in English; the staff forms with a signed-in session. The
Django admin's own widgets are left out: their markup is Django's (see docs/architecture.md).
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import signed_in

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}

PUBLIC = [
    "/", "/indicators/", "/indicators/own-revenues-per-capita/", "/indicators/population/", "/units/",
    "/units/biskupice/", "/units/krakow/", "/analytics/rankings/", "/analytics/comparison/",
    "/analytics/aggregates/", "/analytics/indices/", "/analytics/indices/index-overall/", "/analytics/progress/",
    "/analytics/open-data/", "/strategy/", "/forums/", "/forums/komunikacja-i-promocja/", "/projects/",
    "/projects/comanage/", "/partners/", "/events/", "/admin/login/", "/sign-in/",
    "/reports/", "/reports/annual/2022/", "/reports/monitoring/2022/", "/domains/environment-space/", "/search/?q=eduk",
    "/reports/card/1206113/", "/reports/annex/1206113/2023/",  # a member's card and annex (Skawina)
    "/accessibility/",
    "/compare/?units=1261011,1219053,1206113&domain=economy&group=members", "/compare/?units=1261011,1261011x",
    "/forums/meetings/", "/documents/",
    "/browse/", "/browse/observations/?domain=economy&year=2021&sort=-value", "/browse/projects/",
]
IN_ENGLISH_TOO = ["/", "/indicators/own-revenues-per-capita/", "/units/biskupice/", "/analytics/rankings/",
                  "/strategy/", "/projects/", "/reports/", "/reports/annual/2022/", "/reports/monitoring/2022/",
                  "/reports/card/1206113/", "/reports/annex/1206113/2023/", "/accessibility/",
                  "/compare/?units=1261011,1219053,1206113&domain=economy&group=members",
                  "/browse/observations/?domain=economy&year=2021&sort=-value"]
STAFF = ["/import/", "/strategy/progress/upload/", "/events/new/", "/forums/komunikacja-i-promocja/meetings/new/",
         "/my/", "/my/e-mails/", "/events/mine/", "/events/moderation/", "/collection/", "/collection/new/",
         "/documents/new/", "/news/new/"]

# The elements reaching past the right edge outside any frame of their own: what a failing reflow check names.
WIDEST = """() => [...document.querySelectorAll('body *')].filter(e => {
  if (e.getBoundingClientRect().right <= document.documentElement.clientWidth + 1) return false;
  for (let a = e.parentElement; a; a = a.parentElement) {
    if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return false;
  }
  return true;
}).slice(0, 5).map(e => `${e.tagName}.${e.className} ends at ${Math.round(e.getBoundingClientRect().right)} px`)"""
CHARTS_SETTLED = "() => [...document.querySelectorAll('[data-spec]')].every(c => c.dataset.drawn)"


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def violations(axe: Axe, page) -> list[str]:
    """Each WCAG 2.1 A/AA violation on the page as 'rule (impact): help — first elements'."""
    page.wait_for_function(CHARTS_SETTLED)  # charts are drawn after load: check what a person finally sees
    found = axe.run(page, options=WCAG_21_AA).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in found]


@pytest.mark.parametrize(("path", "language"), [(path, "pl") for path in PUBLIC]
                         + [(path, "en") for path in IN_ENGLISH_TOO])
def test_public_page_meets_wcag_21_aa(site_url, page, axe, path, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert violations(axe, page) == []
    assert page.problems == []


@pytest.mark.parametrize("path", PUBLIC)
def test_public_page_reflows_at_320_css_pixels(site_url, page, path):
    """WCAG 1.4.10 Reflow: at 320 px (400 % zoom of 1280 px) the page never scrolls sideways; wide tables and
    the map scroll inside their own frame, which the criterion allows."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.context.add_cookies([{"name": "django_language", "value": "pl", "url": site_url}])
    page.goto(site_url + path, wait_until="networkidle")
    page.wait_for_function(CHARTS_SETTLED)
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, "
                                    "document.documentElement.clientWidth]")
    assert width <= viewport, page.evaluate(WIDEST)
    assert page.problems == []


@pytest.mark.served_only  # a signed-in request refreshes its session: the site writes, so no test transaction
@pytest.mark.parametrize("path", STAFF)
def test_staff_form_meets_wcag_21_aa(site_url, page, axe, staff_session, path):
    response = signed_in(page, site_url, staff_session, "pl").goto(site_url + path, wait_until="networkidle")
    assert response.status == 200 and "/login" not in page.url
    assert violations(axe, page) == []
    assert page.problems == []


def _tab_until(page, predicate: str, limit: int = 80) -> bool:
    """Press Tab until the focused element satisfies the JavaScript `predicate` (given as `e => …`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({predicate})(document.activeElement)"):
            return True
    return False


def test_keyboard_alone_skips_to_the_content_and_reaches_the_chart_controls(site_url, page):
    page.context.add_cookies([{"name": "django_language", "value": "pl", "url": site_url}])
    page.goto(site_url + "/indicators/own-revenues-per-capita/", wait_until="networkidle")
    page.wait_for_function(CHARTS_SETTLED)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # on screen once focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # From the content, Tab reaches the chart's gmina picker and the scrollable values table.
    assert _tab_until(page, "e => e.closest('.vega-bind') !== null")
    assert _tab_until(page, "e => e.classList.contains('table-scroll')")
    assert page.problems == []


def test_keyboard_alone_switches_the_language(site_url, page):
    page.context.add_cookies([{"name": "django_language", "value": "pl", "url": site_url}])
    page.goto(site_url + "/", wait_until="networkidle")
    assert _tab_until(page, "e => e.id === 'language-select'", limit=10)
    page.keyboard.press("ArrowDown" if page.input_value("#language-select") == "pl" else "ArrowUp")
    assert page.input_value("#language-select") == "en"
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.problems == []
