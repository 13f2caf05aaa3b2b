"""The home page in a real browser: it renders the domains without console errors."""

import pytest

pytestmark = pytest.mark.browser


def test_home_page_lists_strategy_domains(site_url, page):
    page.goto(site_url + "/")
    assert page.locator("h1").count() == 1
    assert page.locator(".cards.domains > .card").count() == 7
    assert page.problems == []
