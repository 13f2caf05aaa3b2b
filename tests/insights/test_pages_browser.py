"""Analytics pages in a real browser: they render, switch language and load without console errors."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/analytics/rankings/?indicator=unemployed-share-working-age",
                                  "/analytics/indices/index-overall/", "/analytics/progress/",
                                  "/analytics/open-data/"])
def test_analytics_pages_render_in_both_languages(site_url, page, path):
    page.goto(site_url + "/", wait_until="networkidle")
    for language, heading_word in (("pl", "Rankingi"), ("en", "Rankings")):
        page.select_option("#language-select", language)
        with page.expect_navigation():
            page.click(".lang-switch button")
        page.goto(site_url + path, wait_until="networkidle")
        assert page.locator("h1").count() == 1
        assert page.locator(".insights-nav").inner_text().startswith(heading_word)
        assert page.locator("table caption").count() >= 1 or path.endswith("open-data/")
    assert page.problems == []


def test_ranking_form_changes_the_table(site_url, page):
    page.goto(site_url + "/analytics/rankings/", wait_until="networkidle")
    page.select_option("#id_indicator", "population")
    page.select_option("#id_group", "type:urban-rural")
    with page.expect_navigation():
        page.click(".insights-form button")
    assert page.locator("table.ranking tbody tr").count() == 4
    assert page.problems == []
