"""Group-level values (the metropolis, or any chosen group of units) by an indicator's aggregation rule.

Every aggregate carries its coverage: how many of the expected units contributed and which are missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from obserwatorium.analytics.flags import flag_from_rank, rank_expr

RULES = ("sum", "population_weighted_mean", "ratio_of_sums", "none")
AGGREGATE_SCHEMA = {"period": pl.Utf8, "value": pl.Float64, "flag": pl.Utf8, "covered": pl.Int64,
                    "expected": pl.Int64, "missing": pl.List(pl.Utf8)}


@dataclass(frozen=True)
class Rule:
    """An aggregation rule: `kind` in RULES and, for a ratio of sums, the scale applied to the ratio."""

    kind: str
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in RULES:
            raise ValueError(f"unknown aggregation rule {self.kind!r}")


def _present(frame: pl.DataFrame, members: Sequence[str], name: str) -> pl.DataFrame:
    return (frame.filter(pl.col("unit").is_in(list(members)) & pl.col("value").is_not_null())
            .select("unit", "period", pl.col("value").cast(pl.Float64).alias(name), pl.col("flag").alias(f"{name}_f")))


def _inputs(rule: Rule, values: pl.DataFrame | None, weights: pl.DataFrame | None,
            numerator: pl.DataFrame | None, denominator: pl.DataFrame | None,
            members: Sequence[str]) -> tuple[pl.DataFrame, list[str]]:
    """One row per unit and period where every input of the rule is present; the input column names."""
    if rule.kind == "ratio_of_sums":
        if numerator is None or denominator is None:
            raise ValueError("a ratio of sums needs numerator and denominator values")
        return _present(numerator, members, "num").join(_present(denominator, members, "den"),
                                                        on=["unit", "period"]), ["num", "den"]
    if values is None:
        raise ValueError(f"rule {rule.kind!r} needs values")
    if rule.kind == "population_weighted_mean":
        if weights is None:
            raise ValueError("a population-weighted mean needs population values")
        return _present(values, members, "x").join(_present(weights, members, "w"),
                                                   on=["unit", "period"]), ["x", "w"]
    return _present(values, members, "x"), ["x"]


def aggregate(
    rule: Rule, members: Sequence[str], *, values: pl.DataFrame | None = None, weights: pl.DataFrame | None = None,
    numerator: pl.DataFrame | None = None, denominator: pl.DataFrame | None = None,
    periods: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Per period: the group value, its weakest flag, `covered` of `expected` members and the `missing` ones.

    A unit counts as covered only when every input the rule needs is present for it in that period (a value and
    its population, or both terms of the ratio); the value is computed over the covered units only. Periods are
    those given, or every period in which any member has an input.
    """
    expected = sorted(set(members))
    rows, columns = _inputs(rule, values, weights, numerator, denominator, expected)
    if periods is None:
        periods = sorted(set(rows["period"].to_list()))
    if rule.kind == "none" or not expected:
        value_expr = pl.lit(None, dtype=pl.Float64)
    elif rule.kind == "sum":
        value_expr = pl.col("x").sum()
    elif rule.kind == "population_weighted_mean":
        value_expr = pl.when(pl.col("w").sum() > 0).then((pl.col("x") * pl.col("w")).sum() / pl.col("w").sum())
    else:
        value_expr = pl.when(pl.col("den").sum() != 0).then(pl.col("num").sum() / pl.col("den").sum() * rule.scale)
    flag_rank = pl.max_horizontal(*(rank_expr(f"{c}_f") for c in columns)).max()
    grouped = rows.group_by("period").agg(
        value_expr.alias("value"), flag_from_rank(flag_rank).alias("flag"),
        pl.col("unit").unique().sort().alias("units"),
    )
    frame = pl.DataFrame({"period": list(periods)}, schema={"period": pl.Utf8}).join(grouped, on="period", how="left")
    return frame.select(
        "period", pl.col("value").cast(pl.Float64), pl.col("flag").fill_null("final"),
        pl.col("units").list.len().fill_null(0).cast(pl.Int64).alias("covered"),
        pl.lit(len(expected), dtype=pl.Int64).alias("expected"),
        pl.col("units").fill_null([]).cast(pl.List(pl.Utf8))
        .map_elements(lambda got: sorted(set(expected) - set(got)), return_dtype=pl.List(pl.Utf8)).alias("missing"),
    ).with_columns(pl.when(pl.col("covered") > 0).then(pl.col("value")).alias("value")).sort("period")
