"""A printed indicator, gmina or report page: the content alone (no header, navigation, footer, skip link, filters
or buttons), its charts kept as drawn."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CHARTS_SETTLED = "() => [...document.querySelectorAll('[data-spec]')].every(c => c.dataset.drawn)"
NOT_PRINTED = ["header.site-header", "nav.main-nav", "footer.site-footer", ".skip-link", "nav.breadcrumbs",
               "form.filters", "main button"]


@pytest.mark.parametrize("path", ["/indicators/population/", "/units/biskupice/", "/reports/annual/2022/"])
def test_a_printed_page_shows_its_content_without_the_sites_navigation(site_url, page, path):
    page.goto(site_url + path, wait_until="networkidle")
    page.wait_for_function(CHARTS_SETTLED)
    page.emulate_media(media="print")
    shown = {selector: page.locator(selector).first.is_visible() for selector in NOT_PRINTED
             if page.locator(selector).count()}
    assert "nav.main-nav" in shown and not any(shown.values()), shown
    assert page.locator("main h1").is_visible()
    charts = page.locator("main .chart svg")
    assert charts.count() == 0 or charts.first.is_visible()
    color = page.evaluate("getComputedStyle(document.body).color")
    assert color == "rgb(0, 0, 0)"
