"""Every analytics table as a dataset: a frame plus its metadata, shared by pages, the API and downloads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obserwatorium.downloads.meta import Field, TableMeta
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation
from obserwatorium.insights import indices, selectors
from obserwatorium.insights.groups import Group
from obserwatorium.insights.models import CompositeIndex, DerivedIndicator
from obserwatorium.strategy.models import Target
from obserwatorium.territory.models import Unit

METROPOLIS = "MK"
DEMO_SOURCE = gettext_lazy("Demonstration data, not official statistics.")


@dataclass
class Dataset:
    frame: pl.DataFrame
    meta: TableMeta
    extra: dict[str, Any] = field(default_factory=dict)
    mappable: bool = False  # one row per unit with a `unit` TERYT column: offered as GeoJSON too

    @property
    def has_demo(self) -> bool:
        return "flag" in self.frame.columns and (self.frame["flag"] == Flag.DEMO).any()


@dataclass(frozen=True)
class Provenance:
    """Where a table's rows come from: every batch behind them, none left out."""

    licence: str
    source: str
    retrieved: str
    sources: tuple[dict[str, Any], ...]
    demo_only: bool  # every row is demonstration data: no official source may be credited


def provenance_of_batches(batch_ids: Iterable[int]) -> Provenance:
    """Every source batch of the given ids, with licence, address and retrieval date (all of them, no cut)."""
    batches = list(ImportBatch.objects.filter(pk__in=set(batch_ids)).order_by("pk"))
    sources = tuple({"batch": b.pk, "kind": b.kind, "title": b.source or b.file_name or b.get_kind_display(),
                     "path": b.source_url, "licence": b.licence,
                     "retrieved": b.retrieved_at.date().isoformat() if b.retrieved_at else ""} for b in batches)
    licences = sorted({b.licence for b in batches} - {""})
    titles = list(dict.fromkeys(str(entry["title"]) for entry in sources))
    stamps = [b.retrieved_at or b.created_at for b in batches]
    when = max(stamps) if stamps else timezone.now()
    demo_only = bool(batches) and all(b.kind == BatchKind.DEMO for b in batches)
    return Provenance(licence="; ".join(licences), source="; ".join(titles), retrieved=when.date().isoformat(),
                      sources=sources, demo_only=demo_only)


def provenance(codes: list[str]) -> tuple[str, str, str]:
    """Licences, sources and the latest retrieval date of every batch behind the indicators' values."""
    ids = Observation.objects.filter(indicator__code__in=codes).values_list("batch_id", flat=True).distinct()
    found = provenance_of_batches(ids)
    return found.licence, found.source, found.retrieved


def credited_source(indicator: Indicator, found: Provenance) -> str:
    """The source line of a table: the catalogue's source only beside values that are not all demo data."""
    if found.demo_only:
        return "; ".join((str(DEMO_SOURCE), found.source))
    return "; ".join(s for s in (indicator.source, found.source) if s)


def _indicator_meta(name: str, title: str, indicator: Indicator, fields: tuple[Field, ...],
                    notes: dict[str, Any], batch_ids: Iterable[int] | None = None) -> TableMeta:
    """Metadata of a table of one indicator: its rows' batches when known, else every batch of it and its inputs."""
    if batch_ids is None:
        derivation = DerivedIndicator.objects.filter(indicator=indicator).first()
        codes = [indicator.code] + (list(derivation.inputs) if derivation else [])
        batch_ids = Observation.objects.filter(indicator__code__in=codes).values_list(
            "batch_id", flat=True).distinct()
    found = provenance_of_batches(batch_ids)
    return TableMeta(name=name, title=title, description=indicator.definition, unit=indicator.unit_of_measure,
                     source=credited_source(indicator, found), licence=found.licence, retrieved=found.retrieved,
                     fields=fields, notes=notes, sources=found.sources)


def _batch_field() -> Field:
    return Field("batch", _("source batch"), _("id of the value's batch in the metadata's sources"))


def _group_note(group: Group) -> dict[str, Any]:
    return {"group": group.key, "group_label": str(group.label), "units": group.teryts}


def ranking(indicator: Indicator, period: str, group: Group, ties: str) -> Dataset:
    """The units of a group ranked on one indicator in one period."""
    data = selectors.values([indicator.code], group.teryts, with_batch=True, periods=[period])  # read once
    frame, summary = selectors.ranking_table(indicator, period, group, ties, data=data)
    batches = data.select("unit", "batch")
    frame = frame.join(batches, on="unit", how="left", maintain_order="left")
    fields = (Field("rank", _("rank"), _("1 = best in the indicator's direction; ties share the rank")),
              Field("unit", _("TERYT code")), Field("name", _("unit")), Field("value", _("value")),
              Field("flag", _("flag")), Field("position", _("position against the group quartiles")), _batch_field())
    notes = {**_group_note(group), "indicator": indicator.code, "period": period, "polarity": indicator.polarity,
             "comparable": indicator.comparable,
             "ties": ties, "quartiles": "linear interpolation (type 7)", **summary}
    meta = _indicator_meta(f"ranking-{indicator.code}-{period}-{group.key}",
                           f"{indicator.name} — {_('ranking')} {period}", indicator, fields, notes,
                           batch_ids=frame["batch"].drop_nulls().to_list())
    return Dataset(frame.drop("slug"), meta, {"summary": summary, "slugs": frame["slug"].to_list()}, mappable=True)


def indicator_values(indicator: Indicator, group: Group, period: str | None = None) -> Dataset:
    """The values of one indicator for the units of a group: every period, or one (then it is a map's table)."""
    names = pl.DataFrame({"unit": group.teryts, "name": [u.name for u in group.units]},
                         schema={"unit": pl.Utf8, "name": pl.Utf8})
    data = selectors.values([indicator.code], group.teryts, with_batch=True).drop("indicator")
    if period:
        data = data.filter(pl.col("period") == period)
    frame = (data.join(names, on="unit", how="left").select("period", "unit", "name", "value", "flag", "batch")
             .sort("period", "name"))
    fields = (Field("period", _("period")), Field("unit", _("TERYT code")), Field("name", _("unit")),
              Field("value", _("value")), Field("flag", _("flag")), _batch_field())
    notes = {**_group_note(group), "indicator": indicator.code, "period": period or "all"}
    meta = _indicator_meta(f"{indicator.code}-{group.key}" + (f"-{period}" if period else ""),
                           f"{indicator.name} — {group.label}" + (f" {period}" if period else ""), indicator,
                           fields, notes, batch_ids=frame["batch"].to_list())
    return Dataset(frame, meta, mappable=period is not None)


def unit_profile(unit: Unit) -> Dataset:
    """Every value of every indicator for one unit, with each indicator's name and unit of measure."""
    catalogue = list(Indicator.objects.select_related("domain").order_by("domain__order", "order"))
    described = pl.DataFrame(
        {"indicator": [i.code for i in catalogue], "indicator_name": [i.name for i in catalogue],
         "domain": [i.domain.name for i in catalogue], "unit_of_measure": [i.unit_of_measure for i in catalogue],
         "order": list(range(len(catalogue)))},
        schema={"indicator": pl.Utf8, "indicator_name": pl.Utf8, "domain": pl.Utf8, "unit_of_measure": pl.Utf8,
                "order": pl.Int64})
    data = selectors.values([i.code for i in catalogue], [unit.teryt], with_batch=True)
    frame = (data.join(described, on="indicator", how="inner").sort("order", "period")
             .select("domain", "indicator", "indicator_name", "unit_of_measure", "period", "value", "flag", "batch"))
    fields = (Field("domain", _("domain")), Field("indicator", _("indicator code")),
              Field("indicator_name", _("indicator")), Field("unit_of_measure", _("unit of measure")),
              Field("period", _("period")), Field("value", _("value")), Field("flag", _("flag")), _batch_field())
    found = provenance_of_batches(frame["batch"].to_list())
    meta = TableMeta(name=f"profile-{unit.teryt}", title=_("%(unit)s — every indicator") % {"unit": unit.name},
                     description=_("Every stored value of every catalogue indicator for one unit."),
                     source="; ".join((str(DEMO_SOURCE), found.source)) if found.demo_only else found.source,
                     licence=found.licence, retrieved=found.retrieved, fields=fields,
                     notes={"unit": unit.teryt, "unit_name": unit.name}, sources=found.sources)
    return Dataset(frame, meta)


def aggregate(indicator: Indicator, group: Group, periods: Sequence[str] | None = None) -> Dataset:
    """A group's value per period by the indicator's aggregation rule, with coverage (`periods`: only these)."""
    frame = selectors.aggregate_series(indicator, group, periods)
    fields = (Field("period", _("period")), Field("value", _("group value")), Field("flag", _("flag")),
              Field("covered", _("units covered")), Field("expected", _("units in the group")),
              Field("missing", _("TERYT codes of the units without data")))
    notes = {**_group_note(group), "indicator": indicator.code, "rule": indicator.aggregation}
    meta = _indicator_meta(f"aggregate-{indicator.code}-{group.key}", f"{indicator.name} — {group.label}",
                           indicator, fields, notes)
    return Dataset(frame, meta)


def index_values(index: CompositeIndex, group: Group, period: str | None) -> Dataset:
    """Index values of the group's units (one period or all), ranked, with the share of weight present."""
    scores, _contributions = indices.compute(index, tuple(group.teryts))
    if period:
        scores = scores.filter(pl.col("period") == period)
    names = pl.DataFrame({"unit": group.teryts, "name": [u.name for u in group.units]})
    frame = (scores.join(names, on="unit", how="left")
             .with_columns(pl.col("index").rank("min", descending=True).over("period").cast(pl.Int64).alias("rank"))
             .select("period", "rank", "unit", "name", "index", "available", "components", "weight_share", "flag")
             .sort("period", pl.col("rank").is_null(), "rank"))
    spec = indices.spec_of(index)
    notes = {**_group_note(group), "normalisation": spec.method, "missing_rule": spec.missing,
             "min_weight_share": spec.min_weight_share, "reference_units": list(spec.reference_units or ()),
             "reference_period": [index.reference_from, index.reference_to],
             "components": [{"key": c.key, "weight": c.weight, "direction": c.direction} for c in spec.components]}
    meta = TableMeta(name=f"{index.code}-{group.key}" + (f"-{period}" if period else ""), title=index.name,
                     description=index.description, unit=_("index points (0–100)") if spec.method == "min-max"
                     else _("score"), source=_("Obserwatorium, own calculation (OECD/JRC method)"),
                     licence=provenance([c.key for c in spec.components if ":" not in c.key])[0],
                     retrieved=timezone.now().date().isoformat(), notes=notes)
    return Dataset(frame, meta, mappable=period is not None)


def index_contributions(index: CompositeIndex, group: Group, period: str | None) -> Dataset:
    """Each component's value, score, weight and contribution behind the index values."""
    _scores, frame = indices.compute(index, tuple(group.teryts))
    if period:
        frame = frame.filter(pl.col("period") == period)
    meta = TableMeta(name=f"{index.code}-contributions-{group.key}" + (f"-{period}" if period else ""),
                     title=f"{index.name} — {_('contributions')}", description=index.description,
                     source=_("Obserwatorium, own calculation (OECD/JRC method)"),
                     retrieved=timezone.now().date().isoformat(), notes=_group_note(group))
    return Dataset(frame.drop("fallback", strict=False), meta)


def progress() -> Dataset:
    """Every target with its Eurostat-style progress assessment."""
    members = _members_group()
    rows = []
    for target in selectors.targets():
        series = (selectors.unit_series(target.indicator, target.unit.teryt) if not target.for_metropolis
                  else selectors.group_series(target.indicator, members))
        result = selectors.assess(target.indicator, series, target)
        rows.append({
            "indicator": target.indicator.code, "indicator_name": target.indicator.name,
            "unit": target.unit.teryt if not target.for_metropolis else METROPOLIS,
            "unit_name": target.unit.name if not target.for_metropolis else _("Kraków Metropolis (members)"),
            "baseline_year": target.baseline_year, "baseline_value": target.baseline_value,
            "target_year": target.target_year, "target_value": target.target_value,
            "illustrative": target.illustrative, "status": result.status if result else None,
            "start_year": result.start_year if result else None,
            "latest_year": result.latest_year if result else None,
            "latest_value": result.latest_value if result else None,
            "observed_cagr": result.observed_cagr if result else None,
            "required_cagr": result.required_cagr if result else None,
            "ratio": result.ratio if result else None, "target_met": result.target_met if result else False,
            "distance_travelled": result.distance_travelled if result else None,
        })
    frame = pl.DataFrame(rows, schema=PROGRESS_SCHEMA)
    meta = TableMeta(name="progress", title=_("Progress towards targets"),
                     description=_("Eurostat SDG short-term assessment: observed against required compound annual "
                                   "growth over the last five years."),
                     source=_("Obserwatorium, own calculation; targets: illustrative demonstration targets"),
                     licence=provenance([t.indicator.code for t in selectors.targets()])[0],
                     retrieved=timezone.now().date().isoformat(),
                     notes={"illustrative_targets": bool(Target.objects.filter(illustrative=True).exists())})
    return Dataset(frame, meta)


PROGRESS_SCHEMA = {
    "indicator": pl.Utf8, "indicator_name": pl.Utf8, "unit": pl.Utf8, "unit_name": pl.Utf8,
    "baseline_year": pl.Int64, "baseline_value": pl.Float64, "target_year": pl.Int64, "target_value": pl.Float64,
    "illustrative": pl.Boolean, "status": pl.Utf8, "start_year": pl.Int64, "latest_year": pl.Int64,
    "latest_value": pl.Float64, "observed_cagr": pl.Float64, "required_cagr": pl.Float64, "ratio": pl.Float64,
    "target_met": pl.Boolean, "distance_travelled": pl.Float64,
}


def _members_group() -> Group:
    from obserwatorium.insights.groups import members_group

    return members_group()


def geometries(teryts: list[str]) -> dict[str, Any]:
    """Boundaries of the units that have one, by TERYT code."""
    return dict(Unit.objects.current().filter(teryt__in=teryts, boundary__isnull=False)
                .values_list("teryt", "boundary"))


TREND_SCHEMA = {"unit": pl.Utf8, "name": pl.Utf8, "first_year": pl.Int64, "last_year": pl.Int64,
                "first_value": pl.Float64, "last_value": pl.Float64, "cagr": pl.Float64, "slope": pl.Float64,
                "relative_slope": pl.Float64, "direction": pl.Utf8, "strength": pl.Utf8, "status": pl.Utf8}


def trends(indicator: Indicator, group: Group) -> Dataset:
    """Recent trend of the group aggregate and of each unit: CAGR, Theil–Sen slope, direction, progress class."""
    series = [(group.key, str(group.label), selectors.group_series(indicator, group))]
    data = selectors.values([indicator.code], group.teryts)
    for unit in group.units:
        chosen = data.filter(pl.col("unit") == unit.teryt)
        series.append((unit.teryt, unit.name, {int(p): v for p, v in zip(chosen["period"], chosen["value"],
                                                                          strict=True) if p.isdigit()}))
    rows = []
    for key, name, values in series:
        found = selectors.trend_of(values)
        status = selectors.assess(indicator, values)
        rows.append({"unit": key, "name": name, **({
            "first_year": found.first_year, "last_year": found.last_year, "first_value": found.first_value,
            "last_value": found.last_value, "cagr": found.cagr, "slope": found.slope,
            "relative_slope": found.relative_slope, "direction": found.direction, "strength": found.strength,
        } if found else {}), "status": status.status if status else None})
    frame = pl.DataFrame(rows, schema=TREND_SCHEMA)
    fields = (Field("cagr", _("compound annual growth rate, %")),
              Field("slope", _("Theil–Sen slope, units of the indicator per year")),
              Field("relative_slope", _("slope as % of the mean level per year")),
              Field("status", _("Eurostat class without a target")))
    meta = _indicator_meta(f"trends-{indicator.code}-{group.key}", f"{indicator.name} — {_('trends')}", indicator,
                           fields, {**_group_note(group), "window_years": 5})
    return Dataset(frame, meta)


COMPARISON_SCHEMA = {"indicator": pl.Utf8, "indicator_name": pl.Utf8, "unit_of_measure": pl.Utf8,
                     "polarity": pl.Utf8, "comparable": pl.Boolean, "decimals": pl.Int64, "value": pl.Float64,
                     "flag": pl.Utf8, "batch": pl.Int64, "rank": pl.Int64,
                     "ranked": pl.Int64, "q1": pl.Float64, "median": pl.Float64, "q3": pl.Float64,
                     "position": pl.Utf8}


def comparison(unit: Unit, group: Group, period: str, chosen: list[Indicator]) -> Dataset:
    """One unit against its peer group on each chosen indicator: value, rank, quartiles and position."""
    from obserwatorium.analytics import ranking as rank_methods

    teryts = sorted(set(group.teryts) | {unit.teryt})
    data = selectors.values([i.code for i in chosen], teryts, with_batch=True).filter(pl.col("period") == period)
    rows = []
    for indicator in chosen:
        part = data.filter(pl.col("indicator") == indicator.code)
        direction = selectors.direction(indicator)
        ranked = rank_methods.rank(part, direction, by=())
        if not selectors.comparable(indicator):  # a count: no rank, quartiles or position between gminy
            ranked = ranked.with_columns(pl.lit(None, dtype=pl.Int64).alias("rank"))
        mine = ranked.filter(pl.col("unit") == unit.teryt)
        peers = part.filter(pl.col("unit").is_in(group.teryts))["value"].drop_nulls().to_list()
        stats = rank_methods.quartiles(peers) if selectors.comparable(indicator) else None
        value = mine["value"][0] if mine.height else None
        rows.append({"indicator": indicator.code, "indicator_name": indicator.name,
                     "unit_of_measure": indicator.unit_of_measure, "polarity": indicator.polarity,
                     "comparable": selectors.comparable(indicator),
                     "decimals": indicator.decimals, "value": value,
                     "flag": mine["flag"][0] if mine.height else None,
                     "batch": mine["batch"][0] if mine.height else None,
                     "rank": mine["rank"][0] if mine.height else None, "ranked": len(part["value"].drop_nulls()),
                     "q1": stats[0] if stats else None, "median": stats[1] if stats else None,
                     "q3": stats[2] if stats else None,
                     "position": rank_methods.position(value, stats, direction) if direction != "neutral" else None})
    frame = pl.DataFrame(rows, schema=COMPARISON_SCHEMA)
    found = provenance_of_batches(data["batch"].to_list())
    meta = TableMeta(name=f"comparison-{unit.teryt}-{group.key}-{period}",
                     title=f"{unit.name} — {_('comparison with')} {group.label} ({period})",
                     source="; ".join((str(DEMO_SOURCE), found.source)) if found.demo_only else found.source,
                     licence=found.licence, retrieved=found.retrieved, sources=found.sources,
                     notes={**_group_note(group), "unit": unit.teryt, "period": period, "ties": "competition",
                            "quartiles": "linear interpolation (type 7)"})
    return Dataset(frame, meta)


def derived_definitions() -> Dataset:
    """The derived indicators and their formulas."""
    rows = [{"indicator": d.indicator.code, "name": d.indicator.name, "formula": d.formula,
             "inputs": " ".join(d.inputs), "scale": d.scale, "years": d.years}
            for d in DerivedIndicator.objects.select_related("indicator")]
    frame = pl.DataFrame(rows, schema={"indicator": pl.Utf8, "name": pl.Utf8, "formula": pl.Utf8,
                                       "inputs": pl.Utf8, "scale": pl.Float64, "years": pl.Int64})
    meta = TableMeta(name="derived-indicators", title=_("Derived indicators"),
                     description=_("Indicators computed from other indicators; flagged like their weakest input."),
                     source="Obserwatorium", licence="CC0-1.0", retrieved=timezone.now().date().isoformat())
    return Dataset(frame, meta)
