"""Group values summed in the database (`selectors.group_sums`, finished by `analytics.aggregate.finish`) equal
the ones computed from every unit's cells (`figures.metropolis_figure`, `analytics.ranking.rank_of`) (#15).

The municipality page asks the database for a few sums per row instead of reading every member's value; these
tests hold that path to the old one for every rule, incomplete coverage, the coverage rule's nearest population,
demo and provisional flags, and positions with ties.
"""

from __future__ import annotations

import math
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obserwatorium.analytics.ranking import rank_of
from obserwatorium.indicators.models import Indicator
from obserwatorium.indicators.selectors import (
    GroupRequest,
    comparison_units,
    group_sums,
    kept_group_sums,
    observation_cells,
)
from obserwatorium.web import indicator_page
from obserwatorium.web.figures import input_indicator_ids, metropolis_figure, metropolis_series, summed_figure
from tests.indicators.group_rules import RULES, rule_indicators, store

pytestmark = pytest.mark.django_db

PERIODS = ("2019", "2020", "2021", "2022")
FLAGS = ("final", "provisional", "estimated", "confidential", "demo")


def _indicators() -> dict[str, Indicator]:
    """A population of its own (so that the preset's does not enter), a denominator, one indicator per rule."""
    return rule_indicators("sums", own_population=True)


def _weight(indicators: dict[str, Indicator], rule: str) -> Indicator | None:
    return {"population_weighted_mean": indicators["population"],
            "ratio_of_sums": indicators["denominator"]}.get(rule)


def _assert_same(indicators: dict[str, Indicator], members: list, period: str, own: float | None,
                 sense: int) -> None:
    """Every rule's figure and the position from the sums equal those from every member's cells."""
    population = indicators["population"]
    ids = [m.pk for m in members]
    requests = [GroupRequest(indicators[rule].pk, period,
                             weight.pk if (weight := _weight(indicators, rule)) is not None else None,
                             own=own, sense=sense, population=rule in ("population_weighted_mean", "ratio_of_sums"))
                for rule in RULES]
    sums = group_sums(requests, unit_ids=ids, population_id=population.pk)
    # The kept sums (computed now, or kept from an earlier call with another `own`) count `better` the same way.
    assert kept_group_sums(requests, unit_ids=ids, population_id=population.pk) == sums
    cells = observation_cells(indicator_ids=[i.pk for i in indicators.values()], unit_ids=ids)
    for rule in RULES:
        indicator = indicators[rule]
        summed = sums[(indicator.pk, period)]
        new = summed_figure(indicator, summed, len(ids)).aggregate
        old = metropolis_figure(indicator, cells, members, period, population).aggregate
        assert (new.covered, new.total, new.flag) == (old.covered, old.total, old.flag), rule
        for got, expected in ((new.value, old.value), (new.population_share, old.population_share)):
            assert (got is None) == (expected is None), rule
            if got is not None:
                assert got == pytest.approx(expected, rel=1e-9, abs=1e-9), rule
        peers = [cells.get(indicator.pk, {}).get(uid, {}).get(period) for uid in ids]
        expected_position = rank_of(own, [c.value if c else None for c in peers], "lower" if sense < 0 else "higher")
        assert ((summed.better + 1, summed.values) if own is not None and summed.values else None) \
            == expected_position, rule


def _same_figure(new, old, rule: str) -> None:
    assert (new.covered, new.total, new.flag) == (old.covered, old.total, old.flag), rule
    for got, expected in ((new.value, old.value), (new.population_share, old.population_share)):
        assert (got is None) == (expected is None), rule
        if got is not None:
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-9), rule


def _assert_same_summary(indicators: dict[str, Indicator], members: list) -> None:
    """The indicator page's summary, from counts and sums, equals the one from every member's every cell."""
    population = indicators["population"]
    for rule in RULES:
        indicator = indicators[rule]
        got = indicator_page.summary(indicator, members, population)
        cells = observation_cells(indicator_ids=input_indicator_ids([indicator], population),
                                  unit_ids=[m.pk for m in members])
        own = [cell for by_period in cells.get(indicator.pk, {}).values() for cell in by_period.values()]
        assert got.periods == sorted({period for by_period in cells.get(indicator.pk, {}).values()
                                      for period in by_period}), rule
        assert got.flags == {cell.flag for cell in own}, rule
        assert got.valued_flags == {cell.flag for cell in own if cell.value is not None}, rule
        assert got.batches == dict(Counter(cell.batch_id for cell in own)), rule
        expected = metropolis_series(indicator, cells, members, population)
        assert got.metropolis.keys() == expected.keys(), rule
        for period, figure in expected.items():
            _same_figure(got.metropolis[period].aggregate, figure.aggregate, f"{rule} {period}")


def test_every_rule_with_gaps_flags_ties_and_a_nearest_population():
    indicators = _indicators()
    members = comparison_units()[:6]
    a, b, c, d, e, f = (m.pk for m in members)
    rows = [
        # population: e only before the period (its latest before counts), f only after it (its earliest).
        *(("population", uid, p, 1000.0 * (n + 1) + 10 * int(p[-1]), "final") for n, uid in enumerate((a, b, c, d))
          for p in PERIODS), ("population", e, "2019", 50.0, "final"), ("population", f, "2022", 70.0, "provisional"),
        ("population", f, "2023", 90.0, "final"),  # f's earliest (2022) is its nearest to 2021, not its latest
        *(("denominator", uid, "2021", 10.0 + n, "demo" if uid == b else "final")
          for n, uid in enumerate((a, b, c, d, e))),
    ]
    for rule in RULES:  # d has no value (incomplete); b and c tie; c provisional; a cell without value for f
        rows += [(rule, a, "2021", 5.0, "final"), (rule, b, "2021", 7.5, "final"),
                 (rule, c, "2021", 7.5, "provisional"), (rule, e, "2021", 2.0, "final"),
                 (rule, f, "2021", None, "final"), (rule, a, "2020", 99.0, "final")]
    store(indicators, rows)
    for own, sense in ((7.5, 1), (7.5, -1), (5.0, 1), (2.0, -1), (None, 1)):
        _assert_same(indicators, members, "2021", own, sense)
    _assert_same_summary(indicators, members)
    total = summed_figure(indicators["sum"], group_sums([GroupRequest(indicators["sum"].pk, "2021")],
                                                       unit_ids=[m.pk for m in members], population_id=None)
                          [(indicators["sum"].pk, "2021")], len(members))
    assert total.value is None and total.aggregate.covered == 4 and total.flag == "provisional"  # d and f missing
    # Every value present: a sum is given, with the weakest flag of its values.
    complete = [row for row in rows if row[:3] != ("sum", f, "2021")]
    store(indicators, [*complete, ("sum", d, "2021", 1.0, "final"), ("sum", f, "2021", 3.0, "estimated")])
    _assert_same(indicators, members, "2021", 3.0, 1)
    total = summed_figure(indicators["sum"], group_sums([GroupRequest(indicators["sum"].pk, "2021")],
                                                       unit_ids=[m.pk for m in members], population_id=None)
                          [(indicators["sum"].pk, "2021")], len(members))
    assert total.value == 5.0 + 7.5 + 7.5 + 2.0 + 1.0 + 3.0 and total.flag == "estimated"


def test_a_period_nobody_has_gives_empty_sums_and_the_same_coverage():
    indicators = _indicators()
    members = comparison_units()[:3]
    store(indicators, [("population", m.pk, "2020", 100.0, "final") for m in members])
    _assert_same(indicators, members, "2021", 1.0, 1)
    sums = group_sums([GroupRequest(indicators["ratio_of_sums"].pk, "2021", indicators["denominator"].pk,
                                    population=True)], unit_ids=[m.pk for m in members],
                      population_id=indicators["population"].pk)
    assert sums[(indicators["ratio_of_sums"].pk, "2021")].values == 0


values = st.one_of(st.none(), st.integers(-50, 50).map(float), st.floats(-1e3, 1e3, allow_nan=False))
cells = st.tuples(values, st.sampled_from(FLAGS))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_sums_equal_the_cells_for_any_values(data):
    """Property: any values, weights, populations (some periods, some members missing) and flags, any rule."""
    if not hasattr(test_sums_equal_the_cells_for_any_values, "world"):
        test_sums_equal_the_cells_for_any_values.world = (_indicators(), comparison_units()[:5])  # type: ignore
    indicators, members = test_sums_equal_the_cells_for_any_values.world  # type: ignore
    rows = []
    for member in members:
        for key in ("denominator", *RULES):
            value, flag = data.draw(cells)
            if data.draw(st.booleans()):
                rows.append((key, member.pk, "2021", value, flag))
        for period in PERIODS:
            size = data.draw(st.one_of(st.none(), st.integers(0, 10_000).map(float)))
            if size is not None or data.draw(st.booleans()):
                rows.append(("population", member.pk, period, size, "final"))
    store(indicators, rows)
    own = data.draw(st.one_of(st.none(), st.sampled_from([r[3] for r in rows if r[3] is not None] or [0.0])))
    assert own is None or not math.isnan(own)
    _assert_same(indicators, members, "2021", own, data.draw(st.sampled_from((1, -1))))
    _assert_same_summary(indicators, members)


def test_values_whose_products_underflow_are_summed_not_refused():
    """A value times its weight below the smallest double: PostgreSQL refused the whole query ("value out of
    range: underflow", a 500 on the pages); the sums hold the product as 0, as Python's arithmetic nearly does."""
    indicators = _indicators()
    members = comparison_units()[:3]
    a, b, c = (m.pk for m in members)
    store(indicators, [
        *(("population", uid, "2021", 1e-200, "final") for uid in (a, b, c)),
        *(("denominator", uid, "2021", 1e-200, "final") for uid in (a, b, c)),
        *((rule, uid, "2021", 1e-200, "final") for rule in RULES for uid in (a, b, c)),
    ])
    _assert_same(indicators, members, "2021", 1e-200, 1)
    _assert_same_summary(indicators, members)
