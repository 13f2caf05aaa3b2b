"""Bulk open data: the observatory as a Frictionless Data Package, and the full database export."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from obserwatorium.downloads.datapackage import Resource, descriptor, write_package
from obserwatorium.downloads.meta import Field, TableMeta
from obserwatorium.indicators.models import Domain, ImportBatch, Indicator, Observation
from obserwatorium.insights import datasets, selectors
from obserwatorium.insights.models import DerivedIndicator
from obserwatorium.territory.models import Unit

PACKAGE_LICENCE = "CC-BY-4.0"
PACKAGE_NOTE = ("Each observation keeps its own source batch and licence (see the batches resource); demonstration "
                "values are flagged 'demo' and are not official statistics. Text cells that a spreadsheet would "
                "run as a formula start with an apostrophe.")


def _frame(rows: list[tuple], columns: list[str]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)


def _resource(name: str, title: str, frame: pl.DataFrame, description: str = "",
              fields: tuple[Field, ...] = ()) -> Resource:
    return Resource(frame, TableMeta(name=name, title=title, description=description, fields=fields,
                                     retrieved=timezone.now().date().isoformat()))


def observatory_resources() -> list[Resource]:
    """The public tables: units, domains, catalogue, observations, batches, derived definitions, progress."""
    units = _frame(list(Unit.objects.current().values_list(
        "teryt", "name", "level", "gmina_type", "parent__teryt", "membership", "area_km2", "bdl_unit_id")),
        ["teryt", "name", "level", "gmina_type", "parent", "membership", "area_km2", "bdl_unit_id"])
    domains = _frame(list(Domain.objects.values_list("code", "name_pl", "name_en", "strategic")),
                     ["code", "name_pl", "name_en", "strategic"])
    formulas = {d.indicator_id: d for d in DerivedIndicator.objects.all()}
    catalogue = _frame([
        (i.code, i.domain.code, i.name_pl, i.name_en, i.definition_pl, i.definition_en, i.unit_pl, i.unit_en,
         i.polarity, i.aggregation, i.numerator.code if i.numerator else None,
         i.denominator.code if i.denominator else None, i.scale, i.source_pl, i.bdl_variable_id,
         formulas[i.pk].formula if i.pk in formulas else None,
         " ".join(formulas[i.pk].inputs) if i.pk in formulas else None)
        for i in Indicator.objects.select_related("domain", "numerator", "denominator")],
        ["code", "domain", "name_pl", "name_en", "definition_pl", "definition_en", "unit_pl", "unit_en", "polarity",
         "aggregation", "numerator", "denominator", "scale", "source", "bdl_variable_id", "derived_formula",
         "derived_inputs"])
    observations = _frame(list(Observation.objects.filter(unit__valid_to__isnull=True).order_by(
        "indicator__code", "unit__teryt", "period").values_list(
        "indicator__code", "unit__teryt", "period", "value", "flag", "batch_id").iterator(chunk_size=20_000)),
        ["indicator", "unit", "period", "value", "flag", "batch"])
    batches = _frame([(b.pk, b.kind, b.source, b.source_url, b.licence,
                       b.retrieved_at.isoformat() if b.retrieved_at else None, b.created_at.isoformat(),
                       json.dumps(b.metadata, ensure_ascii=False)) for b in ImportBatch.objects.order_by("pk")],
                     ["id", "kind", "source", "source_url", "licence", "retrieved_at", "created_at", "metadata"])
    progress = datasets.progress()
    return [
        _resource("units", "Territorial units", units, "Current units with TERYT codes and membership."),
        _resource("domains", "Domains", domains),
        _resource("indicators", "Indicator catalogue", catalogue,
                  "Definitions, units of measure, polarity, aggregation rules; derived indicators with formula."),
        _resource("observations", "Observations", observations, "Values per indicator, unit and period.",
                  (Field("flag", "flag", "final, provisional, estimated, confidential or demo"),
                   Field("batch", "source batch", "id in the batches resource"))),
        _resource("batches", "Source batches", batches, "Provenance: source, licence and retrieval time."),
        Resource(progress.frame, progress.meta),
    ]


def package_descriptor(resources: list[Resource], *, name: str, title: str) -> dict[str, Any]:
    return descriptor(name=name, title=title, licence=PACKAGE_LICENCE, created=timezone.now().isoformat(),
                      resources=resources, description=PACKAGE_NOTE,
                      sources=[{"title": "Obserwatorium", "path": "/analytics/open-data/"}])


def cached_package() -> Path:
    """The observatory's data package zip for the current data version, built on first request."""
    folder = Path(settings.DATA_DIR) / "cache"
    stamp = selectors.data_version().strftime("%Y%m%dT%H%M%S%f")
    target = folder / f"datapackage-{stamp}.zip"
    if not target.exists():
        for old in folder.glob("datapackage-*.zip"):
            old.unlink(missing_ok=True)
        resources = observatory_resources()
        partial = target.with_suffix(".tmp.zip")
        write_package(partial, package_descriptor(resources, name="obserwatorium", title="Obserwatorium open data"),
                      resources)
        partial.replace(target)
    return target


def describe() -> list[dict[str, str]]:
    """What the bulk package holds, for the open-data page."""
    return [{"name": "units"}, {"name": "domains"}, {"name": "indicators"}, {"name": "observations"},
            {"name": "batches"}, {"name": "progress"}]


def _cell(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def model_resource(model: type[models.Model]) -> Resource:
    """Every row of one model, foreign keys as ids, JSON as text."""
    columns = [f.attname for f in model._meta.concrete_fields]
    rows = [tuple(_cell(v) for v in row) for row in
            model._default_manager.order_by("pk").values_list(*columns).iterator(chunk_size=20_000)]
    frame = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None) if rows else \
        pl.DataFrame({c: [] for c in columns}, schema={c: pl.Utf8 for c in columns})
    name = f"{model._meta.app_label}-{model._meta.model_name}"
    return _resource(name, str(model._meta.verbose_name_plural), frame,
                     f"Table {model._meta.db_table} of the application {model._meta.app_label}.")


def database_resources() -> list[Resource]:
    """Every table of the project's own applications (accounts and sessions are not exported)."""
    chosen = [m for m in apps.get_models() if m.__module__.startswith("obserwatorium.")
              and not m._meta.proxy and m._meta.managed]
    return [model_resource(m) for m in sorted(chosen, key=lambda m: (m._meta.app_label, m._meta.model_name))]


def export_database(target: Path) -> Path:
    """Write the full export (a data package) to a folder or a .zip file."""
    resources = database_resources()
    return write_package(target, package_descriptor(resources, name="obserwatorium-export",
                                                    title="Obserwatorium database export"), resources)
