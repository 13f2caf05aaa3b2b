"""Normalisation of indicator values against a reference set and period, with polarity (OECD/JRC Handbook, §5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

METHODS = ("min-max", "z-score", "none")
DIRECTIONS = ("higher", "lower")


@dataclass(frozen=True)
class Reference:
    """Statistics of the reference set: the units and periods the scale is anchored to (pooled)."""

    minimum: float | None
    maximum: float | None
    mean: float | None
    sd: float | None
    count: int


def reference(frame: pl.DataFrame, units: Sequence[str] | None = None, periods: Sequence[str] | None = None
              ) -> Reference:
    """Pooled min, max, mean and population standard deviation of `value` over the reference units and periods."""
    chosen = frame.filter(pl.col("value").is_not_null() & pl.col("value").is_finite())
    if units is not None:
        chosen = chosen.filter(pl.col("unit").is_in(list(units)))
    if periods is not None:
        chosen = chosen.filter(pl.col("period").is_in(list(periods)))
    if chosen.height == 0:
        return Reference(None, None, None, None, 0)
    stats = chosen.select(pl.col("value").min().alias("lo"), pl.col("value").max().alias("hi"),
                          pl.col("value").mean().alias("mean"), pl.col("value").std(ddof=0).alias("sd")).row(0)
    return Reference(stats[0], stats[1], stats[2], stats[3], chosen.height)


def _meaningful(spread: float, ref: Reference) -> bool:
    """Whether a spread is more than floating-point noise relative to the values' magnitude."""
    magnitude = max(abs(ref.minimum or 0.0), abs(ref.maximum or 0.0))
    return spread > 1e-12 * magnitude


def score_expr(method: str, ref: Reference, direction: str, column: str = "value") -> pl.Expr:
    """Normalised score: min-max to 0..1 (1 = best) or z-score (positive = better than the reference mean).

    A degenerate reference (all values equal) gives every unit the middle score, 0.5 or 0, rather than a
    division by zero; values outside the reference range go beyond 0..1 so that movement stays visible.
    """
    if method not in METHODS:
        raise ValueError(f"unknown normalisation {method!r}")
    if direction not in DIRECTIONS:
        raise ValueError(f"a normalised indicator needs a direction (higher/lower), got {direction!r}")
    value = pl.col(column).cast(pl.Float64)
    if method == "none":
        score = value
    elif ref.count == 0:
        score = pl.lit(None, dtype=pl.Float64)
    elif method == "min-max":
        spread = ref.maximum - ref.minimum
        score = (value - ref.minimum) / spread if _meaningful(spread, ref) else value * 0.0 + 0.5
        if direction == "lower":
            score = 1.0 - score
        return score
    else:
        score = (value - ref.mean) / ref.sd if ref.sd and _meaningful(ref.sd, ref) else value * 0.0
    return -score if direction == "lower" and method != "none" else score


def normalise(frame: pl.DataFrame, method: str, direction: str, *, units: Sequence[str] | None = None,
              periods: Sequence[str] | None = None) -> pl.DataFrame:
    """The frame with a `score` column normalised against the reference units and periods."""
    ref = reference(frame, units, periods)
    return frame.with_columns(score_expr(method, ref, direction).alias("score"))
