"""Metropolis aggregates by rule, with coverage; ranks by polarity; changes between periods."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from obserwatorium.web.metropolis import Change, aggregate, change, rank

MEMBERS = ["a", "b", "c"]


def test_sum_needs_every_member():
    assert aggregate("sum", members=MEMBERS, values={"a": 1, "b": 2, "c": 3}).value == 6
    partial = aggregate("sum", members=MEMBERS, values={"a": 1, "b": 2, "c": None})
    assert partial.value is None and (partial.covered, partial.total) == (2, 3) and not partial.complete


def test_population_weighted_mean_uses_members_with_both_value_and_weight():
    result = aggregate("population_weighted_mean", members=MEMBERS, values={"a": 10, "b": 20, "c": 99},
                       weights={"a": 1, "b": 3})
    assert result.value == pytest.approx((10 * 1 + 20 * 3) / 4)
    assert (result.covered, result.total) == (2, 3)


def test_ratio_of_sums_is_not_the_mean_of_ratios():
    result = aggregate("ratio_of_sums", members=MEMBERS, values={}, numerators={"a": 1, "b": 9, "c": 5},
                       denominators={"a": 1, "b": 1, "c": None}, scale=100)
    assert result.value == pytest.approx((1 + 9) / (1 + 1) * 100)  # not mean(1, 9) x 100
    assert result.covered == 2


def test_ratio_with_zero_denominator_and_unaggregated_rules_give_no_value():
    assert aggregate("ratio_of_sums", members=MEMBERS, values={}, numerators={"a": 1},
                     denominators={"a": 0}).value is None
    assert aggregate("none", members=MEMBERS, values={"a": 1}).value is None


values_st = st.dictionaries(st.sampled_from(MEMBERS), st.floats(min_value=-1e6, max_value=1e6), min_size=1)
weights_st = st.dictionaries(st.sampled_from(MEMBERS), st.floats(min_value=1, max_value=1e6), min_size=1)


@given(values_st, weights_st)
def test_a_weighted_mean_lies_between_the_smallest_and_largest_value(values, weights):
    result = aggregate("population_weighted_mean", members=MEMBERS, values=values, weights=weights)
    used = [values[m] for m in MEMBERS if m in values and m in weights]
    assert result.covered == len(used)
    if used:
        assert min(used) - 1e-6 * max(1, abs(min(used))) <= result.value <= max(used) + 1e-6 * max(1, abs(max(used)))
    else:
        assert result.value is None


@given(st.floats(min_value=0.01, max_value=1e3), st.lists(st.floats(min_value=1, max_value=1e6), min_size=3,
                                                          max_size=3))
def test_equal_ratios_aggregate_to_that_ratio(ratio, denominators):
    numerators = {m: ratio * d for m, d in zip(MEMBERS, denominators, strict=True)}
    result = aggregate("ratio_of_sums", members=MEMBERS, values={}, numerators=numerators,
                       denominators=dict(zip(MEMBERS, denominators, strict=True)))
    assert math.isclose(result.value, ratio, rel_tol=1e-9) and result.complete


def test_rank_follows_polarity_and_shares_ties():
    values = [10, 20, 20, 5, None]
    assert rank(20, values, polarity="higher") == (1, 4)
    assert rank(10, values, polarity="higher") == (3, 4)
    assert rank(5, values, polarity="lower") == (1, 4)
    assert rank(20, values, polarity="lower") == (3, 4)
    assert rank(20, values, polarity="neutral") == (1, 4)  # neutral: highest first
    assert rank(None, values, polarity="higher") is None


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=20), st.data())
def test_rank_positions_stay_within_the_ranked_count(values, data):
    value = data.draw(st.sampled_from(values))
    position, count = rank(value, values, polarity=data.draw(st.sampled_from(["higher", "lower", "neutral"])))
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
