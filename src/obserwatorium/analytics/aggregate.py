"""Group-level values (the metropolis, or any chosen group of units) by an indicator's aggregation rule.

Every aggregate carries its coverage (how many of the expected units contributed and which are missing) and the
weakest flag of the inputs it was computed from.

A group value is computed from the SAME unit values the pages show beside it, never from other series: the
indicator's own stored values, with a weight where the rule needs one. Rules (one definition for the whole
product: pages, analytics views, API and downloads):
- ``sum``: the sum of the units' values, only when EVERY expected unit has one. A partial sum is not the group's
  total and would read as a fall, so it is withheld and the coverage says what is missing.
- ``population_weighted_mean``: sum(value x population) / sum(population) over the units that have both.
- ``ratio_of_sums``: sum(value x denominator) / sum(denominator) over the units that have both, where the
  weight is the ratio's denominator (e.g. population for a per-capita value). For units whose value is
  numerator / denominator x scale this IS sum(numerator) / sum(denominator) x scale, but it never mixes the
  shown values with a numerator from another source (an imported per-capita value next to a demo numerator).
- ``none``: no group value (coverage is still reported).

Whether a value may be shown at all is decided by the coverage rule of `analytics.coverage` (a sum needs every
unit; a mean or ratio two thirds of the units and of the population); below it the value is withheld.

`aggregate` computes every period of a table at once (polars); `aggregate_one` computes one period from plain
mappings for the pages that already hold their values in memory. A property test holds the two to the same
result for every rule. Both end in `finish`, which applies the rule and the coverage rule to the inputs summed
over the units (`Inputs`): a page can also have those sums computed by the database (`indicators.selectors.
group_sums`) and never read the units' values at all.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from obserwatorium.analytics.coverage import population_share, sufficient
from obserwatorium.analytics.flags import flag_from_rank, rank_expr, weakest

RULES = ("sum", "population_weighted_mean", "ratio_of_sums", "none")
WEIGHTED = ("population_weighted_mean", "ratio_of_sums")
AGGREGATE_SCHEMA = {"period": pl.Utf8, "value": pl.Float64, "flag": pl.Utf8, "covered": pl.Int64,
                    "expected": pl.Int64, "missing": pl.List(pl.Utf8)}


@dataclass(frozen=True)
class Rule:
    """An aggregation rule: `kind` in RULES."""

    kind: str

    def __post_init__(self) -> None:
        if self.kind not in RULES:
            raise ValueError(f"unknown aggregation rule {self.kind!r}")

    @property
    def weighted(self) -> bool:
        """Whether the rule weights the units' values (by population or by the ratio's denominator)."""
        return self.kind in WEIGHTED


Values = Mapping[Hashable, float | None]
Flags = Mapping[Hashable, str | None]
Population = Mapping[Hashable, Mapping[str, float | None]]  # unit -> period -> population


@dataclass(frozen=True)
class Aggregate:
    """One period's group value (None when the rule gives none), how many of the expected units it covers, and
    the weakest flag of the inputs it was computed from ("final" when there were none)."""

    value: float | None
    covered: int
    total: int
    flag: str = "final"
    population_share: float | None = None  # of the group's population held by the covered units, 0-1

    @property
    def complete(self) -> bool:
        return self.covered == self.total


def _known(values: Values | None, member: Hashable) -> float | None:
    if values is None:
        return None
    value = values.get(member)
    return None if value is None else float(value)


@dataclass(frozen=True)
class Inputs:
    """One period's inputs of a group value, summed over the units: what `finish` needs, however it was summed.

    `covered`: the units with every input the rule needs (a value; for a mean or ratio also a weight). The sums
    run over those units: `value_sum` of the values (a sum), `weighted_sum` of value x weight and `weight_sum` of
    the weights (a mean or ratio). `flag`: the weakest flag of the values and weights used. `covered_population`
    and `group_population`: the population of the covered units and of the whole group by the coverage rule's
    `nearest` (None, None when no unit's population is known, or when the rule does not judge population)."""

    covered: int
    total: int
    value_sum: float = 0.0
    weighted_sum: float = 0.0
    weight_sum: float = 0.0
    flag: str = "final"
    covered_population: float | None = None
    group_population: float | None = None


def finish(rule: Rule, inputs: Inputs) -> Aggregate:
    """The group value from its summed inputs by the rule (see the module's rules), withheld below the coverage
    rule, with its coverage, weakest flag and, for a mean or ratio, the population share of the covered units."""
    covered, total = inputs.covered, inputs.total
    if rule.weighted:
        weight = inputs.weight_sum
        value = inputs.weighted_sum / weight if covered and weight != 0 else None
        if rule.kind == "population_weighted_mean" and weight <= 0:
            value = None
    else:
        value = inputs.value_sum if rule.kind == "sum" and covered and covered == total else None
    covered_population, group_population = inputs.covered_population, inputs.group_population
    if not sufficient(rule.kind, covered=covered, expected=total, covered_population=covered_population,
                      group_population=group_population):
        value = None
    share = covered_population / group_population \
        if covered_population is not None and group_population and rule.weighted else None
    return Aggregate(value, covered, total, inputs.flag, share)


def aggregate_one(
    rule: Rule, *, members: Collection[Hashable], values: Values | None = None, weights: Values | None = None,
    flags: Flags | None = None, weight_flags: Flags | None = None, population: Population | None = None,
    period: str = "",
) -> Aggregate:
    """The group value of `period` from the units' values by the rule (see the module's rules).

    `flags` and `weight_flags` give the flag of each value and weight; the aggregate carries the weakest of
    those it used. `population` (each unit's population by period) decides the coverage rule of a mean or
    ratio; without it only the unit share is judged.
    """
    total = len(set(members))
    members = sorted(set(members), key=str)
    value_sum = weighted_sum = weight_sum = 0.0
    if rule.weighted:
        pairs = {m: (v, w) for m in members
                 if (v := _known(values, m)) is not None and (w := _known(weights, m)) is not None}
        used = list(pairs)
        weight_sum = sum(w for _, w in pairs.values())
        weighted_sum = sum(v * w for v, w in pairs.values())
    else:
        present = {m: v for m in members if (v := _known(values, m)) is not None}
        used = list(present)
        value_sum = sum(present.values())
    flag = weakest([*((flags or {}).get(m) for m in used),
                    *(((weight_flags or {}).get(m) for m in used) if rule.weighted else ())])
    covered_population, group_population = population_share(members, used, population or {}, period)
    return finish(rule, Inputs(len(used), total, value_sum, weighted_sum, weight_sum, flag, covered_population,
                               group_population))


def _present(frame: pl.DataFrame, members: Sequence[str], name: str) -> pl.DataFrame:
    return (frame.filter(pl.col("unit").is_in(list(members)) & pl.col("value").is_not_null())
            .select("unit", "period", pl.col("value").cast(pl.Float64).alias(name), pl.col("flag").alias(f"{name}_f")))


def _inputs(rule: Rule, values: pl.DataFrame | None, weights: pl.DataFrame | None,
            members: Sequence[str]) -> tuple[pl.DataFrame, list[str]]:
    """One row per unit and period where every input of the rule is present; the input column names."""
    if values is None:
        raise ValueError(f"rule {rule.kind!r} needs values")
    if rule.weighted:
        if weights is None:
            raise ValueError(f"rule {rule.kind!r} needs weights (population or the ratio's denominator)")
        return _present(values, members, "x").join(_present(weights, members, "w"),
                                                   on=["unit", "period"]), ["x", "w"]
    return _present(values, members, "x"), ["x"]


def aggregate(
    rule: Rule, members: Sequence[str], *, values: pl.DataFrame | None = None, weights: pl.DataFrame | None = None,
    population: pl.DataFrame | None = None, periods: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Per period: the group value, its weakest flag, `covered` of `expected` members and the `missing` ones.

    `values`: the indicator's own unit values; `weights`: population (for a population-weighted mean) or the
    ratio's denominator (for a ratio of sums); `population`: the units' population by period, for the coverage
    rule. A unit counts as covered only when every input the rule needs is present for it in that period; a
    value is given only when the coverage rule allows (`analytics.coverage`). Periods are those given, or every
    period in which any member has an input.
    """
    expected = sorted(set(members))
    rows, columns = _inputs(rule, values, weights, expected)
    if periods is None:
        periods = sorted(set(rows["period"].to_list()))
    if rule.kind == "none" or not expected:
        value_expr = pl.lit(None, dtype=pl.Float64)
    elif rule.kind == "sum":
        value_expr = pl.col("x").sum()
    elif rule.kind == "population_weighted_mean":
        value_expr = pl.when(pl.col("w").sum() > 0).then((pl.col("x") * pl.col("w")).sum() / pl.col("w").sum())
    else:
        value_expr = pl.when(pl.col("w").sum() != 0).then((pl.col("x") * pl.col("w")).sum() / pl.col("w").sum())
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
        pl.Series("allowed", _allowed(rule, expected, frame, population), dtype=pl.Boolean),
    ).with_columns(pl.when(pl.col("allowed")).then(pl.col("value")).alias("value")).drop("allowed").sort("period")


def _allowed(rule: Rule, expected: list[str], frame: pl.DataFrame, population: pl.DataFrame | None) -> list[bool]:
    """Per row of `frame` (period, units): whether the coverage rule lets the group value be shown."""
    sizes: dict[Hashable, dict[str, float | None]] = {}
    if population is not None and rule.weighted:
        for unit, period, value in population.filter(pl.col("unit").is_in(expected)).select(
                "unit", "period", "value").iter_rows():
            sizes.setdefault(unit, {})[period] = value
    allowed = []
    for period, units in frame.select("period", "units").iter_rows():
        covered = units or []
        covered_population, group_population = population_share(expected, covered, sizes, period)
        allowed.append(sufficient(rule.kind, covered=len(covered), expected=len(expected),
                                  covered_population=covered_population, group_population=group_population))
    return allowed
