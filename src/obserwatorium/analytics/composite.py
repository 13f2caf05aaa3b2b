"""Composite indices: weighted linear aggregation of normalised components (OECD/JRC Handbook, 2008).

Steps, each declared as data: choose components, normalise each against a reference set and period (respecting
its direction), treat missing data by a stated rule, weight and sum. Every index value is returned with each
component's contribution, so that the page can show which inputs made it and how much.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from obserwatorium.analytics.flags import flag_from_rank, rank_expr
from obserwatorium.analytics.normalise import METHODS, reference, score_expr

MISSING_RULES = ("exclude", "reweight", "mean")
CONTRIBUTION_SCHEMA = {"unit": pl.Utf8, "period": pl.Utf8, "component": pl.Utf8, "value": pl.Float64,
                       "score": pl.Float64, "weight": pl.Float64, "effective_weight": pl.Float64,
                       "contribution": pl.Float64, "imputed": pl.Boolean, "flag": pl.Utf8}
INDEX_SCHEMA = {"unit": pl.Utf8, "period": pl.Utf8, "index": pl.Float64, "components": pl.Int64,
                "available": pl.Int64, "weight_share": pl.Float64, "flag": pl.Utf8}


@dataclass(frozen=True)
class Component:
    key: str
    weight: float
    direction: str


@dataclass(frozen=True)
class IndexSpec:
    """A composite index definition.

    method: min-max (scores 0..1, index 0..100), z-score, or none (components already on a common scale).
    missing: exclude (no index unless every component is present), reweight (weights of the present components
    rescaled to sum to one, provided they carry at least `min_weight_share` of the total weight), or mean
    (a missing score imputed with the reference mean score, then flagged as imputed).
    """

    components: tuple[Component, ...]
    method: str = "min-max"
    missing: str = "reweight"
    min_weight_share: float = 0.5
    reference_units: tuple[str, ...] | None = None
    reference_periods: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown normalisation {self.method!r}")
        if self.missing not in MISSING_RULES:
            raise ValueError(f"unknown missing-data rule {self.missing!r}")
        if not self.components or any(c.weight < 0 for c in self.components) \
                or sum(c.weight for c in self.components) <= 0:
            raise ValueError("an index needs components with non-negative weights summing to more than zero")
        if len({c.key for c in self.components}) != len(self.components):
            raise ValueError("an index lists a component twice")

    @property
    def scale(self) -> float:
        return 100.0 if self.method == "min-max" else 1.0


def component_scores(spec: IndexSpec, values: pl.DataFrame, units: Sequence[str], periods: Sequence[str]
                     ) -> pl.DataFrame:
    """Every (unit, period, component) with its value, normalised score and weight; absent ones with nulls."""
    grid = pl.DataFrame({"unit": list(units)}, schema={"unit": pl.Utf8}).join(
        pl.DataFrame({"period": list(periods)}, schema={"period": pl.Utf8}), how="cross")
    parts = []
    for component in spec.components:
        frame = values.filter(pl.col("indicator") == component.key).select("unit", "period", "value", "flag")
        ref = reference(frame, spec.reference_units, spec.reference_periods)
        scored = frame.with_columns(score_expr(spec.method, ref, component.direction).alias("score"))
        fallback = 0.5 if spec.method == "min-max" else 0.0
        if spec.method == "none" and ref.count:
            fallback = ref.mean
        parts.append(grid.join(scored, on=["unit", "period"], how="left").with_columns(
            pl.lit(component.key).alias("component"), pl.lit(float(component.weight)).alias("weight"),
            pl.lit(fallback, dtype=pl.Float64).alias("fallback")))
    return pl.concat(parts).with_columns(pl.col("value").cast(pl.Float64), pl.col("score").cast(pl.Float64))


def compute_index(spec: IndexSpec, values: pl.DataFrame, units: Sequence[str], periods: Sequence[str]
                  ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Index per unit and period (INDEX_SCHEMA) and the contributions behind it (CONTRIBUTION_SCHEMA).

    `values` holds every component (column `indicator` = component key). The index equals the sum of the
    contributions; each contribution is effective weight × score × scale (100 for min-max).
    """
    scores = component_scores(spec, values, units, periods)
    present = pl.col("score").is_not_null()
    total_weight = sum(c.weight for c in spec.components)
    if spec.missing == "mean":
        scores = scores.with_columns((~present).alias("imputed"), pl.coalesce("score", "fallback").alias("score"))
        present = pl.col("score").is_not_null()
    else:
        scores = scores.with_columns(pl.lit(False).alias("imputed"))
    scores = scores.with_columns(
        pl.when(present).then(pl.col("weight")).otherwise(0.0).sum().over("unit", "period").alias("present_weight"),
        present.sum().over("unit", "period").alias("available"),
    )
    complete = pl.col("available") == len(spec.components)
    if spec.missing == "exclude":
        usable = complete
    else:
        usable = pl.col("present_weight") >= spec.min_weight_share * total_weight - 1e-12
    scores = scores.with_columns(
        pl.when(usable & present & (pl.col("present_weight") > 0))
        .then(pl.col("weight") / pl.col("present_weight")).otherwise(None).alias("effective_weight"))
    scores = scores.with_columns((pl.col("effective_weight") * pl.col("score") * spec.scale).alias("contribution"))
    contributions = scores.select(list(CONTRIBUTION_SCHEMA)).with_columns(
        [pl.col(n).cast(t) for n, t in CONTRIBUTION_SCHEMA.items()]).sort("unit", "period", "component")
    index = scores.group_by("unit", "period").agg(
        pl.when(pl.col("effective_weight").is_not_null().any()).then(pl.col("contribution").sum())
        .otherwise(None).alias("index"),
        pl.len().cast(pl.Int64).alias("components"),
        pl.col("available").first().cast(pl.Int64),
        (pl.col("present_weight").first() / total_weight).alias("weight_share"),
        flag_from_rank(rank_expr("flag").max()).fill_null("final").alias("flag"),
    )
    index = index.select([pl.col(n).cast(t) for n, t in INDEX_SCHEMA.items()]).sort("unit", "period")
    return index, contributions
