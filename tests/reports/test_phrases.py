"""Counted phrases: Babel's plural categories choose the form; stated aggregates keep their qualifier."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.reports.phrases import count, format_amount, plural_category, qualified_amount


def _polish_category(n: int) -> str:
    if n == 1:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


@given(st.integers(min_value=0, max_value=10**6))
def test_polish_plural_categories_follow_the_rule(n):
    assert plural_category(n, language="pl") == _polish_category(n)


@given(st.integers(min_value=0, max_value=999))
def test_polish_meeting_forms_follow_the_category(n):
    form = {"one": "spotkanie", "few": "spotkania", "many": "spotkań"}[_polish_category(n)]
    assert count(n, "meeting", language="pl") == f"{n} {form}"


@given(st.integers(min_value=0, max_value=999))
def test_english_has_one_and_other(n):
    assert count(n, "meeting", language="en") == (f"{n} meeting" if n == 1 else f"{n} meetings")


@pytest.mark.parametrize(("n", "noun", "expected"), [
    (1, "forum", "1 forum"), (2, "forum", "2 fora"), (11, "forum", "11 forów"),
    (1, "meeting", "1 spotkanie"), (3, "meeting", "3 spotkania"), (34, "meeting", "34 spotkania"),
    (80, "meeting", "80 spotkań"), (12, "meeting", "12 spotkań"), (22, "meeting", "22 spotkania"),
    (1, "new-partner", "1 nowy partner"), (2, "new-partner", "2 nowi partnerzy"),
    (5, "new-partner", "5 nowych partnerów"), (15, "new-partner", "15 nowych partnerów"),
    (1, "partner-joined", "dołączył 1 nowy partner"), (3, "partner-joined", "dołączyli 3 nowi partnerzy"),
    (15, "partner-joined", "dołączyło 15 nowych partnerów"),
])
def test_polish_golden_examples(n, noun, expected):
    assert count(n, noun, language="pl") == expected


def test_stated_aggregates_are_said_as_such():
    assert count(80, "meeting", language="pl", qualifier="more-than") == "ponad 80 spotkań"
    assert count(80, "meeting", language="en", qualifier="more-than") == "more than 80 meetings"
    assert count(2, "meeting", language="pl", qualifier="about") == "około 2 spotkań"  # około + genitive
    assert count(34, "meeting", language="pl") == "34 spotkania"


def test_large_numbers_in_prose():
    assert format_amount(2500, language="pl") == "2,5\u00a0tys."
    assert format_amount(2500, language="en") == "2.5 thousand"
    assert format_amount(1_200_000, language="pl") == "1,2\u00a0mln"
    assert count(2500, "meeting", language="pl") == "2,5\u00a0tys. spotkań"
    assert qualified_amount(2500, language="pl", qualifier="about") == "około 2,5\u00a0tys."
    assert format_amount(999, language="pl") == "999"
