"""Group-level values (the metropolis, or any chosen group of units) by an indicator's aggregation rule.

Every aggregate carries its coverage: how many of the expected units contributed and which are missing.

Rules (one definition for the whole product: pages, analytics views, API and downloads):
- ``sum``: the sum of the units' values, only when EVERY expected unit has one. A partial sum is not the group's
  total and would read as a fall, so it is withheld and the coverage says what is missing.
- ``population_weighted_mean``: sum(value x population) / sum(population) over the units that have both.
- ``ratio_of_sums``: sum(numerator) / sum(denominator) x scale over the units that have both terms.
- ``none``: no group value (coverage is still reported).

`aggregate` computes every period of a table at once (polars); `aggregate_one` computes one period from plain
mappings for the pages that already hold their values in memory. A property test holds the two to the same
result for every rule.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
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


Values = Mapping[Hashable, float | None]


@dataclass(frozen=True)
class Aggregate:
    """One period's group value (None when the rule gives none) and how many of the expected units it covers."""

    value: float | None
    covered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.covered == self.total


def _known(values: Values | None, member: Hashable) -> float | None:
    if values is None:
        return None
    value = values.get(member)
    return None if value is None else float(value)


def aggregate_one(
    rule: Rule, *, members: Collection[Hashable], values: Values | None = None, weights: Values | None = None,
    numerators: Values | None = None, denominators: Values | None = None,
) -> Aggregate:
    """The group value of one period from the units' values by the rule (see the module's rules)."""
    total = len(set(members))
    members = sorted(set(members), key=str)
    if rule.kind == "ratio_of_sums":
        pairs = [(n, d) for m in members
                 if (n := _known(numerators, m)) is not None and (d := _known(denominators, m)) is not None]
        denominator = sum(d for _, d in pairs)
        value = sum(n for n, _ in pairs) / denominator * rule.scale if pairs and denominator != 0 else None
        return Aggregate(value, len(pairs), total)
    if rule.kind == "population_weighted_mean":
        pairs = [(v, w) for m in members
                 if (v := _known(values, m)) is not None and (w := _known(weights, m)) is not None]
        weight = sum(w for _, w in pairs)
        value = sum(v * w for v, w in pairs) / weight if weight > 0 else None
        return Aggregate(value, len(pairs), total)
    known = [v for m in members if (v := _known(values, m)) is not None]
    if rule.kind == "sum":
        return Aggregate(sum(known) if known and len(known) == total else None, len(known), total)
    return Aggregate(None, len(known), total)


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
    its population, or both terms of the ratio); a mean or ratio is computed over the covered units, a sum only
    when every member is covered. Periods are those given, or every period in which any member has an input.
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
    ).with_columns(
        pl.when((pl.col("covered") > 0) & ((pl.col("covered") == pl.col("expected")) | (rule.kind != "sum")))
        .then(pl.col("value")).alias("value"),
    ).sort("period")
