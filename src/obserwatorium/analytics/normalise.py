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


def references(frame: pl.DataFrame, units: Sequence[str] | None = None, periods: Sequence[str] | None = None,
               key: str = "indicator") -> dict[str, Reference]:
    """Reference statistics of every indicator of a long frame in one pass, by the `key` column."""
    chosen = frame.filter(pl.col("value").is_not_null() & pl.col("value").is_finite())
    if units is not None:
        chosen = chosen.filter(pl.col("unit").is_in(list(units)))
    if periods is not None:
        chosen = chosen.filter(pl.col("period").is_in(list(periods)))
    stats = chosen.group_by(key).agg(pl.col("value").min().alias("lo"), pl.col("value").max().alias("hi"),
                                     pl.col("value").mean().alias("mean"), pl.col("value").std(ddof=0).alias("sd"),
                                     pl.len().alias("n"))
    return {row[0]: Reference(row[1], row[2], row[3], row[4], row[5]) for row in stats.iter_rows()}


def _meaningful(spread: float, ref: Reference) -> bool:
    """Whether a spread is more than floating-point noise relative to the values' magnitude."""
    magnitude = max(abs(ref.minimum or 0.0), abs(ref.maximum or 0.0))
    return spread > 1e-12 * magnitude


def linear_map(method: str, ref: Reference, direction: str) -> tuple[float, float] | None:
    """(slope, offset) with score = slope × value + offset; None when the reference set is empty.

    min-max scores 0..1 (1 = best), z-score is positive when better than the reference mean. A degenerate
    reference (all values equal) gives every unit the middle score, 0.5 or 0, rather than a division by zero;
    values outside the reference range go beyond 0..1 so that movement stays visible.
    """
    if method not in METHODS:
        raise ValueError(f"unknown normalisation {method!r}")
    if direction not in DIRECTIONS:
        raise ValueError(f"a normalised indicator needs a direction (higher/lower), got {direction!r}")
    if method == "none":
        return 1.0, 0.0
    if ref.count == 0 or ref.minimum is None or ref.maximum is None or ref.mean is None:
        return None
    if method == "min-max":
        spread = ref.maximum - ref.minimum
        if not _meaningful(spread, ref):
            return 0.0, 0.5
        slope, offset = 1.0 / spread, -ref.minimum / spread
        return (-slope, 1.0 - offset) if direction == "lower" else (slope, offset)
    if not ref.sd or not _meaningful(ref.sd, ref):
        return 0.0, 0.0
    slope, offset = 1.0 / ref.sd, -ref.mean / ref.sd
    return (-slope, -offset) if direction == "lower" else (slope, offset)


def score_expr(method: str, ref: Reference, direction: str, column: str = "value") -> pl.Expr:
    """The normalised score of a value column (see linear_map)."""
    found = linear_map(method, ref, direction)
    if found is None:
        return pl.lit(None, dtype=pl.Float64)
    slope, offset = found
    low, high, mean, sd = ref.minimum, ref.maximum, ref.mean, ref.sd
    if method == "min-max" and slope != 0 and low is not None and high is not None:
        # Computed as a difference first: exact 0 and 1 at the reference's ends, whatever the magnitude.
        score = (pl.col(column).cast(pl.Float64) - low) / (high - low)
        return 1.0 - score if direction == "lower" else score
    if method == "z-score" and slope != 0 and mean is not None and sd is not None:
        score = (pl.col(column).cast(pl.Float64) - mean) / sd
        return -score if direction == "lower" else score
    return pl.col(column).cast(pl.Float64) * slope + offset


def normalise(frame: pl.DataFrame, method: str, direction: str, *, units: Sequence[str] | None = None,
              periods: Sequence[str] | None = None) -> pl.DataFrame:
    """The frame with a `score` column normalised against the reference units and periods."""
    ref = reference(frame, units, periods)
    return frame.with_columns(score_expr(method, ref, direction).alias("score"))
