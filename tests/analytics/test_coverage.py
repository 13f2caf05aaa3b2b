"""The coverage rule of group values: a sum needs every unit; a mean or ratio two thirds of the group's units and
of its population. Worked examples and properties, by both aggregation paths."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.analytics.aggregate import Rule, aggregate, aggregate_one
from obserwatorium.analytics.coverage import nearest, population_share, sufficient

SCHEMA = {"unit": pl.Utf8, "period": pl.Utf8, "value": pl.Float64, "flag": pl.Utf8}
GMINY = [f"g{i:02d}" for i in range(15)]
# A metropolis like Kraków's: one unit holds about two thirds of the population.
SIZES = {"g00": 780_000.0, **{g: 30_000.0 for g in GMINY[1:]}}


def _frame(values: dict[str, float]) -> pl.DataFrame:
    return pl.DataFrame([(u, "2020", v, "final") for u, v in values.items()], schema=SCHEMA, orient="row")


def _both(kind: str, present: list[str], sizes: dict[str, float] = SIZES) -> tuple[float | None, float | None]:
    values = {u: 10.0 + i for i, u in enumerate(present)}
    one = aggregate_one(Rule(kind), members=GMINY, values=values, weights=sizes, period="2020",
                        population={u: {"2020": s} for u, s in sizes.items()})
    table = aggregate(Rule(kind), GMINY, values=_frame(values), weights=_frame(sizes), population=_frame(sizes),
                      periods=["2020"])
    return one.value, table["value"][0]


def test_a_mean_from_one_of_fifteen_gminy_is_not_the_group_value():
    assert _both("population_weighted_mean", ["g00"]) == (None, None)
    assert _both("ratio_of_sums", ["g03"]) == (None, None)


def test_a_mean_without_the_unit_holding_most_of_the_population_is_withheld():
    assert _both("population_weighted_mean", GMINY[1:]) == (None, None)  # 14 of 15, a third of the people
    one, table = _both("population_weighted_mean", [g for g in GMINY if g != "g07"])  # 14 of 15, 98 %
    assert one is not None and one == pytest.approx(table)


def test_the_population_of_a_year_without_it_is_the_nearest_known():
    series = {"2018": 10.0, "2020": 12.0, "2023": None}
    assert [nearest(series, p) for p in ("2020", "2021", "2017", "2019", "2023")] == [12.0, 12.0, 10.0, 10.0, 12.0]
    assert nearest({}, "2020") is None
    # The coverage of 2024 is judged by the sizes of 2020: still withheld without the largest unit.
    population = {u: {"2020": s} for u, s in SIZES.items()}
    result = aggregate_one(Rule("population_weighted_mean"), members=GMINY, period="2024", population=population,
                           values={u: 1.0 for u in GMINY[1:]}, weights={u: 1.0 for u in GMINY[1:]})
    assert result.value is None and result.covered == 14 and result.population_share == pytest.approx(14 / 40)


def test_a_sum_needs_every_unit_and_no_rule_gives_no_value():
    assert _both("sum", GMINY[:14])[0] is None
    assert _both("sum", GMINY)[0] == pytest.approx(sum(10.0 + i for i in range(15)))
    assert not sufficient("none", covered=15, expected=15)


counts = st.integers(min_value=0, max_value=40)
amounts = st.one_of(st.none(), st.floats(min_value=0, max_value=1e7, allow_nan=False))


@given(st.sampled_from(["sum", "population_weighted_mean", "ratio_of_sums", "none"]), counts, counts, amounts,
       amounts)
def test_a_value_is_never_allowed_below_the_rule(kind, covered, expected, covered_population, group_population):
    covered = min(covered, expected)
    allowed = sufficient(kind, covered=covered, expected=expected, covered_population=covered_population,
                         group_population=group_population)
    if kind == "none" or expected == 0 or covered == 0:
        assert not allowed
    elif kind == "sum":
        assert allowed == (covered == expected)
    else:
        assert not allowed or 3 * covered >= 2 * expected
        if group_population and covered_population is not None:
            assert not allowed or 3 * covered_population >= 2 * group_population
        if 3 * covered >= 2 * expected and (not group_population or covered_population is None
                                            or 3 * covered_population >= 2 * group_population):
            assert allowed


@given(st.sampled_from(["population_weighted_mean", "ratio_of_sums"]), st.integers(min_value=1, max_value=30),
       st.data())
def test_covering_more_never_withholds_a_value(kind, expected, data):
    covered = data.draw(st.integers(min_value=0, max_value=expected))
    more = data.draw(st.integers(min_value=covered, max_value=expected))
    group = data.draw(st.floats(min_value=1, max_value=1e7))
    held = data.draw(st.floats(min_value=0, max_value=group))
    held_more = data.draw(st.floats(min_value=held, max_value=group))
    if sufficient(kind, covered=covered, expected=expected, covered_population=held, group_population=group):
        assert sufficient(kind, covered=more, expected=expected, covered_population=held_more,
                          group_population=group)


@given(st.sampled_from(["sum", "population_weighted_mean", "ratio_of_sums"]),
       st.lists(st.sampled_from(GMINY), unique=True), st.dictionaries(st.sampled_from(GMINY),
                                                                      st.floats(min_value=1, max_value=1e6)))
def test_both_paths_withhold_the_same_values_by_the_rule(kind, present, sizes):
    values = {u: 1.0 + i for i, u in enumerate(present)}
    weights = {u: 1.0 for u in present}
    population = {u: {"2020": s} for u, s in sizes.items()}
    one = aggregate_one(Rule(kind), members=GMINY, values=values, weights=weights, population=population,
                        period="2020")
    table = aggregate(Rule(kind), GMINY, values=_frame(values), weights=_frame(weights), population=_frame(sizes),
                      periods=["2020"]).row(0, named=True)
    covered_population, group_population = population_share(GMINY, present, population, "2020")
    expected = sufficient(kind, covered=len(present), expected=len(GMINY), covered_population=covered_population,
                          group_population=group_population)
    assert (one.value is not None) == (table["value"] is not None) == expected
    if expected:
        assert one.value == pytest.approx(table["value"])


years = st.sampled_from([str(year) for year in range(2015, 2026)])


@given(series=st.dictionaries(years, st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False))), period=years)
def test_nearest_is_the_period_else_the_latest_before_else_the_earliest_after(series, period):
    """Property: whatever values are missing (None), the rule's definition, written out the long way."""
    known = sorted((p, v) for p, v in series.items() if v is not None)
    before = [v for p, v in known if p <= period]
    after = [v for p, v in known if p > period]
    expected = before[-1] if before else (after[0] if after else None)
    assert nearest(series, period) == expected
