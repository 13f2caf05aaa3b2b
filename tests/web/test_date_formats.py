"""Dates are unambiguous in both languages: "1 Dec 2026" / "1 grudnia 2026", never "12/01/2026"."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import formats, translation


@pytest.mark.parametrize(("language", "name", "expected"), [
    ("en", "SHORT_DATE_FORMAT", "1 Dec 2026"), ("en", "DATE_FORMAT", "1 December 2026"),
    ("pl", "DATE_FORMAT", "1 grudnia 2026")])
def test_dates_read_without_guessing_the_order(language, name, expected):
    with translation.override(language):
        assert formats.date_format(date(2026, 12, 1), name) == expected


def test_english_date_and_time_has_the_day_first():
    with translation.override("en"):
        assert formats.date_format(datetime(2026, 12, 1, 18, 30), "SHORT_DATETIME_FORMAT") == "1 Dec 2026, 18:30"
