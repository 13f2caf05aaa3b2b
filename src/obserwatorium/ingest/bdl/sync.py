"""Sync of the catalogue's BDL variables for the gminy in the territory table: one batch per indicator,
resumable, each indicator written atomically."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from obserwatorium.indicators.bulk import ChangeCounts, ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Revision
from obserwatorium.indicators.services import write_observations
from obserwatorium.ingest.bdl import services
from obserwatorium.ingest.bdl.attributes import SKIP, attributes
from obserwatorium.ingest.bdl.client import BdlClient
from obserwatorium.ingest.bdl.errors import BdlError, BdlResponseError
from obserwatorium.ingest.bdl.payloads import VariableData
from obserwatorium.ingest.bdl.units import OUTSIDE, UnitResolver, Unmapped
from obserwatorium.ingest.models import ItemStatus, SyncRun
from obserwatorium.territory.models import Unit

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

GMINA_LEVEL = 6


class SyncError(Exception):
    """The sync cannot start with these options."""


@dataclass(frozen=True)
class SyncOptions:
    indicator_codes: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    parents: tuple[str, ...] = ()
    dry_run: bool = False
    restart: bool = False


@dataclass(frozen=True)
class ChangedValue:
    teryt: str
    unit: str
    period: str
    old_value: float | None
    new_value: float | None
    old_flag: str
    new_flag: str


@dataclass
class IndicatorResult:
    code: str
    variable_id: int | None
    status: str
    counts: ChangeCounts | None = None
    changes: list[ChangedValue] = field(default_factory=list)
    batch_id: int | None = None
    message: str = ""


@dataclass
class SyncReport:
    parents: list[str]
    dry_run: bool
    run: SyncRun | None = None
    resumed: bool = False
    already_done: int = 0
    results: list[IndicatorResult] = field(default_factory=list)
    unmapped: dict[str, Unmapped] = field(default_factory=dict)
    stopped: str = ""

    @property
    def failed(self) -> list[IndicatorResult]:
        return [r for r in self.results if r.status == ItemStatus.FAILED]


def select_indicators(codes: Sequence[str]) -> tuple[list[Indicator], list[IndicatorResult]]:
    """Catalogue indicators with a BDL variable id (all, or the named ones); named ones without an id are noted."""
    query = Indicator.objects.select_related("domain").order_by("domain__order", "order", "code")
    if not codes:
        return list(query.filter(bdl_variable_id__isnull=False)), []
    found = {i.code: i for i in query.filter(code__in=codes)}
    missing = sorted(set(codes) - set(found))
    if missing:
        raise SyncError(f"no indicator with code {', '.join(missing)} in the catalogue")
    chosen = [found[c] for c in dict.fromkeys(codes)]
    without = [IndicatorResult(i.code, None, "skipped", message=f"no BDL variable id ({i.bdl_note or 'none known'})")
               for i in chosen if i.bdl_variable_id is None]
    return [i for i in chosen if i.bdl_variable_id is not None], without


def default_parents(scope: Sequence[Unit]) -> list[str]:
    """The BDL ids of the powiaty holding the gminy in scope: one request per powiat and variable."""
    parents = sorted({u.parent.bdl_unit_id for u in scope if u.parent is not None and u.parent.bdl_unit_id})
    if not parents:
        raise SyncError("the gminy in the territory table have no parent with a BDL unit id; pass --parent UNIT_ID")
    return parents


def scaled(value: float, scale: float) -> float:
    """BDL value times the indicator's BDL scale, in decimal so 123 ha × 0.01 is 1.23, not 1.2300000000000002."""
    return value if scale == 1 else float(Decimal(repr(value)) * Decimal(repr(scale)))


@dataclass
class Rows:
    rows: dict[tuple[int, str], ObservationRow] = field(default_factory=dict)
    attributes: Counter = field(default_factory=Counter)
    skipped: int = 0
    problems: list[dict] = field(default_factory=list)
    outside: int = 0


def build_rows(*, indicator: Indicator, fetched: Sequence[VariableData], resolver: UnitResolver,
               years: Sequence[int], unmapped: dict[str, Unmapped]) -> Rows:
    """Observation rows from BDL series; values of unknown units or attributes are reported, not guessed."""
    table, result, wanted = attributes(), Rows(), {str(y) for y in years}
    for data in fetched:
        for series in data.series:
            target = resolver.resolve(series.bdl_unit_id, series.name)
            if target is None:
                continue
            if isinstance(target, Unmapped):
                unmapped.setdefault(target.bdl_unit_id, target)
                if target.reason == OUTSIDE:
                    result.outside += 1
                else:
                    result.problems.append({"problem": "unknown BDL unit id", "bdl_unit_id": target.bdl_unit_id,
                                            "name": target.name, "detail": target.describe()})
                continue
            for value in series.values:
                if wanted and value.year not in wanted:
                    continue
                result.attributes[value.attr_id] += 1
                attribute = table.get(value.attr_id)
                if attribute is None:
                    result.skipped += 1
                    result.problems.append({"problem": "unknown attribute", "bdl_unit_id": series.bdl_unit_id,
                                            "year": value.year, "attrId": value.attr_id})
                    continue
                if attribute.treatment == SKIP or (attribute.stores_value and value.value is None):
                    result.skipped += 1
                    continue
                number = scaled(value.value, indicator.bdl_scale) \
                    if attribute.stores_value and value.value is not None else None
                key = (target.pk, value.year)
                if key in result.rows:
                    result.problems.append({"problem": "value given twice", "bdl_unit_id": series.bdl_unit_id,
                                            "year": value.year})
                    continue
                result.rows[key] = ObservationRow(indicator.pk, target.pk, value.year, number, attribute.treatment)
    return result


def batch_metadata(*, indicator: Indicator, fetched: Sequence[VariableData], rows: Rows, parents: Sequence[str],
                   years: Sequence[int]) -> dict:
    """Provenance of one indicator's batch: what was asked, what BDL said about the variable, what each attrId meant."""
    table = attributes()
    updates = [d.last_update for d in fetched if d.last_update]
    return {
        "variableId": next((d.variable_id for d in fetched if d.variable_id), indicator.bdl_variable_id),
        "measureUnitId": next((d.measure_unit_id for d in fetched if d.measure_unit_id), None),
        "lastUpdate": max(updates) if updates else None,
        "unitLevel": GMINA_LEVEL, "parents": list(parents), "years": list(years) or "all",
        "scale": indicator.bdl_scale, "requests": [url for d in fetched for url in d.urls],
        "attributes": {
            str(attr_id): ({"symbol": table[attr_id].symbol, "meaning_pl": table[attr_id].meaning_pl,
                            "meaning_en": table[attr_id].meaning_en, "treatment": table[attr_id].treatment}
                           if attr_id in table else {"treatment": "unknown: skipped"}) | {"values": count}
            for attr_id, count in sorted(rows.attributes.items())
        },
        "skippedValues": rows.skipped, "unitsOutsideTerritory": rows.outside,
    }


def _changes(outcome, batch: ImportBatch | None, units: dict[int, Unit]) -> list[ChangedValue]:
    if batch is not None:
        revisions = Revision.objects.filter(batch=batch).order_by("unit__teryt", "period")
        return [ChangedValue(units[r.unit_id].teryt, units[r.unit_id].name, r.period, r.old_value, r.new_value,
                             r.old_flag, r.new_flag) for r in revisions]
    return [ChangedValue(units[unit_id].teryt, units[unit_id].name, period, old, new, old_flag, new_flag)
            for _, unit_id, period, old, new, old_flag, new_flag in outcome.preview if old_flag is not None]


def load_indicator(*, indicator: Indicator, fetched: Sequence[VariableData], resolver: UnitResolver,
                   report: SyncReport, years: Sequence[int], units: dict[int, Unit],
                   user: Actor | None = None) -> IndicatorResult:
    """Write one indicator's values as one batch, and mark its run item done in the same transaction."""
    rows = build_rows(indicator=indicator, fetched=fetched, resolver=resolver, years=years, unmapped=report.unmapped)
    result = IndicatorResult(indicator.code, indicator.bdl_variable_id, ItemStatus.DONE)
    if not rows.rows:
        result.message = "BDL has no values for the gminy in scope"
        if report.run is not None:
            services.complete_item(run=report.run, indicator=indicator, batch=None, counts=None,
                                   message=result.message)
        return result
    batch = ImportBatch(
        kind=BatchKind.BDL, source=f"GUS BDL, variable {indicator.bdl_variable_id}"[:500],
        source_url=(fetched[0].urls[0] if fetched and fetched[0].urls else "")[:500], retrieved_at=timezone.now(),
        metadata=batch_metadata(indicator=indicator, fetched=fetched, rows=rows, parents=report.parents, years=years),
        report=rows.problems,
    )
    recorded = []
    with transaction.atomic():
        outcome = write_observations(batch=batch, rows=rows.rows.values(), user=user, dry_run=report.dry_run)
        if report.run is not None:
            recorded = services.record_units(entries=resolver.unrecorded())
            services.complete_item(run=report.run, indicator=indicator, batch=outcome.batch, counts=outcome.counts)
    resolver.mark_recorded(recorded)
    result.counts, result.batch_id = outcome.counts, outcome.batch.pk if outcome.batch else None
    result.changes = _changes(outcome, outcome.batch, units)
    confidential = sum(1 for r in rows.rows.values() if r.flag == Flag.CONFIDENTIAL)
    notes = [f"{confidential} confidential" if confidential else "", f"{rows.skipped} skipped" if rows.skipped else ""]
    result.message = ", ".join(n for n in notes if n)
    return result


@dataclass(frozen=True)
class VariableCheck:
    code: str
    variable_id: int
    name: str = ""
    level: int | None = None
    measure_unit: str = ""
    problem: str = ""


def describe_variables(*, client: BdlClient, codes: Sequence[str] = ()) -> list[VariableCheck]:
    """What BDL's /variables says about each catalogue variable: its name, lowest level and measure unit."""
    indicators, _ = select_indicators(codes)
    checks = []
    for indicator in indicators:
        variable_id = indicator.bdl_variable_id
        if variable_id is None:  # select_indicators keeps only indicators with a variable id
            continue
        try:
            meta = client.variable(variable_id)
        except BdlResponseError as exc:
            checks.append(VariableCheck(indicator.code, variable_id, problem=str(exc)))
            continue
        names = " / ".join(str(meta[k]) for k in ("n1", "n2", "n3", "n4", "n5") if meta.get(k))
        level = meta.get("level") if isinstance(meta.get("level"), int) else None
        problem = "" if level == GMINA_LEVEL else f"published down to level {level}, not for gminy (level 6)"
        checks.append(VariableCheck(indicator.code, variable_id,
                                    name=f"{meta.get('subjectId', '')} {names}".strip(), level=level,
                                    measure_unit=str(meta.get("measureUnitName", "")), problem=problem))
    return checks


def sync_bdl(*, client: BdlClient, options: SyncOptions, user: Actor | None = None,
             progress: bool = False) -> SyncReport:
    """Fetch every chosen indicator for the gminy in scope and load it; stops cleanly when offline or limited."""
    indicators, skipped = select_indicators(options.indicator_codes)
    scope = list(Unit.objects.gminy().current().select_related("parent").order_by("teryt"))
    report = SyncReport(parents=list(options.parents) or default_parents(scope), dry_run=options.dry_run)
    report.results += skipped
    years = sorted(set(options.years))
    pending = indicators
    if not options.dry_run:
        parameters = {"indicators": [i.code for i in indicators], "years": years, "parents": report.parents}
        report.run, report.resumed = services.open_run(parameters=parameters, indicators=indicators,
                                                       restart=options.restart)
        items = report.run.items.select_related("indicator", "indicator__domain").order_by("order")
        report.already_done = sum(1 for item in items if item.status == ItemStatus.DONE)
        pending = [item.indicator for item in items if item.status != ItemStatus.DONE]
    units = {u.pk: u for u in scope}
    resolver = UnitResolver(scope)
    bar = tqdm(total=report.already_done + len(pending), initial=report.already_done, unit="indicator",
               desc="BDL", disable=not progress)
    try:
        for parent in report.parents:
            resolver.confirm_from_lookup(client.units(parent_id=parent, level=GMINA_LEVEL))
        for indicator in pending:
            bar.set_postfix_str(indicator.code)
            variable_id = indicator.bdl_variable_id
            if variable_id is None:  # select_indicators keeps only indicators with a variable id
                continue
            try:
                fetched = [client.data_by_variable(variable_id, parent_id=parent, level=GMINA_LEVEL,
                                                   years=years) for parent in report.parents]
            except BdlResponseError as exc:
                report.results.append(IndicatorResult(indicator.code, indicator.bdl_variable_id, ItemStatus.FAILED,
                                                      message=str(exc)))
                if report.run is not None:
                    services.fail_item(run=report.run, indicator=indicator, message=str(exc))
                bar.update()
                continue
            report.results.append(load_indicator(indicator=indicator, fetched=fetched, resolver=resolver,
                                                 report=report, years=years, units=units, user=user))
            bar.update()
    except BdlError as exc:
        report.stopped = str(exc)
    except BaseException as exc:
        report.stopped = f"interrupted: {exc.__class__.__name__} {exc}".strip()
        if report.run is not None:
            services.stop_run(run=report.run, message=report.stopped)
        raise
    finally:
        bar.close()
    report.unmapped.update(resolver.conflicts)
    if report.run is not None:
        if report.stopped:
            services.stop_run(run=report.run, message=report.stopped)
        else:
            services.touch_units(bdl_unit_ids=resolver.used)
            services.finish_run(run=report.run)
    return report
