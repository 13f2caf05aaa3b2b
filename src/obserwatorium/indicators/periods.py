"""Periods: years (YYYY), quarters (YYYY-Qn) and months (YYYY-MM), and inclusive ranges over them."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from obserwatorium.vocabulary import parse_period


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
