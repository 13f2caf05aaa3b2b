"""Ranks, peer position, trends and Eurostat progress classes: worked examples and properties."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.analytics.progress import assess_with_target, assess_without_target, classify_ratio
from obserwatorium.analytics.ranking import position, quartiles, rank
from obserwatorium.analytics.trend import trend


# Polars' own quartiles (type 7), the oracle the product's quartiles are checked against.
def peer_stats(frame: pl.DataFrame, *, by: Sequence[str] = ("period",)) -> pl.DataFrame:
    """Per group: how many values, minimum, lower quartile, median, upper quartile and maximum (type 7)."""
    value = pl.col("value").drop_nulls().drop_nans()
    return frame.group_by(list(by)).agg(
        value.count().alias("n"), value.min().alias("min"),
        value.quantile(0.25, interpolation="linear").alias("q1"), value.median().alias("median"),
        value.quantile(0.75, interpolation="linear").alias("q3"), value.max().alias("max"),
    ).sort(list(by))


def values(*pairs):
    return pl.DataFrame({"unit": [u for u, _ in pairs], "period": ["2020"] * len(pairs),
                         "value": [v for _, v in pairs]}, schema={"unit": pl.Utf8, "period": pl.Utf8,
                                                                  "value": pl.Float64})


def test_worked_example_competition_and_dense_ties():
    data = values(("a", 9.0), ("b", 7.0), ("c", 7.0), ("d", 3.0), ("e", None))
    assert rank(data, "higher")["rank"].to_list() == [1, 2, 2, 4, None]
    assert rank(data, "higher", ties="dense")["rank"].to_list() == [1, 2, 2, 3, None]
    assert rank(data, "lower")["rank"].to_list() == [4, 2, 2, 1, None]
    assert rank(data, "higher")["ranked"].to_list() == [4] * 5


def test_worked_example_quartiles_and_position():
    # Type-7 quartiles of 1..9: 3, 5, 7.
    assert quartiles([9, 1, 8, 2, 7, 3, 6, 4, 5]) == (3.0, 5.0, 7.0)
    stats = quartiles(range(1, 10))
    assert [position(v, stats, "higher") for v in (8, 6, 5, 4, 2)] == [
        "top-quartile", "above-median", "median", "below-median", "bottom-quartile"]
    assert position(2, stats, "lower") == "top-quartile"
    frame = values(*[(str(i), float(i)) for i in range(1, 10)])
    assert peer_stats(frame).select("q1", "median", "q3").row(0) == (3.0, 5.0, 7.0)


@given(st.lists(st.one_of(st.none(), st.integers(-50, 50).map(float)), min_size=1, max_size=30),
       st.sampled_from(["higher", "lower"]), st.sampled_from(["competition", "dense"]))
def test_ranks_respect_polarity_and_ties(raw, direction, ties):
    data = values(*[(f"u{i}", v) for i, v in enumerate(raw)])
    ranked = rank(data, direction, ties=ties)
    pairs = [(v, r) for v, r in zip(raw, ranked["rank"].to_list(), strict=True)]
    present = [(v, r) for v, r in pairs if v is not None]
    assert all(r is None for v, r in pairs if v is None)
    better = (lambda x, y: x > y) if direction == "higher" else (lambda x, y: x < y)
    for v1, r1 in present:
        for v2, r2 in present:
            if v1 == v2:
                assert r1 == r2
            elif better(v1, v2):
                assert r1 < r2
    if present:
        assert min(r for _, r in present) == 1
        if ties == "competition":
            # Competition rank = 1 + how many units are strictly better.
            assert all(r == 1 + sum(better(o, v) for o, _ in present) for v, r in present)
        else:
            assert max(r for _, r in present) == len({v for v, _ in present})


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=40))
def test_quartiles_are_ordered_and_agree_with_polars(raw):
    q1, median, q3 = quartiles(raw)
    assert min(raw) <= q1 <= median <= q3 <= max(raw)
    stats = peer_stats(values(*[(str(i), v) for i, v in enumerate(raw)])).row(0, named=True)
    assert (stats["q1"], stats["median"], stats["q3"]) == pytest.approx((q1, median, q3), rel=1e-9, abs=1e-6)


def test_worked_example_trend():
    result = trend({2016: 90.0, 2018: 100.0, 2019: 104.0, 2020: 108.0, 2021: 150.0, 2022: 116.0, 2023: 120.0})
    # Window 2018–2023; the 2021 spike does not move the Theil–Sen slope off 4 a year.
    assert (result.first_year, result.last_year) == (2018, 2023)
    assert result.slope == pytest.approx(4.0)
    assert result.cagr == pytest.approx(((120 / 100) ** (1 / 5) - 1) * 100)
    assert (result.direction, result.strength) == ("up", "strong")
    assert trend({2022: 1.0, 2023: 2.0}) is None
    assert trend({2019: 100.0, 2020: 100.1, 2021: 100.0, 2022: 100.2}).direction == "flat"


def test_worked_example_progress_with_target():
    # From 100 in 2018 to 110 in 2023: observed CAGR 1.924 %; to reach 130 in 2030 from 2018 needs 2.210 %.
    # Ratio 0.871 → moderate progress (60–95 %).
    series = {2018: 100.0, 2019: 102.0, 2020: 104.0, 2021: 106.0, 2022: 108.0, 2023: 110.0}
    result = assess_with_target(series, target_year=2030, target_value=130.0)
    assert result.observed_cagr == pytest.approx(1.9244876)
    assert result.required_cagr == pytest.approx(2.2104451)
    assert result.ratio == pytest.approx(0.8706336)
    assert result.status == "moderate-progress"
    assert result.distance_travelled == pytest.approx(100 * 10 / 30)


def test_progress_classes_for_a_falling_target_and_a_met_target():
    falling = {2018: 20.0, 2019: 19.0, 2020: 18.5, 2021: 18.0, 2022: 17.5, 2023: 17.0}
    # Required: (10/20)^(1/12) - 1 = -5.61 %; observed: (17/20)^(1/5) - 1 = -3.20 %; ratio 0.57 → insufficient.
    assert assess_with_target(falling, target_year=2030, target_value=10.0).status == "insufficient-progress"
    rising_wrongly = {2018: 20.0, 2020: 21.0, 2023: 22.0}
    assert assess_with_target(rising_wrongly, target_year=2030, target_value=10.0).status == "movement-away"
    met = assess_with_target(falling, target_year=2030, target_value=17.5)
    assert met.status == "significant-progress" and met.target_met


def test_worked_example_progress_without_target():
    # 100 → 104.0604 over 2018–2022 is 1.0 % a year exactly; 1.5 % is significant, -1.5 % for "lower" too.
    assert assess_without_target({2018: 100.0, 2020: 102.0, 2022: 104.0604}, "higher").status == "moderate-progress"
    up = {2018: 100.0, 2019: 101.5, 2020: 103.0225}
    assert assess_without_target(up, "higher").status == "significant-progress"
    assert assess_without_target(up, "lower").status == "significant-movement-away"
    assert assess_without_target({2020: 100.0, 2021: 99.5, 2022: 99.0}, "higher").status == "moderate-movement-away"
    assert assess_without_target(up, "neutral") is None


@given(st.floats(min_value=-10, max_value=10))
def test_ratio_classes_are_monotonic(ratio):
    order = ["movement-away", "insufficient-progress", "moderate-progress", "significant-progress"]
    assert order.index(classify_ratio(ratio)) <= order.index(classify_ratio(ratio + 0.1))


@given(st.floats(min_value=1, max_value=1e6), st.floats(min_value=1, max_value=1e6))
def test_on_the_required_path_is_significant_progress(start, target):
    # A series that grows exactly at the required rate is on track (ratio 1).
    required = (target / start) ** (1 / 12) - 1
    series = {2018 + k: start * (1 + required) ** k for k in range(6)}
    result = assess_with_target(series, target_year=2030, target_value=target)
    assert result.status == "significant-progress"


def test_the_trend_label_and_the_progress_class_read_the_same_direction():
    # Three falling years, then a rebound above the start: the Theil–Sen slope falls, the window's CAGR rises.
    # The page printed "falling strongly" beside "CAGR +1.70 %, significant movement away" (lower is better).
    series = {2019: 100.0, 2020: 90.0, 2021: 80.0, 2022: 70.0, 2023: 107.0}
    found = trend(series)
    assert found.slope < 0 and found.cagr == pytest.approx(((107 / 100) ** (1 / 4) - 1) * 100)
    assert (found.direction, found.strength) == ("up", "strong")
    assert assess_without_target(series, "lower").status == "significant-movement-away"
    assert assess_without_target(series, "higher").status == "significant-progress"


def test_without_a_cagr_the_slope_decides_and_no_progress_class_is_given():
    series = {2019: 5.0, 2020: 2.0, 2021: -1.0, 2022: -4.0}  # crosses zero: no compound growth rate
    found = trend(series)
    assert found.cagr is None and (found.direction, found.strength) == ("down", "strong")
    assert assess_without_target(series, "higher") is None


AGREES = {("up", "higher"): {"significant-progress", "moderate-progress"},
          ("down", "higher"): {"significant-movement-away", "moderate-movement-away"},
          ("up", "lower"): {"significant-movement-away", "moderate-movement-away"},
          ("down", "lower"): {"significant-progress", "moderate-progress"}}


@given(st.lists(st.floats(min_value=1, max_value=1e6), min_size=3, max_size=8), st.sampled_from(["higher", "lower"]))
def test_trend_direction_never_contradicts_the_progress_class(levels, polarity):
    series = {2016 + i: v for i, v in enumerate(levels)}
    found, assessed = trend(series), assess_without_target(series, polarity)
    assert found is not None and assessed is not None
    if found.direction != "flat":
        assert assessed.status in AGREES[found.direction, polarity]
        assert (found.strength == "strong") == assessed.status.startswith("significant")
