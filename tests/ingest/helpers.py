"""Helpers of the import tests: running an import as the office, and a fingerprint of the stored data."""

from __future__ import annotations

from django.db.models import Count, Max, Q, Sum

from obserwatorium.indicators.models import ImportBatch, Observation, Revision
from obserwatorium.ingest.services import ImportOptions, import_observations


def run_import(content: bytes | str, *, name: str = "data.csv", encoding: str = "utf-8", office: bool = True,
               user=None, dry_run: bool = False, **options):
    """Import a file (text is encoded with `encoding`) with the given ImportOptions fields."""
    data = content.encode(encoding) if isinstance(content, str) else content
    return import_observations(content=data, file_name=name, options=ImportOptions(**options), office=office,
                               user=user, dry_run=dry_run)


def stored_state() -> tuple:
    """A fingerprint of everything an import may touch: observations (values, flags, batches), revisions, batches."""
    return (
        Observation.objects.aggregate(count=Count("pk"), last=Max("pk"), values=Sum("value"), batches=Sum("batch_id"),
                                      final=Count("pk", filter=Q(flag="final"))),
        Revision.objects.aggregate(count=Count("pk"), last=Max("pk")),
        ImportBatch.objects.aggregate(count=Count("pk"), last=Max("pk")),
    )


def changes_of(outcome) -> set[tuple[str, str, str, float | None, str]]:
    """The previewed changes as (TERYT, indicator, period, new value, new flag)."""
    return {(c.teryt, c.indicator, c.period, c.new_value, c.new_flag) for c in outcome.changes}


def problems_of(outcome) -> set[tuple[int | None, str, str]]:
    """The problems as (row, column, code)."""
    return {(p.row, p.column, p.code) for p in outcome.problems}
