"""Periods: years (YYYY), quarters (YYYY-Qn) and months (YYYY-MM), and inclusive ranges over them."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Q

PERIOD_PATTERN = re.compile(r"(?P<year>\d{4})(?:-(?:Q(?P<quarter>[1-4])|(?P<month>0[1-9]|1[0-2])))?", re.ASCII)


def parse_period(period: str) -> tuple[int, int, int]:
    """(year, first month, last month) of a period; ValueError when it is not YYYY, YYYY-Qn or YYYY-MM."""
    match = PERIOD_PATTERN.fullmatch(period)
    if match is None:
        raise ValueError(f"period {period!r} is not YYYY, YYYY-Qn or YYYY-MM")
    year = int(match["year"])
    if match["quarter"]:
        quarter = int(match["quarter"])
        return year, 3 * quarter - 2, 3 * quarter
    if match["month"]:
        month = int(match["month"])
        return year, month, month
    return year, 1, 12


def period_bounds(period: str) -> tuple[date, date]:
    """First and last month of a period, as the first day of each month."""
    year, first, last = parse_period(period)
    return date(year, first, 1), date(year, last, 1)


def _months(year: int, low: int, high: int) -> Q:
    return Q(period__gte=f"{year}-{low:02d}", period__lte=f"{year}-{high:02d}")


def _quarters(year: int, low: int, high: int) -> Q:
    if low > high:
        return Q(pk__in=[])
    return Q(period__gte=f"{year}-Q{low}", period__lte=f"{year}-Q{high}")


def period_from_filter(period: str) -> Q:
    """Periods that start on or after the start of `period`."""
    year, first, _ = parse_period(period)
    later_years = Q(period__gte=str(year + 1))
    if first == 1:
        return Q(period__gte=str(year))
    first_quarter = (first + 1) // 3 + 1  # the first quarter starting at or after month `first`
    return later_years | _months(year, first, 12) | _quarters(year, first_quarter, 4)


def period_to_filter(period: str) -> Q:
    """Periods that end on or before the end of `period`."""
    year, _, last = parse_period(period)
    if last == 12:
        return Q(period__lte=f"{year}~")  # '~' sorts after every "YYYY-…" suffix
    earlier_years = Q(period__lt=str(year))
    return earlier_years | _months(year, 1, last) | _quarters(year, 1, last // 3)
