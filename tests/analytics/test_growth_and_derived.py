"""Growth rates and derived formulas: worked examples checked by hand, and properties."""

from __future__ import annotations

import math

import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from obserwatorium.analytics.derived import Formula, compute, dependency_order, dependents
from obserwatorium.analytics.flags import weakest
from obserwatorium.analytics.growth import cagr, theil_sen_slope

positive = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False)


# The year-on-year rate, an oracle for the compound rate (the product computes growth as derived indicators).
def growth_rate(previous: float | None, current: float | None) -> float | None:
    """Percentage change from `previous` to `current`; None when undefined (missing or non-positive base)."""
    if previous is None or current is None or not math.isfinite(previous) or not math.isfinite(current):
        return None
    if previous <= 0:
        return None
    return (current / previous - 1.0) * 100.0


def frame(rows):
    return pl.DataFrame(rows, schema={"unit": pl.Utf8, "period": pl.Utf8, "value": pl.Float64, "flag": pl.Utf8},
                        orient="row")


def test_worked_example_growth_and_cagr():
    # 200 → 250 is +25 %; 100 → 121 over two years is 10 % a year (1.1 × 1.1 = 1.21).
    assert growth_rate(200, 250) == pytest.approx(25.0)
    assert cagr(100, 121, 2) == pytest.approx(10.0)
    assert growth_rate(0, 5) is None and cagr(-1, 5, 2) is None and cagr(1, 2, 0) is None


def test_worked_example_theil_sen_ignores_one_outlier():
    # Pairwise slopes of (0,0) (1,1) (2,2) (3,30): 1,1,10,1,14,28 → median (1 + 10) / 2 = 5.5; least squares gives 8.7.
    assert theil_sen_slope([0, 1, 2, 3], [0, 1, 2, 30]) == pytest.approx(5.5)
    # Ten slopes, six of them 1: the outlier moves the median not at all.
    assert theil_sen_slope([0, 1, 2, 3, 4], [0, 1, 2, 3, 100]) == pytest.approx(1.0)


@given(positive, positive, st.integers(min_value=1, max_value=30))
def test_cagr_compounds_back_to_the_end_value(first, last, years):
    assume(1e-3 <= last / first <= 1e3)  # beyond that, percent arithmetic loses precision to cancellation
    rate = cagr(first, last, years)
    assert first * (1 + rate / 100) ** years == pytest.approx(last, rel=1e-6)


@given(positive, positive)
def test_one_year_cagr_equals_growth_rate(first, last):
    assert cagr(first, last, 1) == pytest.approx(growth_rate(first, last), rel=1e-9, abs=1e-9)


@given(positive, positive, positive)
def test_growth_rates_chain(a, b, c):
    assume(all(1e-3 <= y / x <= 1e3 for x, y in ((a, b), (b, c), (a, c))))
    chained = (1 + growth_rate(a, b) / 100) * (1 + growth_rate(b, c) / 100)
    assert chained == pytest.approx(1 + growth_rate(a, c) / 100, rel=1e-6)


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=2, max_size=12),
       st.floats(min_value=-100, max_value=100), st.floats(min_value=-1e3, max_value=1e3))
def test_theil_sen_of_a_line_is_its_slope(noise_free, slope, intercept):
    xs = list(range(len(noise_free)))
    ys = [intercept + slope * x for x in xs]
    assert theil_sen_slope(xs, ys) == pytest.approx(slope, abs=1e-6)


def test_worked_example_per_1000_with_weakest_flag():
    crimes = frame([("a", "2020", 30.0, "final"), ("a", "2021", 33.0, "demo"), ("b", "2020", 5.0, "final")])
    population = frame([("a", "2020", 15000.0, "final"), ("a", "2021", 16500.0, "final"),
                        ("b", "2020", 0.0, "final")])
    result = compute(Formula("per_1000", ("crimes", "population"), scale=1000),
                     {"crimes": crimes, "population": population})
    assert result.rows() == [("a", "2020", 2.0, "final"), ("a", "2021", 2.0, "demo"), ("b", "2020", None, "final")]


def test_worked_example_per_km2_uses_the_latest_known_area():
    people = frame([("a", "2019", 1000.0, "final"), ("a", "2020", 1100.0, "final"), ("a", "2022", 1200.0, "final")])
    area = frame([("a", "2020", 50.0, "estimated")])
    result = compute(Formula("per_km2", ("people", "area")), {"people": people, "area": area})
    # 2019 precedes any known area: no value; 2022 uses the 2020 area.
    assert result.rows() == [("a", "2020", 22.0, "estimated"), ("a", "2022", 24.0, "estimated")]


def test_worked_example_growth_and_five_year_cagr():
    series = frame([("a", str(2015 + i), v, "final") for i, v in enumerate([100, 110, 99, 120, 130, 161.051])])
    yoy = compute(Formula("growth", ("x",)), {"x": series}).filter(pl.col("period") == "2016")
    assert yoy["value"].to_list() == [pytest.approx(10.0)]
    five = compute(Formula("cagr", ("x",), years=5), {"x": series})
    assert five.rows() == [("a", "2020", pytest.approx(10.0), "final")]  # 1.1 ** 5 = 1.61051


@given(st.lists(st.sampled_from(["final", "provisional", "estimated", "confidential", "demo"]), min_size=1))
def test_weakest_flag_is_one_of_the_inputs_and_demo_wins(flags):
    result = weakest(flags)
    assert result in flags
    assert (result == "demo") == ("demo" in flags)


@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(2000, 2010), positive), max_size=30))
def test_ratio_of_a_series_to_itself_is_the_scale(rows):
    unique = {(u, str(y)): v for u, y, v in rows}
    series = frame([(u, p, v, "final") for (u, p), v in unique.items()])
    result = compute(Formula("share", ("x", "x"), scale=100), {"x": series})
    assert result.height == len(unique)
    assert all(math.isclose(v, 100.0) for v in result["value"].to_list())


def test_formulas_are_ordered_by_dependency_and_cycles_refused():
    formulas = {"b": Formula("growth", ("a",)), "c": Formula("share", ("b", "x")), "a": Formula("share", ("x", "y"))}
    assert dependency_order(formulas) == ["a", "b", "c"]
    assert dependents(formulas, {"y"}) == {"a", "b", "c"}
    assert dependents(formulas, {"z"}) == set()
    with pytest.raises(ValueError, match="cycle"):
        dependency_order({"a": Formula("growth", ("b",)), "b": Formula("growth", ("a",))})
    with pytest.raises(ValueError):
        Formula("share", ("only-one",))
