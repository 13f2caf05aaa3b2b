"""The report page as HTML: the demo notice at the top, above the title, and a print stylesheet that prints the
report alone (its accessibility is checked with axe in tests/web/test_accessibility_browser.py)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "notice"), [("pl", "Dane demonstracyjne, a nie oficjalne statystyki."),
                                                  ("en", "Demonstration data, not official statistics.")])
def test_the_demo_notice_stands_above_the_reports_title(client, language, notice):
    client.cookies["django_language"] = language
    html = client.get("/reports/annual/2022/").content.decode()
    assert 'class="demo-notice"' in html and notice in html
    assert html.index('class="demo-notice"') < html.index("<h1")
    # Each table scrolls inside a region named by its caption, reachable by keyboard.
    assert re.search(r'<div class="table-scroll" role="region" aria-label="[^"]+" tabindex="0"><table', html)


def test_the_print_stylesheet_prints_the_report_alone():
    css = open(finders.find("reports/reports.css"), encoding="utf-8").read()
    printed = css[css.index("@media print"):]
    for hidden in (".site-header", ".site-footer", ".breadcrumbs", ".vega-embed details"):
        assert hidden in printed.split("display: none")[0]
    assert "break-inside: avoid" in printed and "table-header-group" in printed
