"""Load a preset's sources and cooperation facts (sources.yaml, cooperation.yaml); idempotent.

A record the preset once loaded and no longer lists (same source, not in the file) is archived, not deleted:
a fact withdrawn from the preset leaves the public pages but keeps its history.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from pydantic import BaseModel, ConfigDict

from obserwatorium.cooperation.models import (
    AggregateFigure,
    Agreement,
    AssociationEvent,
    Document,
    Forum,
    Partner,
    Project,
    ProjectResult,
    ResultValue,
    Source,
)
from obserwatorium.history.models import ChangeAction, ChangeRecord
from obserwatorium.history.tracking import recording
from obserwatorium.indicators.models import Domain
from obserwatorium.territory.models import Unit

FORUM_FIELDS = ("kind", "name_pl", "name_en", "description_pl", "description_en", "coordinator", "active_from",
                "active_to")
PROJECT_FIELDS = ("name", "title_pl", "title_en", "description_pl", "description_en", "programme", "budget",
                  "eu_cofinancing", "currency", "start_date", "start_precision", "end_date", "end_precision",
                  "status", "website")
DOCUMENT_FIELDS = ("kind", "title_pl", "title_en", "summary_pl", "summary_en", "status", "year", "adopted_on",
                   "adopted_precision", "end_year", "url")
EVENT_FIELDS = ("kind", "name_pl", "name_en", "description_pl", "description_en", "year", "held_on",
                "held_precision", "place")
AGGREGATE_FIELDS = ("qualifier", "value", "statement_pl", "statement_en")


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceEntry(_Entry):
    key: str
    title: str
    publisher: str = ""
    published_on: date | None = None
    url: str = ""
    note: str = ""


class SourcesFile(_Entry):
    """sources.yaml: where the preset's facts were seen; entries of the other files name them by key."""

    sources: list[SourceEntry]


class _Cited(_Entry):
    source: str | None = None
    domain: str | None = None


class ForumEntry(_Cited):
    slug: str
    kind: str | None = None
    name_pl: str
    name_en: str | None = None
    description_pl: str | None = None
    description_en: str | None = None
    coordinator: str | None = None
    active_from: date | None = None
    active_to: date | None = None


class PartnerEntry(_Entry):
    name: str
    kind: str | None = None
    website: str | None = None
    partner_since: date | None = None
    source: str | None = None


class AgreementEntry(_Cited):
    source: str
    parties: list[str]
    kind: str | None = None
    title: str | None = None
    signed_on: date | None = None
    scope: str | None = None
    document_url: str | None = None


class ResultValueEntry(_Entry):
    year: int
    value: float
    approximate: bool = False
    source: str | None = None


class ResultEntry(_Entry):
    name_pl: str
    name_en: str | None = None
    unit_of_measure: str | None = None
    values: list[ResultValueEntry] = []


class ProjectEntry(_Cited):
    slug: str
    name: str
    title_pl: str | None = None
    title_en: str | None = None
    description_pl: str | None = None
    description_en: str | None = None
    programme: str | None = None
    budget: float | None = None
    eu_cofinancing: float | None = None
    currency: str | None = None
    start_date: date | None = None
    start_precision: str | None = None
    end_date: date | None = None
    end_precision: str | None = None
    status: str | None = None
    website: str | None = None
    results: list[ResultEntry] = []


class DocumentEntry(_Cited):
    slug: str
    kind: str | None = None
    title_pl: str
    title_en: str | None = None
    summary_pl: str | None = None
    summary_en: str | None = None
    status: str | None = None
    year: int | None = None
    adopted_on: date | None = None
    adopted_precision: str | None = None
    end_year: int | None = None
    url: str | None = None
    units: list[str] = []
    forums: list[str] = []
    projects: list[str] = []


class EventEntry(_Cited):
    slug: str
    kind: str | None = None
    name_pl: str
    name_en: str | None = None
    description_pl: str | None = None
    description_en: str | None = None
    year: int | None = None
    held_on: date | None = None
    held_precision: str | None = None
    place: str | None = None
    partners: list[str] = []


class AggregateEntry(_Cited):
    subject: str
    year: int
    source: str
    qualifier: str | None = None
    value: float | None = None
    statement_pl: str | None = None
    statement_en: str | None = None


class CooperationFile(_Entry):
    """cooperation.yaml."""

    forums: list[ForumEntry] = []
    partners: list[PartnerEntry] = []
    agreements: list[AgreementEntry] = []
    projects: list[ProjectEntry] = []
    documents: list[DocumentEntry] = []
    events: list[EventEntry] = []
    aggregates: list[AggregateEntry] = []


def _pick(entry: dict, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: entry[name] for name in names if entry.get(name) is not None}


def load_sources(*, document: dict[str, Any] | None) -> dict[str, Source]:
    """Create or update the preset's sources (sources.yaml); return them by key."""
    sources = {}
    for entry in (document or {}).get("sources", []):
        source, _ = Source.objects.update_or_create(key=entry["key"], defaults=_pick(
            entry, ("title", "publisher", "published_on", "url", "note")))
        sources[source.key] = source
    return sources


def source_of(entry: dict, sources: dict[str, Source]) -> Source | None:
    """The source an entry names (by its key in sources.yaml), if any."""
    key = entry.get("source")
    return sources.get(key) if key else None


def _domain(code: str | None) -> Domain | None:
    return Domain.objects.get(code=code) if code else None


def _untouched_preset_records(model: type[models.Model]) -> set[str]:
    """Ids of the model's records the preset created and nobody has changed since (through any other way)."""
    kind = ContentType.objects.get_for_model(model)
    changes = ChangeRecord.objects.filter(content_type=kind)
    created = set(changes.filter(action=ChangeAction.CREATED, via="preset").values_list("object_id", flat=True))
    return created - set(changes.exclude(via="preset").values_list("object_id", flat=True))


def _archive_withdrawn(model: type[Agreement | Project | Document | AssociationEvent], *, kept: list[int],
                       sources: dict[str, Source]) -> None:
    """Archive what the preset once loaded and no longer lists; a record the office has edited is left alone."""
    candidates = model.objects.filter(source__in=sources.values(), archived_at__isnull=True).exclude(pk__in=kept)
    untouched = _untouched_preset_records(model)
    for record in candidates:
        if str(record.pk) in untouched:
            record.archived_at = timezone.now()
            record.save()


def _load_forums(entries: list[dict], sources: dict[str, Source]) -> int:
    for entry in entries:
        Forum.objects.update_or_create(slug=entry["slug"], defaults={
            **_pick(entry, FORUM_FIELDS), "domain": _domain(entry.get("domain")),
            "source": source_of(entry, sources)})
    return len(entries)


def _load_partners(entries: list[dict], sources: dict[str, Source]) -> dict[str, Partner]:
    partners = {}
    for entry in entries:
        partner, _ = Partner.objects.update_or_create(name=entry["name"], defaults={
            **_pick(entry, ("kind", "website", "partner_since")), "source": source_of(entry, sources)})
        partners[partner.name] = partner
    return partners


def _load_agreements(entries: list[dict], sources: dict[str, Source]) -> int:
    kept = []
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
        kept.append(agreement.pk)
    _archive_withdrawn(Agreement, kept=kept, sources=sources)
    return len(entries)


def _load_results(project: Project, entries: list[dict], sources: dict[str, Source]) -> None:
    kept = []
    for result_entry in entries:
        result, _ = ProjectResult.objects.update_or_create(
            project=project, name_pl=result_entry["name_pl"],
            defaults={**_pick(result_entry, ("name_en", "unit_of_measure"))})
        kept.append(result.pk)
        for value in result_entry.get("values", []):
            ResultValue.objects.update_or_create(
                result=result, year=value["year"], unit=None,
                defaults={"value": value["value"], "approximate": value.get("approximate", False),
                          "source": sources.get(value.get("source"))})
    # A result renamed in the file: the old name is archived with its values, which keep their history.
    untouched = _untouched_preset_records(ProjectResult)
    for result in ProjectResult.objects.filter(project=project, archived_at__isnull=True).exclude(pk__in=kept):
        if str(result.pk) in untouched:
            result.archived_at = timezone.now()
            result.save()


def _load_projects(entries: list[dict], sources: dict[str, Source]) -> int:
    kept = []
    for entry in entries:
        project, _ = Project.objects.update_or_create(slug=entry["slug"], defaults={
            **_pick(entry, PROJECT_FIELDS), "domain": _domain(entry.get("domain")),
            "source": source_of(entry, sources)})
        _load_results(project, entry.get("results", []), sources)
        kept.append(project.pk)
    _archive_withdrawn(Project, kept=kept, sources=sources)
    return len(entries)


def _load_documents(entries: list[dict], sources: dict[str, Source]) -> int:
    kept = []
    for entry in entries:
        document, _ = Document.objects.update_or_create(slug=entry["slug"], defaults={
            **_pick(entry, DOCUMENT_FIELDS), "domain": _domain(entry.get("domain")),
            "source": source_of(entry, sources)})
        document.units.set(Unit.objects.filter(teryt__in=entry.get("units", []), valid_to__isnull=True))
        document.forums.set(Forum.objects.filter(slug__in=entry.get("forums", [])))
        document.projects.set(Project.objects.filter(slug__in=entry.get("projects", [])))
        kept.append(document.pk)
    _archive_withdrawn(Document, kept=kept, sources=sources)
    return len(entries)


def _load_events(entries: list[dict], sources: dict[str, Source]) -> int:
    kept = []
    for entry in entries:
        event, _ = AssociationEvent.objects.update_or_create(slug=entry["slug"], defaults={
            **_pick(entry, EVENT_FIELDS), "domain": _domain(entry.get("domain")),
            "source": source_of(entry, sources)})
        event.partners.set(Partner.objects.filter(name__in=entry.get("partners", [])))
        kept.append(event.pk)
    _archive_withdrawn(AssociationEvent, kept=kept, sources=sources)
    return len(entries)


def _load_aggregates(entries: list[dict], sources: dict[str, Source]) -> int:
    for entry in entries:
        AggregateFigure.objects.update_or_create(
            subject=entry["subject"], year=entry["year"], source=sources[entry["source"]],
            defaults={**_pick(entry, AGGREGATE_FIELDS), "domain": _domain(entry.get("domain"))})
    return len(entries)


def load_cooperation_preset(*, preset: str, sources: dict[str, Any] | None = None,
                            document: dict[str, Any] | None = None) -> dict[str, int]:
    """Create or update the sources, forums, partners, agreements, projects, documents, the association's events
    and aggregate figures; count them."""
    with recording(via="preset"):
        cited = load_sources(document=sources)
        data = document or {}
        count = len(cited) + _load_forums(data.get("forums", []), cited)
        count += len(_load_partners(data.get("partners", []), cited))
        count += _load_agreements(data.get("agreements", []), cited)
        count += _load_projects(data.get("projects", []), cited)
        count += _load_documents(data.get("documents", []), cited)
        count += _load_events(data.get("events", []), cited)
        count += _load_aggregates(data.get("aggregates", []), cited)
    return {"registries": count}
