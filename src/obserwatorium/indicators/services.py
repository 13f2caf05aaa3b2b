"""Writes to the observatory: every function is keyword-only, verb-first and one transaction.

Every change of an observation — insert, overwrite, deletion, undo — goes through here, in a batch of its own
(who, when, through which channel), keeps the old value as a revision and lets derived indicators follow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from obserwatorium.dataversion.services import bump_data_version
from obserwatorium.dataversion.tracking import figures_bumped_by_writer
from obserwatorium.indicators import bulk, chunked
from obserwatorium.indicators.bulk import ChangeCounts, ObservationRow
from obserwatorium.indicators.models import BatchKind, BatchStatus, ImportBatch, Observation, Revision
from obserwatorium.indicators.signals import observations_written

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

PREVIEW_LIMIT = 200
ADMIN_SOURCE = "entered by hand in the administration panel"


@dataclass
class WriteOutcome:
    batch: ImportBatch | None
    counts: ChangeCounts
    preview: list[tuple] = field(default_factory=list)
    deleted: int = 0


def _save_batch(batch: ImportBatch, user: Actor | None) -> None:
    chunked.ensure_none_applying()  # its hidden rows hold the keys it writes until it is done
    if batch.pk is None:
        batch.user = _batch_user(user)
        _store_batch(batch)


def _store_batch(batch: ImportBatch, **kwargs) -> None:
    """Save a batch of the write path. Its saves bump the data version, not every figure: what they change of
    the values is what `_notify` bumps, each written indicator's figures."""
    with figures_bumped_by_writer():
        batch.save(**kwargs)


def _batch_user(user):
    return user if user is not None and user.is_authenticated else None


def _apply_staged(batch: ImportBatch, staged: int, dry_run: bool) -> WriteOutcome:
    """Upsert what is staged for the batch (the one write path for rows from files, syncs, forms and undo)."""
    counts = bulk.count_changes()
    if dry_run:
        preview = bulk.staged_changes(PREVIEW_LIMIT)
        transaction.set_rollback(True)
        return WriteOutcome(batch=None, counts=counts, preview=preview)
    changed_indicators = bulk.staged_indicator_ids() if counts.inserted or counts.updated else set()
    bulk.apply_staged(batch_id=batch.pk, user_id=batch.user_id, now=timezone.now(), counts=counts)
    batch.rows = staged
    batch.inserted, batch.updated, batch.unchanged = counts.inserted, counts.updated, counts.unchanged
    batch.status = BatchStatus.APPLIED
    _store_batch(batch, update_fields=["rows", "inserted", "updated", "unchanged", "status"])
    _notify(batch, changed_indicators)
    return WriteOutcome(batch=batch, counts=counts)


def _notify(batch: ImportBatch, indicator_ids: set[int]) -> None:
    """The one step of every write that changed stored values (`indicator_ids`: of every indicator it may have
    changed), in its transaction: the figures computed from those indicators are computed again, the others kept."""
    if indicator_ids:
        bump_data_version(indicators=indicator_ids)
        # Same transaction: values computed from these (derived indicators) change with them, or not at all.
        observations_written.send(sender=ImportBatch, batch=batch, indicator_ids=indicator_ids, user=batch.user)


def write_observations(
    *, batch: ImportBatch, rows: Iterable[ObservationRow], user: Actor | None = None, dry_run: bool = False
) -> WriteOutcome:
    """Upsert observations for one batch, keeping overwritten values as revisions; all or nothing.

    With dry_run the change is computed and described, then rolled back: nothing is written.
    Called outside a transaction, the rows are staged first (a TEMP table, which takes no lock on the
    database), so the write transaction, and on SQLite the database's one write lock, lasts only for the
    set-based apply: other writers' short saves pass meanwhile instead of waiting out the whole import. On
    SQLite a write of more rows than OBS_IMPORT_APPLY_CHUNK is applied in chunks (indicators.chunked), hidden
    until a short final step, so short saves pass during the apply too.
    """
    if connection.in_atomic_block:
        return _apply(batch=batch, rows=rows, user=user, dry_run=dry_run, staged=None)
    staged = bulk.stage(rows)
    try:
        if batch.pk is None and chunked.used_for(staged=staged, dry_run=dry_run):
            batch.user = _batch_user(user)
            counts = chunked.apply_in_chunks(batch, staged=staged, notify=_notify, save=_store_batch)
            return WriteOutcome(batch=batch, counts=counts)
        return _apply(batch=batch, rows=rows, user=user, dry_run=dry_run, staged=staged)
    finally:
        bulk.clear_stage()


def _apply(*, batch: ImportBatch, rows: Iterable[ObservationRow], user: Actor | None, dry_run: bool,
           staged: int | None) -> WriteOutcome:
    with transaction.atomic():
        _save_batch(batch, user)
        return _apply_staged(batch, bulk.stage(rows) if staged is None else staged, dry_run)


def edit_observation(*, row: ObservationRow, user: Actor, kind: str = BatchKind.ADMIN) -> Observation:
    """Write one value entered by hand (the admin's form) as a batch of its own; return the stored observation."""
    with transaction.atomic():
        write_observations(batch=ImportBatch(kind=kind, source=ADMIN_SOURCE, rows=1), rows=[row], user=user)
        return Observation.objects.get(indicator_id=row.indicator_id, unit_id=row.unit_id, period=row.period)


def _delete_staged(batch: ImportBatch, staged: int) -> WriteOutcome:
    indicator_ids = bulk.staged_indicator_ids()
    deleted = bulk.delete_staged(batch_id=batch.pk, user_id=batch.user_id, now=timezone.now())
    batch.rows, batch.deleted, batch.status = staged, deleted, BatchStatus.APPLIED
    _store_batch(batch, update_fields=["rows", "deleted", "status"])
    _notify(batch, indicator_ids if deleted else set())
    return WriteOutcome(batch=batch, counts=ChangeCounts(inserted=0, updated=0, unchanged=0), deleted=deleted)


def delete_observations(*, observations: QuerySet[Observation], user: Actor,
                        kind: str = BatchKind.ADMIN) -> WriteOutcome:
    """Delete the given observations set-based, each kept as a revision (value → none) that can be undone."""
    keys_sql, params = observations.order_by().values("pk").query.sql_with_params()
    with transaction.atomic():
        batch = ImportBatch(kind=kind, source=ADMIN_SOURCE, metadata={"action": "delete"})
        _save_batch(batch, user)
        staged = bulk.stage_select(
            f"SELECT indicator_id, unit_id, period, NULL, flag FROM {Observation._meta.db_table} "
            f"WHERE id IN ({keys_sql})", params)
        return _delete_staged(batch, staged)


def withdraw_batch(*, batch: ImportBatch, user: Actor) -> WriteOutcome:
    """Delete every value the batch still holds, each kept as a revision; the batch stays, marked withdrawn."""
    with transaction.atomic():
        withdrawal = ImportBatch(kind=BatchKind.ADMIN, source=f"withdrawal of import batch #{batch.pk}",
                                 metadata={"action": "withdraw", "batch": batch.pk})
        _save_batch(withdrawal, user)
        staged = bulk.stage_select(
            f"SELECT indicator_id, unit_id, period, NULL, flag FROM {Observation._meta.db_table} "
            "WHERE batch_id = %s AND replaced_by_id IS NULL", [batch.pk])
        outcome = _delete_staged(withdrawal, staged)
        batch.status = BatchStatus.WITHDRAWN
        batch.metadata = {**batch.metadata, "withdrawn_by": withdrawal.pk}
        _store_batch(batch, update_fields=["status", "metadata"])
        return outcome


def undo_revisions(*, revisions: QuerySet[Revision], user: Actor) -> WriteOutcome:
    """Restore the values the given revisions replaced or deleted, through the write path, as a new batch.

    Where several selected revisions concern one key, the earliest wins: the value before all of them returns.
    """
    rev = Revision._meta.db_table
    ids_sql, params = revisions.order_by().values("pk").query.sql_with_params()
    old_batches = sorted(set(revisions.order_by().values_list("old_batch_id", flat=True).distinct()))
    with transaction.atomic():
        restored = ImportBatch.objects.filter(pk__in=old_batches[:1]).first() if len(old_batches) == 1 else None
        batch = ImportBatch(
            kind=BatchKind.ADMIN, source=restored.source if restored else "restored from revisions",
            source_url=restored.source_url if restored else "", licence=restored.licence if restored else "",
            retrieved_at=restored.retrieved_at if restored else None,
            metadata={"action": "undo", "restored_batches": old_batches[:100]})
        _save_batch(batch, user)
        staged = bulk.stage_select(
            f"SELECT indicator_id, unit_id, period, old_value, old_flag FROM {rev} WHERE id IN "
            f"(SELECT MIN(id) FROM {rev} WHERE id IN ({ids_sql}) GROUP BY indicator_id, unit_id, period)", params)
        return _apply_staged(batch, staged, dry_run=False)
