"""Numbers as each language writes them, in tables (Babel) and in charts (the d3 locale of the spec); one formatter
and one template filter for all of it."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import vl_convert
from hypothesis import given
from hypothesis import strategies as st

import obserwatorium
from obserwatorium.numbers import MISSING, d3_locale, format_number, number_formatter

NBSP = "\u00a0"


@pytest.mark.parametrize(("value", "decimals", "language", "expected"), [
    (1234567.891, 2, "pl", f"1{NBSP}234{NBSP}567,89"),
    (1234567.891, 2, "en", "1,234,567.89"),
    (0.5, 0, "en", "1"),  # half away from zero, as the charts (d3-format, toFixed) round
    (2.5, 0, "pl", "3"),
    (-2.5, 0, "pl", "-3"),
    (2.675, 2, "pl", "2,67"),  # the double below 2.675, as toFixed reads it
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
    assert format_number(72.03, decimals=3, trim=True, language="pl") == "72,03"
    assert format_number(100.1, decimals=3, trim=True, language="en") == "100.1"
    assert format_number(100.0, decimals=3, trim=True, language="pl") == "100"


def test_every_digit_unrounded_and_grouping_left_out_on_request():
    assert format_number(1234.56789, decimals=None, language="pl") == f"1{NBSP}234,56789"
    assert format_number(1234.5, decimals=None, language="en", grouping=False) == "1234.5"
    assert format_number(None, decimals=None) == MISSING


def test_the_chart_locale_matches_the_table_format():
    spec = {
        "data": {"values": [{"v": 1234.5}]}, "mark": "text",
        "encoding": {"text": {"field": "v", "type": "quantitative", "format": ",.1f"}},
        "config": {"locale": {"number": d3_locale("pl")}},
    }
    svg = vl_convert.vegalite_to_svg(spec)
    assert format_number(1234.5, decimals=1, language="pl") in svg.replace("&#160;", NBSP).replace("&nbsp;", NBSP)
    assert d3_locale("en")["decimal"] == "." and d3_locale("en")["thousands"] == ","


FINITE = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)
PLACES = st.integers(min_value=0, max_value=4)


def _read(text: str, language: str) -> Decimal:
    """The number a reader sees in `text` (separators of `language` removed)."""
    if language == "pl":
        return Decimal(text.replace(NBSP, "").replace(",", "."))
    return Decimal(text.replace(",", ""))


@given(FINITE, PLACES, st.sampled_from(["pl", "en"]))
def test_the_text_reads_back_as_the_value_rounded_half_away_from_zero(value, decimals, language):
    expected = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = format_number(value, decimals=decimals, language=language)
    assert _read(text, language) == expected
    assert not text.startswith("-") or expected < 0  # never "-0"
    fraction = text.rpartition("," if language == "pl" else ".")[2] if decimals else ""
    assert len(fraction) == decimals


@given(FINITE, PLACES, st.sampled_from(["pl", "en"]))
def test_negatives_mirror_positives_and_the_sign_is_shown_on_request(value, decimals, language):
    shown = format_number(abs(value), decimals=decimals, language=language)
    negative = format_number(-abs(value), decimals=decimals, language=language)
    assert negative in (shown, "-" + shown)
    signed = format_number(abs(value), decimals=decimals, language=language, signed=True)
    assert signed == ("+" + shown if _read(shown, language) > 0 else shown)


@given(FINITE, PLACES)
def test_polish_groups_thousands_with_a_no_break_space_and_writes_a_decimal_comma(value, decimals):
    text = format_number(value, decimals=decimals, language="pl")
    assert "." not in text and " " not in text
    whole = text.lstrip("-").partition(",")[0]
    assert re.fullmatch(r"\d{1,3}(\u00a0\d{3})*", whole)


@given(FINITE, PLACES)
def test_trimmed_numbers_pad_no_zeros(value, decimals):
    text = format_number(value, decimals=decimals, trim=True, language="pl")
    assert not ("," in text and text.endswith("0")) and not text.endswith(",")
    assert _read(text, "pl") == _read(format_number(value, decimals=decimals, language="pl"), "pl")


@given(st.one_of(FINITE, st.sampled_from([float("inf"), float("-inf"), float("nan"), -0.0]),
                 st.integers(-10**15, 10**15), st.none()),
       PLACES, st.booleans(), st.sampled_from(["pl", "en"]))
def test_the_bound_formatter_writes_what_format_number_writes(value, decimals, trim, language):
    """`number_formatter` (bound once, for a table of thousands of rows) is `format_number`, value for value."""
    bound = number_formatter(language=language, decimals=decimals, trim=trim)
    assert bound(value) == format_number(value, language=language, decimals=decimals, trim=trim)


@pytest.mark.parametrize(("value", "decimals", "trim", "language"), [
    (1234567.891, 2, False, "pl"), (2.675, 2, False, "en"), (-0.04, 1, False, "pl"), (0.5, 0, False, "en"),
    (72.03, 3, True, "pl"), (100.0, 3, True, "en"), (-1234.5, 0, False, "pl"), (None, 1, False, "pl"),
])
def test_the_bound_formatter_on_the_boundaries(value, decimals, trim, language):
    bound = number_formatter(language=language, decimals=decimals, trim=trim)
    assert bound(value) == format_number(value, language=language, decimals=decimals, trim=trim)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_missing_value_is_a_dash(language):
    assert format_number(None, language=language) == MISSING == "—"
    assert format_number(float("nan"), language=language) == MISSING


# Every other way of writing a number in a template: Django's filters and the filters this project once had.
OTHER_NUMBER_FILTERS = re.compile(r"\|\s*(floatformat|intcomma|intword|stringformat|localize|stated)\b"
                                  r"|\{%\s*load[^%]*\b(humanize|l10n)\b")


def test_templates_show_numbers_only_through_the_one_number_filter():
    """The `number` filter (web/templatetags/observatory.py) is the one path; the admin's own templates aside."""
    root = Path(obserwatorium.__file__).parent
    offenders = [f"{path.relative_to(root)}:{number}: {line.strip()[:80]}"
                 for path in root.rglob("*.html") if "/templates/admin/" not in path.as_posix()
                 and path.name != "admin_delete_counts.html"
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if OTHER_NUMBER_FILTERS.search(line)]
    assert offenders == []


def test_one_template_library_defines_a_number_filter():
    root = Path(obserwatorium.__file__).parent
    libraries = [path.relative_to(root).as_posix() for path in root.glob("*/templatetags/*.py")
                 if re.search(r"^def (number|stated|format_\w+)\(", path.read_text(encoding="utf-8"), re.MULTILINE)]
    assert libraries == ["web/templatetags/observatory.py"]
