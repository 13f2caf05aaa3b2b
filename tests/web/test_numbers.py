"""Numbers as each language writes them, in tables (Babel) and in charts (the d3 locale of the spec)."""

from __future__ import annotations

import pytest
import vl_convert

from obserwatorium.web.numbers import d3_locale, format_number, format_stated

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "decimals", "language", "expected"), [
    (1234567.891, 2, "pl", f"1{NBSP}234{NBSP}567,89"),
    (1234567.891, 2, "en", "1,234,567.89"),
    (0.5, 0, "en", "0"),  # half to even, as Python rounds
    (12.345, 1, "pl", "12,3"),
    (-0.04, 1, "pl", "0,0"),  # never "-0,0"
    (None, 1, "pl", "—"),
])
def test_format_number(value, decimals, language, expected):
    assert format_number(value, decimals=decimals, language=language) == expected


def test_signed_numbers_show_the_plus():
    assert format_number(1200, language="pl", signed=True) == f"+1{NBSP}200"
    assert format_number(-3.5, decimals=1, language="en", signed=True) == "-3.5"
    assert format_number(0, language="en", signed=True) == "0"


def test_stated_figures_keep_their_own_decimals():
    assert format_stated(72.03, language="pl") == "72,03"
    assert format_stated(100.1, language="en") == "100.1"


def test_the_chart_locale_matches_the_table_format():
    spec = {
        "data": {"values": [{"v": 1234.5}]}, "mark": "text",
        "encoding": {"text": {"field": "v", "type": "quantitative", "format": ",.1f"}},
        "config": {"locale": {"number": d3_locale("pl")}},
    }
    svg = vl_convert.vegalite_to_svg(spec)
    assert format_number(1234.5, decimals=1, language="pl") in svg.replace("&#160;", NBSP).replace("&nbsp;", NBSP)
    assert d3_locale("en")["decimal"] == "." and d3_locale("en")["thousands"] == ","
