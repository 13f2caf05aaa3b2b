"""Reads of the analytics: values, group aggregates, rankings, trends and progress, composite indices."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import polars as pl
from django.db.models import Max, QuerySet
from django.utils import timezone

from obserwatorium.analytics import aggregate as agg
from obserwatorium.analytics import progress, ranking
from obserwatorium.analytics.derived import Formula, compute
from obserwatorium.analytics.trend import Trend, trend
from obserwatorium.dataversion.memo import digest, remembered
from obserwatorium.indicators.group_values import kept_group_series
from obserwatorium.indicators.models import Aggregation, Flag, ImportBatch, Indicator, Observation
from obserwatorium.indicators.selectors import (
    group_weight,
    group_weight_id,
    pairs_condition,
    population_indicator,
)
from obserwatorium.insights.groups import Group
from obserwatorium.insights.models import CompositeIndex, DerivedIndicator, PeerGroup
from obserwatorium.strategy.models import Target

VALUE_SCHEMA = {"indicator": pl.Utf8, "unit": pl.Utf8, "period": pl.Utf8, "value": pl.Float64, "flag": pl.Utf8}


def values(codes: Sequence[str], teryts: Sequence[str] | None = None, *, with_batch: bool = False,
           periods: Sequence[str] | None = None) -> pl.DataFrame:
    """Observations of the given indicators (and units) as a frame keyed by TERYT code.

    `with_batch` adds each value's source batch id (`batch`), for downloads that name the source of every row.
    `periods`: only these periods (read so in SQL: a page that shows one year reads one year).
    """
    return _frame(Observation.objects.filter(indicator__code__in=list(codes)), teryts, with_batch=with_batch,
                  periods=periods)


def values_at(pairs: Iterable[tuple[str, str]], teryts: Sequence[str] | None = None) -> pl.DataFrame:
    """`values` of these (indicator code, period) pairs only, in one query (an empty frame without pairs)."""
    return _frame(Observation.objects.filter(pairs_condition(pairs, indicator_field="indicator__code")), teryts)


def _frame(query: QuerySet[Observation], teryts: Sequence[str] | None, *, with_batch: bool = False,
           periods: Sequence[str] | None = None) -> pl.DataFrame:
    query = query.filter(unit__valid_to__isnull=True)
    if periods is not None:
        query = query.filter(period__in=list(periods))
    if teryts is not None:
        query = query.filter(unit__teryt__in=list(teryts))
    columns = ("indicator__code", "unit__teryt", "period", "value", "flag") + (("batch_id",) if with_batch else ())
    schema = {**VALUE_SCHEMA, "batch": pl.Int64} if with_batch else VALUE_SCHEMA
    return pl.DataFrame(list(query.values_list(*columns)), schema=schema, orient="row")


def periods(indicator: Indicator) -> list[str]:
    """Periods in which the indicator has values, oldest first (kept until a write of its values)."""
    return remembered("indicator-periods", (indicator.pk,), lambda: sorted(set(
        Observation.objects.filter(indicator=indicator, value__isnull=False)
        .values_list("period", flat=True).distinct())), reads={indicator.pk})


def _of(frame: pl.DataFrame, code: str) -> pl.DataFrame:
    return frame.filter(pl.col("indicator") == code).drop("indicator")


_UNREAD = object()  # the population indicator not read by the caller


def aggregate_series(indicator: Indicator, group: Group, periods_shown: Sequence[str] | None = None, *,
                     population: Indicator | None | object = _UNREAD) -> pl.DataFrame:
    """The group's value per period by the indicator's aggregation rule, with coverage and the missing units,
    computed once per version of the values it reads (`series_reads`) and kept (`dataversion.memo`): see
    `_aggregate_series`. `population`: the population indicator, when the caller has read it."""
    parts = (indicator.pk, digest(sorted(group.teryts)), None if periods_shown is None else tuple(periods_shown))
    weighted = agg.Rule(indicator.aggregation).weighted
    read: Indicator | None = None  # read once, for the key and the computation
    if weighted:
        read = population if isinstance(population, Indicator | None) else population_indicator()
    return remembered("aggregate-series", parts,
                      lambda: _aggregate_series(indicator, group, periods_shown,
                                                population=read if weighted else _UNREAD),
                      reads=series_reads(indicator, read))


def series_reads(indicator: Indicator, population: Indicator | None) -> set[int] | None:
    """The indicators whose values `_aggregate_series` reads: the indicator's, its weight's and, for a weighted
    rule, population's (the coverage rule weighs the units by it). None (every indicator's) for one not
    aggregated: a derived growth rate is computed from the group series of its base, whatever that reads."""
    if indicator.aggregation == Aggregation.NONE:
        return None
    if not agg.Rule(indicator.aggregation).weighted:
        return {indicator.pk}
    population_id = population.pk if population is not None else None
    return {pk for pk in (indicator.pk, group_weight_id(indicator, population_id), population_id) if pk is not None}


def _aggregate_series(indicator: Indicator, group: Group, periods_shown: Sequence[str] | None = None, *,
                      population: Indicator | None | object = _UNREAD) -> pl.DataFrame:
    """The group's value per period by the indicator's aggregation rule, with coverage and the missing units.

    A derived growth rate has no rule of its own: it is computed from the group aggregate of its base.
    `periods_shown`: only these periods, the others not read (each period's value depends on that period's
    values alone; the population the coverage rule weighs the units by is read over every period only for the
    units without it in a shown period, since such a year is judged by the nearest known).
    """
    derivation = DerivedIndicator.objects.filter(indicator=indicator).first()
    if indicator.aggregation == Aggregation.NONE and derivation and derivation.formula in ("growth", "cagr"):
        if periods_shown is not None:
            whole = aggregate_series(indicator, group)
            return whole.filter(pl.col("period").is_in(list(periods_shown)))
        base = Indicator.objects.get(code=derivation.inputs[0])
        level = aggregate_series(base, group)
        formula = Formula(derivation.formula, tuple(derivation.inputs), scale=derivation.scale,
                          years=derivation.years)
        derived = compute(formula, {base.code: level.select(pl.lit("group").alias("unit"), "period", "value",
                                                            "flag")})
        earlier = level.select((pl.col("period").cast(pl.Int32) + formula.span).cast(pl.Utf8).alias("period"),
                               pl.col("missing").alias("missing_then"))
        return (level.select("period", "covered", "expected", "missing")
                .join(derived.select("period", "value", "flag"), on="period", how="left")
                .join(earlier, on="period", how="left")
                .with_columns(pl.concat_list("missing", pl.col("missing_then").fill_null(pl.lit(sorted(group.teryts))))
                              .list.unique().list.sort()
                              .alias("missing"), pl.col("flag").fill_null("final"))
                .with_columns((pl.col("expected") - pl.col("missing").list.len()).alias("covered"))
                .select(list(agg.AGGREGATE_SCHEMA)))
    rule = agg.Rule(indicator.aggregation)
    teryts = group.teryts
    if not isinstance(population, Indicator | None):  # not read by the caller
        population = population_indicator()
    weight = group_weight(indicator, population)
    # A mean or ratio also reads population: the coverage rule weighs the units by it.
    codes = {indicator.code, *([weight.code] if weight is not None else []),
             *([population.code] if weight is not None and population is not None else [])}
    if periods_shown is None:
        data = values(sorted(codes), teryts)
    else:
        data = values_at([(code, period) for code in sorted(codes) for period in periods_shown], teryts)
        if weight is not None and population is not None:
            data = _with_nearest_population(data, population.code, teryts, periods_shown)
    shown = periods(indicator)
    if periods_shown is not None:
        shown = [period for period in shown if period in set(periods_shown)]
    return agg.aggregate(rule, teryts, values=_of(data, indicator.code),
                         weights=_of(data, weight.code if weight is not None else ""),
                         population=_of(data, population.code) if population is not None else None,
                         periods=shown or None)


def panel_aggregate(indicator: Indicator, group: Group, year: int | None
                    ) -> tuple[dict | None, dict[int, float | None]]:
    """The group's value per year (for the trend and progress), and the row of `year` (else of the latest year
    with a value): value, flag, coverage and the missing units, as `aggregate_series` gives them.

    For an aggregated indicator the series is finished from sums in the database
    (`indicators.group_values.kept_group_series`, the indicator page's summary asks the same and finds them
    kept), and only the row's year is read unit by unit, for the missing units: after an import of the
    indicator its panel reads 2,477 values at national scale, not 2,477 × 20. A growth rate (computed from its
    base's series) or an indicator not aggregated is read whole, as before."""
    if indicator.aggregation == Aggregation.NONE:
        rows = {r["period"]: r for r in aggregate_series(indicator, group).to_dicts() if r["period"].isdigit()}
        values = {period: row["value"] for period, row in rows.items()}
        chosen = _shown_year(values, year)
        row = rows[chosen] if chosen is not None else None
    else:
        shown = [period for period in periods(indicator) if period.isdigit()]
        population = population_indicator()
        figures = kept_group_series(indicator, shown, unit_ids=[unit.pk for unit in group.units],
                                    population=population)
        values = {period: figures[period].value for period in shown}
        chosen = _shown_year(values, year)
        row = aggregate_series(indicator, group, [chosen], population=population).row(0, named=True) \
            if chosen is not None else None
    return row, {int(period): value for period, value in values.items()}


def _shown_year(values: dict[str, float | None], year: int | None) -> str | None:
    """The period the panel shows: `year` when the series has it (with a value or not), else its latest with a
    value; None without any."""
    if year is not None and str(year) in values:
        return str(year)
    return next((period for period in sorted(values, reverse=True) if values[period] is not None), None)


def _with_nearest_population(data: pl.DataFrame, code: str, teryts: Sequence[str], periods_shown: Sequence[str]
                             ) -> pl.DataFrame:
    """`data` (read for the shown periods) with every period of population for the units that lack it in one of
    them: the coverage rule takes a unit's population of the period, else its nearest known period. The others'
    population of the shown periods is all the rule looks at (at national scale: 2,477 values, not 50,000)."""
    known = data.filter((pl.col("indicator") == code) & pl.col("value").is_not_null())
    complete = {unit for unit, count in known.group_by("unit").len().iter_rows() if count >= len(set(periods_shown))}
    lacking = [teryt for teryt in teryts if teryt not in complete]
    if not lacking:
        return data
    return pl.concat([data.filter((pl.col("indicator") != code) | ~pl.col("unit").is_in(lacking)),
                      values([code], lacking)])


def direction(indicator: Indicator) -> str:
    return indicator.polarity if indicator.polarity in ("higher", "lower") else "neutral"


def comparable(indicator: Indicator) -> bool:
    """Whether the units may be ranked, put in quartiles and compared on `indicator`: not for a count, whose
    value grows with the gmina's size (Kraków would be "worst" on unemployment by size alone)."""
    return indicator.comparable


def ranking_table(indicator: Indicator, period: str, group: Group, ties: str = "competition",
                  data: pl.DataFrame | None = None) -> tuple[pl.DataFrame, dict[str, float | None]]:
    """Each unit of the group with its value, rank (polarity respected) and position against the group quartiles.

    A count (not `comparable`) gets neither rank, quartiles nor position: the units are listed by name.
    `data`: values already read (e.g. of several indicators for a whole page), to spare another query.
    """
    names = pl.DataFrame({"unit": group.teryts, "name": [u.name for u in group.units],
                          "slug": [u.slug for u in group.units]}, schema={"unit": pl.Utf8, "name": pl.Utf8,
                                                                          "slug": pl.Utf8})
    source = values([indicator.code], group.teryts) if data is None else data
    data = _of(source, indicator.code).filter(pl.col("period") == period)
    table = names.join(data.drop("period"), on="unit", how="left").with_columns(pl.lit(period).alias("period"))
    ranked = ranking.rank(table, direction(indicator), ties=ties, by=())
    if not comparable(indicator):
        ranked = ranked.with_columns(pl.lit(None, dtype=pl.Int64).alias("rank"))
    stats = ranking.quartiles(ranked["value"].drop_nulls().to_list()) if comparable(indicator) else None
    positions = [ranking.position(v, stats, direction(indicator)) if direction(indicator) != "neutral" else None
                 for v in ranked["value"].to_list()]
    ranked = ranked.with_columns(pl.Series("position", positions, dtype=pl.Utf8)).sort(
        pl.col("rank").is_null(), "rank", "name")
    summary = dict(zip(("q1", "median", "q3"), stats or (None, None, None), strict=True))
    summary["n"] = ranked["value"].drop_nulls().len()
    return ranked.select("rank", "unit", "name", "slug", "period", "value", "flag", "ranked", "position"), summary


def unit_series(indicator: Indicator, teryt: str) -> dict[int, float | None]:
    """A unit's yearly values."""
    data = values([indicator.code], [teryt])
    return {int(p): v for p, v in zip(data["period"], data["value"], strict=True) if p.isdigit()}


def group_series(indicator: Indicator, group: Group) -> dict[int, float | None]:
    """The group aggregate's yearly values."""
    data = aggregate_series(indicator, group)
    return {int(p): v for p, v in zip(data["period"], data["value"], strict=True) if p.isdigit()}


def trend_of(series: dict[int, float | None]) -> Trend | None:
    return trend(series)


def assess(indicator: Indicator, series: dict[int, float | None], target: Target | None = None
           ) -> progress.Assessment | None:
    """Eurostat-style progress: towards the target when there is one, otherwise by observed growth."""
    if target is not None:
        return progress.assess_with_target(series, target_year=target.target_year, target_value=target.target_value,
                                           baseline_value=target.baseline_value
                                           if target.baseline_value is not None else series.get(target.baseline_year))
    return progress.assess_without_target(series, indicator.polarity)


def targets(indicator: Indicator | None = None, teryt: str | None = None):
    query = Target.objects.current().select_related("indicator", "unit", "indicator__domain")
    if indicator is not None:
        query = query.filter(indicator=indicator)
    if teryt is not None:
        query = query.filter(unit__teryt=teryt)
    return query


def targets_use_demo_values() -> bool:
    """Whether any indicator with a target is shown with demonstration values."""
    return Observation.objects.filter(flag=Flag.DEMO, indicator__targets__isnull=False).exists()


def data_version() -> datetime:
    """When anything the analytics read last changed: the latest batch or definition edit."""
    stamps = [ImportBatch.objects.aggregate(m=Max("created_at"))["m"]]
    for model in (DerivedIndicator, CompositeIndex, PeerGroup, Target):
        stamps.append(model.objects.aggregate(m=Max("updated_at"))["m"])
    found = [s for s in stamps if s is not None]
    return max(found) if found else timezone.make_aware(datetime(2000, 1, 1))


def peer_groups() -> list[tuple[PeerGroup, set[int]]]:
    """Every user-defined peer group with the ids of its units (two queries)."""
    return [(group, {unit.pk for unit in group.units.all()})
            for group in PeerGroup.objects.prefetch_related("units").order_by("code")]
