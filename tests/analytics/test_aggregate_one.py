"""One period's aggregate from in-memory values (the pages' path), one-value ranks and period changes, each held
equal to the table path of the analytics package by a property test."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from obserwatorium.analytics.aggregate import Rule, aggregate, aggregate_one
from obserwatorium.analytics.ranking import rank, rank_of
from obserwatorium.analytics.trend import Change, change

MEMBERS = ["a", "b", "c"]


def test_sum_needs_every_member():
    assert aggregate_one(Rule("sum"), members=MEMBERS, values={"a": 1, "b": 2, "c": 3}).value == 6
    partial = aggregate_one(Rule("sum"), members=MEMBERS, values={"a": 1, "b": 2, "c": None})
    assert partial.value is None and (partial.covered, partial.total) == (2, 3) and not partial.complete


def test_population_weighted_mean_uses_members_with_both_value_and_weight():
    result = aggregate_one(Rule("population_weighted_mean"), members=MEMBERS, values={"a": 10, "b": 20, "c": 99},
                           weights={"a": 1, "b": 3})
    assert result.value == pytest.approx((10 * 1 + 20 * 3) / 4)
    assert (result.covered, result.total) == (2, 3)


def test_ratio_of_sums_is_not_the_mean_of_ratios():
    # Shares 100 % (1 of 1) and 900 %… (9 of 1), c has no denominator: (1 + 9) / (1 + 1) × 100, from the shares.
    result = aggregate_one(Rule("ratio_of_sums"), members=MEMBERS, values={"a": 100, "b": 900, "c": 500},
                           weights={"a": 1, "b": 1, "c": None}, flags={"a": "final", "b": "demo", "c": "final"})
    assert result.value == pytest.approx((1 + 9) / (1 + 1) * 100)
    assert result.covered == 2 and result.flag == "demo"


def test_ratio_with_zero_denominator_and_unaggregated_rules_give_no_value():
    assert aggregate_one(Rule("ratio_of_sums"), members=MEMBERS, values={"a": 1}, weights={"a": 0}).value is None
    assert aggregate_one(Rule("none"), members=MEMBERS, values={"a": 1}).value is None


values_st = st.dictionaries(st.sampled_from(MEMBERS), st.floats(min_value=-1e6, max_value=1e6), min_size=1)
weights_st = st.dictionaries(st.sampled_from(MEMBERS), st.floats(min_value=1, max_value=1e6), min_size=1)


@given(values_st, weights_st)
def test_a_weighted_mean_lies_between_the_smallest_and_largest_value(values, weights):
    result = aggregate_one(Rule("population_weighted_mean"), members=MEMBERS, values=values, weights=weights)
    used = [values[m] for m in MEMBERS if m in values and m in weights]
    assert result.covered == len(used)
    if 3 * len(used) >= 2 * len(MEMBERS):  # the coverage rule: two thirds of the units (no population given)
        assert min(used) - 1e-6 * max(1, abs(min(used))) <= result.value <= max(used) + 1e-6 * max(1, abs(max(used)))
    else:
        assert result.value is None


@given(st.floats(min_value=0.01, max_value=1e3), st.lists(st.floats(min_value=1, max_value=1e6), min_size=3,
                                                          max_size=3))
def test_equal_ratios_aggregate_to_that_ratio(ratio, denominators):
    numerators = {m: ratio * d for m, d in zip(MEMBERS, denominators, strict=True)}
    ratios = {m: numerators[m] / d for m, d in zip(MEMBERS, denominators, strict=True)}
    result = aggregate_one(Rule("ratio_of_sums"), members=MEMBERS, values=ratios,
                           weights=dict(zip(MEMBERS, denominators, strict=True)))
    assert math.isclose(result.value, ratio, rel_tol=1e-9) and result.complete


def test_rank_follows_polarity_and_shares_ties():
    values = [10, 20, 20, 5, None]
    assert rank_of(20, values, "higher") == (1, 4)
    assert rank_of(10, values, "higher") == (3, 4)
    assert rank_of(5, values, "lower") == (1, 4)
    assert rank_of(20, values, "lower") == (3, 4)
    assert rank_of(20, values, "neutral") == (1, 4)  # neutral: highest first
    assert rank_of(None, values, "higher") is None


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=20), st.data())
def test_rank_positions_stay_within_the_ranked_count(values, data):
    value = data.draw(st.sampled_from(values))
    position, count = rank_of(value, values, data.draw(st.sampled_from(["higher", "lower", "neutral"])))
    assume(count)
    assert 1 <= position <= count == len(values)


def test_change_from_the_previous_or_the_first_period():
    series = {"2020": 1.0, "2021": None, "2022": 4.0, "2023": 3.0}
    assert change(series) == Change("2022", "2023", -1.0)
    assert change(series, from_first=True) == Change("2020", "2023", 2.0)
    assert change({"2023": 1.0}) is None


@pytest.mark.parametrize(("delta", "polarity", "expected"), [
    (1, "higher", "better"), (-1, "higher", "worse"), (1, "lower", "worse"), (-1, "lower", "better"),
    (1, "neutral", "up"), (-1, "neutral", "down"), (0, "higher", "same"),
])
def test_change_assessment_by_polarity(delta, polarity, expected):
    assert Change("2022", "2023", delta).assessment(polarity) == expected


# The pages (one period, in memory) and the analytics views, API and downloads (a whole table) must never
# disagree: the same inputs give the same value and coverage by both paths, for every rule.
SCHEMA = {"unit": pl.Utf8, "period": pl.Utf8, "value": pl.Float64, "flag": pl.Utf8}
maybe = st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False))
signed = st.one_of(st.none(), st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))


def _table(values: dict[str, float | None], flags: dict[str, str] | None = None) -> pl.DataFrame:
    return pl.DataFrame([(u, "2020", v, (flags or {}).get(u, "final")) for u, v in values.items() if v is not None],
                        schema=SCHEMA, orient="row")


@given(st.sampled_from(["sum", "population_weighted_mean", "ratio_of_sums", "none"]),
       st.lists(st.sampled_from("abcdefg"), min_size=1, max_size=7, unique=True), st.data())
def test_one_period_and_whole_table_agree(kind, members, data):
    inputs = {name: {m: data.draw(signed if name == "values" else maybe) for m in members}
              for name in ("values", "weights")}
    flags = {name: {m: data.draw(st.sampled_from(["final", "provisional", "demo"])) for m in members}
             for name in ("values", "weights")}
    rule = Rule(kind)
    one = aggregate_one(rule, members=members, **inputs, flags=flags["values"], weight_flags=flags["weights"])
    row = aggregate(rule, members, values=_table(inputs["values"], flags["values"]),
                    weights=_table(inputs["weights"], flags["weights"]), periods=["2020"]).row(0, named=True)
    assert (row["covered"], row["expected"], row["flag"]) == (one.covered, one.total, one.flag)
    if one.value is None:
        assert row["value"] is None
    else:
        assert row["value"] == pytest.approx(one.value, rel=1e-9, abs=1e-6)


def test_a_sum_is_withheld_by_both_paths_when_a_member_is_missing():
    values = {"a": 10.0, "b": 5.0, "c": None}
    assert aggregate_one(Rule("sum"), members=MEMBERS, values=values).value is None
    row = aggregate(Rule("sum"), MEMBERS, values=_table(values)).row(0, named=True)
    assert (row["value"], row["covered"], row["missing"]) == (None, 2, ["c"])


@given(st.lists(st.one_of(st.none(), st.integers(min_value=-5, max_value=5).map(float)), min_size=1, max_size=12),
       st.sampled_from(["higher", "lower", "neutral"]))
def test_one_value_rank_agrees_with_the_table_rank(values, direction):
    frame = pl.DataFrame({"unit": [str(i) for i in range(len(values))], "period": ["2020"] * len(values),
                          "value": values}, schema={"unit": pl.Utf8, "period": pl.Utf8, "value": pl.Float64})
    ranked = rank(frame, direction)
    for value, table_rank, count in zip(values, ranked["rank"], ranked["ranked"], strict=True):
        expected = None if value is None else (table_rank, count)
        assert rank_of(value, values, direction) == expected
