"""The grid's Polish number input: what it accepts (property: every number as Polish writes it reads back) and
what it refuses, with the reason the message gives."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from obserwatorium.collection import number_input
from obserwatorium.collection.number_input import NumberRefused, parse_number
from obserwatorium.numbers import format_number


@pytest.mark.parametrize(("text", "value"), [
    ("1 234,5", "1234.5"), ("1234,5", "1234.5"), ("-3", "-3"), ("0,25", "0.25"), ("1\u00a0234,5", "1234.5"),
    ("1\u202f234\u202f567", "1234567"), ("  42  ", "42"), ("\u22127,5", "-7.5"), ("+12", "12"), ("-0", "0"),
    ("007", "7"),
])
def test_accepts_what_a_polish_official_types(text, value):
    assert parse_number(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "   ", "\u00a0"])
def test_a_blank_cell_is_no_value(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(("text", "reason"), [
    ("1.234,5.6", number_input.DOT), ("1.5", number_input.DOT), ("1.234", number_input.DOT),
    ("12,3,4", number_input.COMMAS), ("abc", number_input.NOT_A_NUMBER), ("1e5", number_input.EXPONENT),
    ("2,5E-3", number_input.EXPONENT), ("12 34", number_input.GROUPING), ("1 2345", number_input.GROUPING),
    ("1 234\u00a0567", number_input.GROUPING), ("1,", number_input.NOT_A_NUMBER), (",5", number_input.NOT_A_NUMBER),
    ("--3", number_input.NOT_A_NUMBER), ("12 zł", number_input.NOT_A_NUMBER), ("inf", number_input.NOT_A_NUMBER),
    ("1" * 16, number_input.DIGITS),
])
def test_refuses_with_a_reason(text, reason):
    with pytest.raises(NumberRefused) as refused:
        parse_number(text)
    assert refused.value.reason == reason


@given(st.decimals(min_value=-10**11, max_value=10**11, places=3, allow_nan=False, allow_infinity=False),
       st.integers(min_value=0, max_value=3))
@example(Decimal("1234.5"), 1)
def test_every_number_as_polish_writes_it_reads_back(value, decimals):
    """What the site prints in Polish (no-break spaces between thousands, decimal comma) is what the grid reads
    (up to 15 significant digits)."""
    rounded = value.quantize(Decimal(1).scaleb(-decimals))
    text = format_number(rounded, language="pl", decimals=decimals)
    assert parse_number(text) == rounded
    assert parse_number(text.replace("\u00a0", " ")) == rounded  # typed with ordinary spaces
    assert parse_number(text.replace("\u00a0", "")) == rounded  # or without any


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=999),
       st.integers(min_value=0, max_value=999))
def test_a_second_comma_or_a_dot_is_always_refused(whole, first, second):
    for text in (f"{whole},{first},{second}", f"{whole}.{first},{second}", f"{whole},{first}.{second}"):
        with pytest.raises(NumberRefused):
            parse_number(text)


@given(st.text(alphabet=st.characters(categories=["L"]), min_size=1, max_size=5), st.integers(0, 9999))
def test_letters_are_always_refused(letters, number):
    for text in (letters, f"{number}{letters}", f"{letters}{number}"):
        with pytest.raises(NumberRefused):
            parse_number(text)
