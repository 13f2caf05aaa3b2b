"""Ranks per indicator and period (polarity respected, ties shared) and position within a peer group."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

# "min" is standard competition ranking (1224): tied units share the best rank and the next rank is skipped;
# "dense" (1223) does not skip. Competition ranking is the default: "3rd of 15" keeps its plain meaning.
TIE_METHODS: dict[str, Literal["min", "dense"]] = {"competition": "min", "dense": "dense"}


def rank(frame: pl.DataFrame, direction: str, *, ties: str = "competition",
         by: Sequence[str] = ("period",)) -> pl.DataFrame:
    """Add `rank` (1 = best) and `ranked` (how many units have a value) within each group of `by`.

    direction "higher" ranks the largest value first, "lower" the smallest; "neutral" ranks by size (largest
    first) without saying better or worse. Units without a value get no rank.
    """
    if ties not in TIE_METHODS:
        raise ValueError(f"unknown tie method {ties!r}")
    if direction not in ("higher", "lower", "neutral"):
        raise ValueError(f"unknown direction {direction!r}")
    groups = list(by)
    has_value = pl.col("value").is_not_null() & pl.col("value").is_not_nan()
    ordered = pl.when(has_value).then(pl.col("value"))
    ranks = ordered.rank(method=TIE_METHODS[ties], descending=direction != "lower")
    return frame.with_columns(
        (ranks.over(groups) if groups else ranks).cast(pl.Int64).alias("rank"),
        (has_value.sum().over(groups) if groups else has_value.sum()).cast(pl.Int64).alias("ranked"),
    )


def rank_of(value: float | None, values: Sequence[float | None], direction: str) -> tuple[int, int] | None:
    """`rank` for one value among others: its position (1 = best) and how many were ranked; None when missing.

    The same competition ranking as `rank` (a property test holds them equal), for a page that holds a handful
    of values in memory.
    """
    known = [v for v in values if v is not None and v == v]
    if value is None or value != value or not known:
        return None
    better = sum(1 for v in known if (v < value if direction == "lower" else v > value))
    return better + 1, len(known)


def quartiles(values: Sequence[float]) -> tuple[float, float, float] | None:
    """Lower quartile, median, upper quartile by linear interpolation between order statistics (type 7)."""
    clean = sorted(v for v in values if v is not None and v == v)
    if not clean:
        return None

    def at(q: float) -> float:
        position = q * (len(clean) - 1)
        low = int(position)
        high = min(low + 1, len(clean) - 1)
        return clean[low] + (clean[high] - clean[low]) * (position - low)

    return at(0.25), at(0.5), at(0.75)


def position(value: float | None, stats: tuple[float, float, float] | None, direction: str) -> str | None:
    """Where a value stands against its group's quartiles, in the indicator's direction of better."""
    if value is None or stats is None or value != value:
        return None
    q1, median, q3 = stats
    if direction == "lower":
        q1, median, q3, value = -q3, -median, -q1, -value
    if value > q3:
        return "top-quartile"
    if value > median:
        return "above-median"
    if value == median:
        return "median"
    if value >= q1:
        return "below-median"
    return "bottom-quartile"


