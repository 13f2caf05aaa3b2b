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
from obserwatorium.analytics.normalise import METHODS, Reference, linear_map, references

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


def _scales(spec: IndexSpec, values: pl.DataFrame) -> pl.DataFrame:
    """Per component: weight, reference centre and spread, sign and the score a missing value is imputed with.

    Every normalisation is linear, score = sign × (value − centre) / spread + base, so one join applies each
    component's scale to all its rows at once.
    """
    rows = []
    found = references(values, spec.reference_units, spec.reference_periods)
    for component in spec.components:
        ref = found.get(component.key, Reference(None, None, None, None, 0))
        mapped = linear_map(spec.method, ref, component.direction)
        sign = -1.0 if component.direction == "lower" and spec.method != "none" else 1.0
        centre: float | None
        spread: float | None
        base: float | None
        if mapped is None:
            centre, spread, base = None, None, None
        elif mapped[0] == 0.0:
            centre, spread, base = 0.0, float("inf"), mapped[1]
        elif spec.method == "min-max" and ref.minimum is not None and ref.maximum is not None:
            centre, spread, base = (ref.minimum, ref.maximum - ref.minimum, 0.0) if sign > 0 else \
                (ref.maximum, ref.maximum - ref.minimum, 0.0)
        elif spec.method == "z-score":
            centre, spread, base = ref.mean, ref.sd, 0.0
        else:
            centre, spread, base = 0.0, 1.0, 0.0
        fallback = 0.5 if spec.method == "min-max" else (ref.mean if spec.method == "none" and ref.count else 0.0)
        rows.append((component.key, float(component.weight), sign, centre, spread, base, fallback))
    return pl.DataFrame(rows, schema={"component": pl.Utf8, "weight": pl.Float64, "sign": pl.Float64,
                                      "centre": pl.Float64, "spread": pl.Float64, "base": pl.Float64,
                                      "fallback": pl.Float64}, orient="row")


def component_scores(spec: IndexSpec, values: pl.DataFrame, units: Sequence[str], periods: Sequence[str]
                     ) -> pl.LazyFrame:
    """Every present (unit, period, component) value with its normalised score and weight (lazily).

    Normalisation is linear in the value (min-max, z-score, identity), so each component's scale is fitted once
    on the reference set and applied to all rows by one join.
    """
    scales = _scales(spec, values)
    present = (values.lazy().filter(pl.col("value").is_not_null() & pl.col("value").is_finite()
                                    & pl.col("unit").is_in(list(units)) & pl.col("period").is_in(list(periods)))
               .rename({"indicator": "component"}).join(scales.lazy(), on="component", how="inner"))
    return present.select(
        "unit", "period", "component", pl.col("value").cast(pl.Float64),
        (pl.col("sign") * (pl.col("value") - pl.col("centre")) / pl.col("spread") + pl.col("base")).alias("score"),
        "weight", "fallback", pl.lit(False).alias("imputed"), "flag").filter(pl.col("score").is_not_null())


def compute_index(spec: IndexSpec, values: pl.DataFrame, units: Sequence[str], periods: Sequence[str],
                  *, with_contributions: bool = True) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Index per unit and period (INDEX_SCHEMA) and the contributions behind it (CONTRIBUTION_SCHEMA).

    `values` holds every component (column `indicator` = component key). The index equals the sum of the
    contributions; each contribution is effective weight × score × scale (100 for min-max). Contributions are
    listed, in no particular order, for the components present (and, with the "mean" rule, the imputed ones).
    """
    scores = component_scores(spec, values, units, periods)
    scales = _scales(spec, values)
    total_weight = sum(c.weight for c in spec.components)
    observed = scores.group_by("unit", "period").agg(
        pl.col("weight").sum().alias("present_weight"), pl.len().cast(pl.Int64).alias("available"),
        (pl.col("weight") * pl.col("score")).sum().alias("weighted"),
        (pl.col("weight") * pl.col("fallback")).sum().alias("weighted_fallback"),
        flag_from_rank(rank_expr("flag").max()).alias("flag"))
    grid = (pl.LazyFrame({"unit": list(units)}, schema={"unit": pl.Utf8})
            .join(pl.LazyFrame({"period": list(periods)}, schema={"period": pl.Utf8}), how="cross")
            .join(observed, on=["unit", "period"], how="left")
            .with_columns([pl.col(c).fill_null(0) for c in ("present_weight", "available", "weighted",
                                                             "weighted_fallback")]))
    if spec.missing == "mean":
        # A missing component adds weight × fallback score: the fallbacks of all components minus those present.
        all_fallback = float((scales["weight"] * scales["fallback"].fill_null(0.0)).sum())
        numerator = pl.col("weighted") + all_fallback - pl.col("weighted_fallback")
        divisor, usable = pl.lit(total_weight), pl.lit(True)
        imputed = (grid.select("unit", "period").join(scales.lazy(), how="cross")
                   .join(scores.select("unit", "period", "component"), on=["unit", "period", "component"], how="anti")
                   .select("unit", "period", "component", pl.lit(None, dtype=pl.Float64).alias("value"),
                           pl.col("fallback").alias("score"), "weight", "fallback", pl.lit(True).alias("imputed"),
                           pl.lit(None, dtype=pl.Utf8).alias("flag")))
        scores = pl.concat([scores, imputed])
    else:
        numerator, divisor = pl.col("weighted"), pl.col("present_weight")
        if spec.missing == "exclude":
            usable = pl.col("available") == len(spec.components)
        else:
            usable = pl.col("present_weight") >= spec.min_weight_share * total_weight - 1e-12
    grid = grid.with_columns(pl.when(usable & (divisor > 0)).then(divisor).otherwise(None).alias("divisor"))
    grid = grid.with_columns((numerator / pl.col("divisor") * spec.scale).alias("index"))
    contributions = (scores.join(grid.select("unit", "period", "divisor"), on=["unit", "period"], how="left")
                     .with_columns((pl.col("weight") / pl.col("divisor")).alias("effective_weight"))
                     .with_columns((pl.col("effective_weight") * pl.col("score") * spec.scale).alias("contribution"))
                     .select([pl.col(n).cast(t) for n, t in CONTRIBUTION_SCHEMA.items()]))
    index = grid.with_columns(
        pl.lit(len(spec.components), dtype=pl.Int64).alias("components"),
        (pl.col("present_weight") / total_weight).alias("weight_share"), pl.col("flag").fill_null("final"))
    index = index.select([pl.col(n).cast(t) for n, t in INDEX_SCHEMA.items()]).sort("unit", "period")
    if not with_contributions:
        return index.collect(), pl.DataFrame(schema=CONTRIBUTION_SCHEMA)
    index_frame, contribution_frame = pl.collect_all([index, contributions])
    return index_frame, contribution_frame
