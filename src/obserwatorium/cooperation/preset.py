"""Load a preset's sources and cooperation facts (sources.yaml, cooperation.yaml); idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from obserwatorium.cooperation.models import (
    AggregateFigure,
    Agreement,
    Forum,
    Partner,
    Project,
    ProjectResult,
    ResultValue,
    Source,
)
from obserwatorium.history.tracking import recording
from obserwatorium.indicators.models import Domain

FORUM_FIELDS = ("kind", "name_pl", "name_en", "description_pl", "description_en", "coordinator", "active_from",
                "active_to")
PROJECT_FIELDS = ("name", "title_pl", "title_en", "description_pl", "description_en", "programme", "budget",
                  "eu_cofinancing", "currency", "start_date", "end_date", "status", "website")
AGGREGATE_FIELDS = ("qualifier", "value", "statement_pl", "statement_en")


def _read(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _pick(entry: dict, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: entry[name] for name in names if entry.get(name) is not None}


def load_sources(*, path: Path) -> dict[str, Source]:
    """Create or update the preset's sources (sources.yaml); return them by key."""
    sources = {}
    for entry in _read(path / "sources.yaml").get("sources", []):
        source, _ = Source.objects.update_or_create(key=entry["key"], defaults=_pick(
            entry, ("title", "publisher", "published_on", "url", "note")))
        sources[source.key] = source
    return sources


def _domain(code: str | None) -> Domain | None:
    return Domain.objects.get(code=code) if code else None


def _load_forums(entries: list[dict], sources: dict[str, Source]) -> int:
    for entry in entries:
        Forum.objects.update_or_create(slug=entry["slug"], defaults={
            **_pick(entry, FORUM_FIELDS), "domain": _domain(entry.get("domain")),
            "source": sources.get(entry.get("source"))})
    return len(entries)


def _load_partners(entries: list[dict], sources: dict[str, Source]) -> dict[str, Partner]:
    partners = {}
    for entry in entries:
        partner, _ = Partner.objects.update_or_create(name=entry["name"], defaults={
            **_pick(entry, ("kind", "website", "partner_since")), "source": sources.get(entry.get("source"))})
        partners[partner.name] = partner
    return partners


def _load_agreements(entries: list[dict], sources: dict[str, Source]) -> int:
    for entry in entries:
        source = sources[entry["source"]]
        parties = sorted(Partner.objects.get(name=name).pk for name in entry["parties"])
        existing = [a for a in Agreement.objects.filter(source=source).prefetch_related("parties")
                    if sorted(p.pk for p in a.parties.all()) == parties]
        agreement = existing[0] if existing else Agreement(source=source)
        for name, value in _pick(entry, ("kind", "title", "signed_on", "scope", "document_url")).items():
            setattr(agreement, name, value)
        agreement.domain = _domain(entry.get("domain"))
        agreement.save()
        agreement.parties.set(parties)
    return len(entries)


def _load_projects(entries: list[dict], sources: dict[str, Source]) -> int:
    for entry in entries:
        project, _ = Project.objects.update_or_create(slug=entry["slug"], defaults={
            **_pick(entry, PROJECT_FIELDS), "domain": _domain(entry.get("domain")),
            "source": sources.get(entry.get("source"))})
        for result_entry in entry.get("results", []):
            result, _ = ProjectResult.objects.update_or_create(
                project=project, name_pl=result_entry["name_pl"],
                defaults=_pick(result_entry, ("name_en", "unit_of_measure")))
            for value in result_entry.get("values", []):
                ResultValue.objects.update_or_create(
                    result=result, year=value["year"], unit=None,
                    defaults={"value": value["value"], "approximate": value.get("approximate", False),
                              "source": sources.get(value.get("source"))})
    return len(entries)


def _load_aggregates(entries: list[dict], sources: dict[str, Source]) -> int:
    for entry in entries:
        AggregateFigure.objects.update_or_create(
            subject=entry["subject"], year=entry["year"], source=sources[entry["source"]],
            defaults={**_pick(entry, AGGREGATE_FIELDS), "domain": _domain(entry.get("domain"))})
    return len(entries)


@transaction.atomic
def load_cooperation_preset(*, path: Path) -> int:
    """Create or update the sources, forums, partners, agreements, projects and aggregate figures; count them."""
    with recording(via="preset"):
        sources = load_sources(path=path)
        data = _read(path / "cooperation.yaml")
        count = len(sources) + _load_forums(data.get("forums", []), sources)
        count += len(_load_partners(data.get("partners", []), sources))
        count += _load_agreements(data.get("agreements", []), sources)
        count += _load_projects(data.get("projects", []), sources)
        count += _load_aggregates(data.get("aggregates", []), sources)
    return count
