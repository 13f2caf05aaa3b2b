"""A browse page in a real browser: a facet's link filters, a header sorts, the back button returns, and the
page meets WCAG 2.1 AA at desktop and phone widths (axe-core, offline)."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.web.test_accessibility_browser import WCAG_21_AA

pytestmark = pytest.mark.browser


def test_facets_sort_and_back_button_without_script(site_url, browser):
    context = browser.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=False)
    context.add_cookies([{"name": "django_language", "value": "pl", "url": site_url}])
    page = context.new_page()
    page.goto(site_url + "/browse/observations/")
    total = page.locator(".result-count").inner_text()
    page.locator("#facet-domain + ul a").first.click()
    assert "domain=" in page.url and page.locator(".chip").count() == 2  # the chip and "clear every filter"
    assert page.locator(".result-count").inner_text() != total
    page.locator("th a", has_text="Wartość").click()
    assert "sort=value" in page.url
    assert page.locator('th[aria-sort="ascending"]').inner_text().startswith("Wartość")
    page.go_back()
    assert "sort=" not in page.url and "domain=" in page.url
    page.locator(".chip").first.click()
    assert page.locator(".result-count").inner_text() == total
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_browse_page_meets_wcag_21_aa(site_url, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": "django_language", "value": "pl", "url": site_url}])
    page = context.new_page()
    page.goto(site_url + "/browse/projects/?status=ongoing&sort=-budget", wait_until="networkidle")
    found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    assert [v["id"] for v in found] == []
    scroll, viewport = page.evaluate("() => [document.documentElement.scrollWidth, "
                                     "document.documentElement.clientWidth]")
    assert scroll <= viewport
    context.close()
