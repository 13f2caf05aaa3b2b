"""Reads of drafts and editions: a draft's report with its editorial text, the editions of a report, the list of
every edition, and the stamp of the data a report is made from."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, QuerySet

from obserwatorium.history.models import ChangeRecord
from obserwatorium.indicators.models import ImportBatch
from obserwatorium.reports import kinds
from obserwatorium.reports.document import Report
from obserwatorium.reports.editorial import with_editorial
from obserwatorium.reports.models import Draft, Edition, EditionDocument, Editorial


def draft(*, kind: str, year: int, subject: str = "") -> Draft | None:
    """The stored draft of this report (None until someone wrote editorial text for it)."""
    return Draft.objects.filter(kind=kind, year=year, subject=subject).first()


def editorials(*, kind: str, year: int, subject: str = "") -> dict[str, Editorial]:
    """Section key → the draft's editorial paragraph."""
    found = Editorial.objects.filter(draft__kind=kind, draft__year=year, draft__subject=subject)
    return {e.section_key: e for e in found.select_related("updated_by")}


def draft_report(*, kind: str, year: int, subject: str = "", language: str,
                 today: datetime.date | None = None) -> Report:
    """The report as it would be published now: generated from today's data, with the draft's editorial text."""
    report = kinds.build(kind_name=kind, year=year, subject=subject, language=language, today=today)
    texts = {key: e.text(language) for key, e in editorials(kind=kind, year=year, subject=subject).items()}
    return with_editorial(report, texts)


def editions_of(*, kind: str, year: int, subject: str = "") -> QuerySet[Edition]:
    """The editions of one report, the newest first."""
    return Edition.objects.filter(kind=kind, year=year, subject=subject).order_by("-number")


def all_editions() -> QuerySet[Edition]:
    """Every edition of every report kind this site makes, the newest first, with its successor and documents."""
    return (Edition.objects.filter(kind__in=list(kinds.KINDS)).select_related("superseded_by")
            .prefetch_related("documents")
            .order_by("-published_at", "-id"))


def edition(*, kind: str, year: int, subject: str = "", number: int) -> Edition:
    """One edition (Edition.DoesNotExist, answered 404, when there is none)."""
    return Edition.objects.select_related("supersedes", "superseded_by").get(
        kind=kind, year=year, subject=subject, number=number)


def edition_document(*, edition: Edition, language: str) -> EditionDocument:
    """The edition's document in this language (EditionDocument.DoesNotExist when it has none)."""
    return EditionDocument.objects.get(edition=edition, language=language)


@dataclass(frozen=True)
class DataStamp:
    """Where the data stood: the last change record and import batch, and the time of the later of them."""

    last_change: int
    last_batch: int
    changed_at: datetime.datetime | None


def data_stamp() -> DataStamp:
    """The stamp of the registries' and observations' data now (it moves with every recorded write)."""
    changes = ChangeRecord.objects.aggregate(last=Max("id"), at=Max("changed_at"))
    batches = ImportBatch.objects.aggregate(last=Max("id"), at=Max("created_at"))
    times = [t for t in (changes["at"], batches["at"]) if t is not None]
    return DataStamp(changes["last"] or 0, batches["last"] or 0, max(times) if times else None)


def all_drafts() -> QuerySet[Draft]:
    """Every stored draft (one with editorial text) of a report kind this site makes."""
    return Draft.objects.filter(kind__in=list(kinds.KINDS))
