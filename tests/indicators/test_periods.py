"""Period ranges: a period is in [from, to] when it starts no earlier than `from` and ends no later than `to`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from obserwatorium.indicators.models import Observation
from obserwatorium.indicators.periods import period_bounds, period_from_filter, period_to_filter
from obserwatorium.vocabulary import parse_period

years = st.integers(2018, 2021)
periods = st.one_of(
    years.map(str),
    st.tuples(years, st.integers(1, 4)).map(lambda t: f"{t[0]}-Q{t[1]}"),
    st.tuples(years, st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
)


def _matches(q, period: str) -> bool:
    """Evaluate the filter's string comparisons in Python, as the database does."""
    connector_any = q.connector == "OR"
    results = []
    for child in q.children:
        if hasattr(child, "children"):
            results.append(_matches(child, period))
            continue
        lookup, value = child
        if lookup == "pk__in":
            results.append(False)
            continue
        op = lookup.split("__")[1]
        results.append({"gte": period >= value, "lte": period <= value, "lt": period < value}[op])
    outcome = any(results) if connector_any else all(results)
    return not outcome if q.negated else outcome


@settings(max_examples=400)
@given(periods, periods)
def test_range_filters_follow_calendar_semantics(period, bound):
    start, end = period_bounds(period)
    bound_start, bound_end = period_bounds(bound)
    assert _matches(period_from_filter(bound), period) == (start >= bound_start)
    assert _matches(period_to_filter(bound), period) == (end <= bound_end)


@pytest.mark.parametrize("text", ["2020-13", "2020-Q5", "20", "2020-1", "2020Q1", "abcd", "",
                                  "\u0661\u0662\u0663\u0664", "2020\n"])
def test_malformed_periods_are_refused(text):
    with pytest.raises(ValueError):
        parse_period(text)


@pytest.mark.django_db
def test_filters_run_on_the_database():
    population = Observation.objects.filter(indicator__code="population", unit__teryt="1206172")
    assert sorted(population.filter(period_from_filter("2012"), period_to_filter("2013"))
                  .values_list("period", flat=True)) == ["2012", "2013"]
