"""The indicator's analytics panel (metropolis value, coverage, trend, progress) from sums in the database (#15).

`selectors.panel_aggregate` finishes the group series from the sums the indicator page's summary keeps and reads
unit by unit only the year the panel shows (for its missing units). These tests hold it to what the panel showed
before, every period's aggregate read from every member's values (`aggregate_series` whole), for every rule, gaps,
flags, a chosen year with or without data and none chosen; and check that it no longer reads the indicator's
values of every period.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obserwatorium.indicators.models import Indicator
from obserwatorium.insights import selectors
from obserwatorium.insights.groups import members_group
from obserwatorium.insights.templatetags.insights import indicator_insights
from tests.indicators.group_rules import RULES, rule_indicators, store

pytestmark = pytest.mark.django_db

PERIODS = ("2018", "2019", "2020", "2021")
FLAGS = ("final", "provisional", "estimated", "demo")


def _indicators() -> dict[str, Indicator]:
    """A denominator, one indicator per rule; the means and ratios weighed by the preset's population."""
    return rule_indicators("panel", own_population=False)


def _before(indicator: Indicator, year: int | None) -> tuple[dict | None, dict[int, float | None]]:
    """The panel's row and series as it computed them before: every period's aggregate of every member."""
    group = members_group()
    rows = {r["period"]: r for r in selectors.aggregate_series(indicator, group).to_dicts() if r["period"].isdigit()}
    row = rows.get(str(year)) if year else None
    row = row or next((rows[p] for p in sorted(rows, reverse=True) if rows[p]["value"] is not None), None)
    return row, {int(p): r["value"] for p, r in rows.items()}


def _assert_same(indicators: dict[str, Indicator], years: tuple[int | None, ...]) -> None:
    group = members_group()
    for rule in RULES:
        for year in years:
            got_row, got_series = selectors.panel_aggregate(indicators[rule], group, year)
            row, series = _before(indicators[rule], year)
            where = f"{rule}, year {year}"
            assert got_series.keys() == series.keys(), where
            for period, value in series.items():
                assert (got_series[period] is None) == (value is None), where
                if value is not None:
                    assert got_series[period] == pytest.approx(value, rel=1e-9, abs=1e-9), where
            assert (got_row is None) == (row is None), where
            if row is not None:
                assert {k: v for k, v in got_row.items() if k != "value"} == \
                    {k: v for k, v in row.items() if k != "value"}, where
                assert (got_row["value"] is None) == (row["value"] is None), where
                if row["value"] is not None:
                    assert got_row["value"] == pytest.approx(row["value"], rel=1e-9, abs=1e-9), where


def test_every_rule_with_gaps_flags_and_a_chosen_year():
    indicators = _indicators()
    members = [unit.pk for unit in members_group().units]
    a, b, c = members[:3]
    rows = [("denominator", uid, period, 10.0 + n, "provisional" if uid == b else "final")
            for n, uid in enumerate(members) for period in PERIODS]
    for rule in RULES:
        rows += [(rule, uid, period, 3.0 * n + int(period[-1]), "demo" if uid == c and period == "2020" else "final")
                 for n, uid in enumerate(members) for period in ("2018", "2019", "2020")]  # complete until 2020
        rows += [(rule, a, "2021", 5.0, "final"), (rule, b, "2021", None, "final")]  # 2021: two members only
    store(indicators, rows)
    assert len(members) == 15
    _assert_same(indicators, (None, 2018, 2020, 2021, 2030))
    row, series = selectors.panel_aggregate(indicators["sum"], members_group(), None)
    assert row is not None and row["period"] == "2020" and row["flag"] == "demo" and row["covered"] == 15
    assert series[2021] is None and series[2018] == pytest.approx(sum(3.0 * n + 8 for n in range(15)))
    row, _ = selectors.panel_aggregate(indicators["sum"], members_group(), 2021)
    assert row is not None and row["value"] is None and row["covered"] == 1 and len(row["missing"]) == 14


def test_no_values_give_no_row():
    indicators = _indicators()
    store(indicators, [])
    for rule in RULES:
        assert selectors.panel_aggregate(indicators[rule], members_group(), None) == (None, {})


values = st.one_of(st.none(), st.integers(-50, 50).map(float), st.floats(-1e3, 1e3, allow_nan=False))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_panel_equals_every_members_aggregate_for_any_values(data):
    """Property: any values and weights, some members or periods missing, any flags, any rule and year."""
    if not hasattr(test_the_panel_equals_every_members_aggregate_for_any_values, "world"):
        test_the_panel_equals_every_members_aggregate_for_any_values.world = _indicators()  # type: ignore
    indicators = test_the_panel_equals_every_members_aggregate_for_any_values.world  # type: ignore
    members = [unit.pk for unit in members_group().units][:6]
    rows = []
    for uid in members:
        for period in PERIODS:
            for key in ("denominator", *RULES):
                if data.draw(st.booleans()):
                    rows.append((key, uid, period, data.draw(values), data.draw(st.sampled_from(FLAGS))))
    store(indicators, rows)
    _assert_same(indicators, (None, data.draw(st.sampled_from([int(p) for p in PERIODS])), 1999))


def test_the_panel_reads_the_members_values_of_one_year_only(monkeypatch):
    """After a write the panel reads the year it shows member by member, not every period of the indicator
    (at national scale 2,477 values, not 2,477 × 20): the rest of its series comes from sums."""
    indicators = _indicators()
    members = [unit.pk for unit in members_group().units]
    store(indicators, [(key, uid, period, 1.0 + n, "final") for n, uid in enumerate(members)
                        for period in PERIODS for key in ("denominator", *RULES)])
    read: list[tuple[str, ...]] = []
    whole = selectors.values

    def spy(codes, teryts=None, **more):
        read.append(tuple(codes))
        return whole(codes, teryts, **more)

    monkeypatch.setattr(selectors, "values", spy)
    for rule in ("sum", "population_weighted_mean", "ratio_of_sums"):
        info = indicator_insights(indicators[rule])
        assert info["aggregate"]["period"] == "2021" and len(info["series"]) == len(PERIODS), rule
        assert not [codes for codes in read if indicators[rule].code in codes], rule
