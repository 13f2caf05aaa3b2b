"""Writes to the observatory: every function is keyword-only, verb-first and one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from obserwatorium.indicators import bulk
from obserwatorium.indicators.bulk import ChangeCounts, ObservationRow
from obserwatorium.indicators.models import BatchStatus, ImportBatch
from obserwatorium.indicators.signals import observations_written

PREVIEW_LIMIT = 200


@dataclass
class WriteOutcome:
    batch: ImportBatch | None
    counts: ChangeCounts
    preview: list[tuple] = field(default_factory=list)


def write_observations(
    *, batch: ImportBatch, rows: Iterable[ObservationRow], user=None, dry_run: bool = False
) -> WriteOutcome:
    """Upsert observations for one batch, keeping overwritten values as revisions; all or nothing.

    With dry_run the change is computed and described, then rolled back: nothing is written.
    Called outside a transaction, the rows are staged first (a TEMP table, which takes no lock on the
    database), so the write transaction, and on SQLite the database's one write lock, lasts only for the
    set-based apply: other writers' short saves pass meanwhile instead of waiting out the whole import.
    """
    if connection.in_atomic_block:
        return _apply(batch=batch, rows=rows, user=user, dry_run=dry_run, staged=None)
    staged = bulk.stage(rows)
    try:
        return _apply(batch=batch, rows=rows, user=user, dry_run=dry_run, staged=staged)
    finally:
        bulk.clear_stage()


def _apply(*, batch: ImportBatch, rows: Iterable[ObservationRow], user, dry_run: bool,
           staged: int | None) -> WriteOutcome:
    with transaction.atomic():
        if batch.pk is None:
            batch.user = user if user is not None and user.is_authenticated else None
            batch.save()
        if staged is None:
            staged = bulk.stage(rows)
        counts = bulk.count_changes()
        if dry_run:
            preview = bulk.staged_changes(PREVIEW_LIMIT)
            transaction.set_rollback(True)
            return WriteOutcome(batch=None, counts=counts, preview=preview)
        changed_indicators = bulk.staged_indicator_ids() if counts.inserted or counts.updated else set()
        bulk.apply_staged(batch_id=batch.pk, user_id=batch.user_id, now=timezone.now())
        batch.rows = staged
        batch.inserted, batch.updated, batch.unchanged = counts.inserted, counts.updated, counts.unchanged
        batch.status = BatchStatus.APPLIED
        batch.save(update_fields=["rows", "inserted", "updated", "unchanged", "status"])
        if changed_indicators:
            # Same transaction: values computed from these (derived indicators) change with them, or not at all.
            observations_written.send(sender=ImportBatch, batch=batch, indicator_ids=changed_indicators,
                                      user=batch.user)
    return WriteOutcome(batch=batch, counts=counts)
