"""Group aggregates by rule, with coverage: worked examples and properties."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.analytics.aggregate import Rule, aggregate

SCHEMA = {"unit": pl.Utf8, "period": pl.Utf8, "value": pl.Float64, "flag": pl.Utf8}


def frame(rows):
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def test_worked_example_sum_of_every_member_with_the_weakest_flag():
    values = frame([("a", "2020", 10.0, "final"), ("b", "2020", 5.0, "provisional")])
    result = aggregate(Rule("sum"), ["a", "b"], values=values).row(0, named=True)
    assert result == {"period": "2020", "value": 15.0, "flag": "provisional", "covered": 2, "expected": 2,
                      "missing": []}


def test_worked_example_sum_is_withheld_and_the_missing_member_named():
    # 10 + 5 is not the total of a, b and c: a partial sum would read as a fall, so no value is given.
    values = frame([("a", "2020", 10.0, "final"), ("b", "2020", 5.0, "provisional")])
    result = aggregate(Rule("sum"), ["a", "b", "c"], values=values).row(0, named=True)
    assert result == {"period": "2020", "value": None, "flag": "provisional", "covered": 2, "expected": 3,
                      "missing": ["c"]}


def test_worked_example_population_weighted_mean():
    # (10 × 100 + 40 × 300) / 400 = 32.5; c has a value but no population, so it is missing, not ignored.
    values = frame([("a", "2020", 10.0, "final"), ("b", "2020", 40.0, "final"), ("c", "2020", 99.0, "final")])
    population = frame([("a", "2020", 100.0, "final"), ("b", "2020", 300.0, "final")])
    result = aggregate(Rule("population_weighted_mean"), ["a", "b", "c"], values=values, weights=population)
    assert result.row(0, named=True)["value"] == pytest.approx(32.5)
    assert result.row(0, named=True)["missing"] == ["c"]


def test_worked_example_ratio_of_sums_from_the_shown_ratios():
    # Rates 3.0 and 0.333… per 1,000 of populations 10,000 and 30,000: (30 + 10) / 40,000 × 1000 = 1.0 per 1,000,
    # not the mean of 3.0 and 0.333; computed from the rates themselves, weighted by the denominator.
    rates = frame([("a", "2020", 3.0, "final"), ("b", "2020", 1 / 3, "provisional")])
    den = frame([("a", "2020", 10000.0, "final"), ("b", "2020", 30000.0, "final")])
    result = aggregate(Rule("ratio_of_sums"), ["a", "b"], values=rates, weights=den)
    assert result["value"].to_list() == [pytest.approx(1.0)]
    assert result["covered"].to_list() == [2]
    assert result["flag"].to_list() == ["provisional"]


def test_no_rule_gives_no_value_but_still_coverage():
    values = frame([("a", "2020", 10.0, "final")])
    result = aggregate(Rule("none"), ["a", "b"], values=values).row(0, named=True)
    assert result["value"] is None and result["covered"] == 1 and result["missing"] == ["b"]


def test_period_without_any_member_is_listed_as_fully_missing():
    values = frame([("a", "2020", 1.0, "final")])
    result = aggregate(Rule("sum"), ["a"], values=values, periods=["2019", "2020"])
    assert result.rows() == [("2019", None, "final", 0, 1, ["a"]), ("2020", 1.0, "final", 1, 1, [])]


units = st.lists(st.sampled_from("abcdefgh"), min_size=1, max_size=8, unique=True)
amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@given(units, st.data())
def test_sum_covered_and_missing_partition_the_members(members, data):
    present = data.draw(st.lists(st.sampled_from(members), unique=True))
    values = frame([(u, "2020", data.draw(amounts), "final") for u in present])
    row = aggregate(Rule("sum"), members, values=values, periods=["2020"]).row(0, named=True)
    assert row["covered"] + len(row["missing"]) == row["expected"] == len(members)
    assert set(row["missing"]) == set(members) - set(present)
    assert (row["value"] is None) == (len(present) < len(members))
    if len(present) == len(members):
        assert row["value"] == pytest.approx(sum(values["value"].to_list()))


@given(st.lists(st.tuples(amounts, st.floats(min_value=1, max_value=1e6)), min_size=1, max_size=8))
def test_weighted_mean_lies_between_min_and_max(pairs):
    names = [f"u{i}" for i in range(len(pairs))]
    values = frame([(n, "2020", v, "final") for n, (v, _) in zip(names, pairs, strict=True)])
    weights = frame([(n, "2020", w, "final") for n, (_, w) in zip(names, pairs, strict=True)])
    mean = aggregate(Rule("population_weighted_mean"), names, values=values, weights=weights)["value"][0]
    low, high = min(v for v, _ in pairs), max(v for v, _ in pairs)
    assert low - 1e-6 * (1 + abs(low)) <= mean <= high + 1e-6 * (1 + abs(high))


@given(st.lists(st.tuples(amounts, st.floats(min_value=1, max_value=1e6)), min_size=1, max_size=8))
def test_ratio_of_sums_equals_the_ratio_of_the_summed_terms(pairs):
    # The denominator-weighted mean of the units' ratios is Σn/Σd: the identity that lets the group value be
    # computed from the ratios the page shows, with the same result as from consistent terms.
    names = [f"u{i}" for i in range(len(pairs))]
    den = frame([(n, "2020", d, "final") for n, (_, d) in zip(names, pairs, strict=True)])
    ratios = frame([(n, "2020", a / d, "final") for n, (a, d) in zip(names, pairs, strict=True)])
    ratio = aggregate(Rule("ratio_of_sums"), names, values=ratios, weights=den)["value"][0]
    summed = sum(a for a, _ in pairs) / sum(d for _, d in pairs)
    assert ratio == pytest.approx(summed, rel=1e-9, abs=1e-12)


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        Rule("median")
