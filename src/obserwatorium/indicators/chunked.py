"""A large write applied in chunks on SQLite, each a short transaction, yet all or nothing as readers see it.

SQLite has one write lock: a million-row apply in one transaction keeps every other writer (a login, an event
saved, a session refreshed) out for minutes. So the staged rows land in chunks of `OBS_IMPORT_APPLY_CHUNK`
while the batch is `applying`:

- a new value is inserted tied to the batch, and rows of an applying batch are hidden from every read (the
  models' managers);
- a value it overwrites keeps its row, marked `replaced_by` the batch, and stays visible until the batch is
  applied; its revision is written tied to the batch (hidden likewise);
- one short final transaction marks the batch applied (from then on its rows are the values and the replaced
  rows are hidden) and lets derived indicators follow; the replaced rows are then deleted in chunks.

While a batch is applying, other writes of observations are answered busy (retryable); writes of anything else
pass between the chunks. A failure removes the batch's chunks (new rows, marks, revisions) and marks it failed;
a batch left applying by a killed process is rolled back by the next chunked write, or by
`obserwatorium rollback_imports`.
"""

from __future__ import annotations

import os
import socket
import time
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone

from obserwatorium.indicators import bulk
from obserwatorium.indicators.bulk import CURRENT, STAGE, ChangeCounts
from obserwatorium.indicators.models import BatchStatus, ImportBatch, Observation, Revision

# A batch whose process has not finished a chunk for this long (and is not known alive) is abandoned.
STALE_SECONDS = 600
# SQLite's busy handler sleeps up to 0.1 s between tries: a pause this long between chunks lets a waiting writer in.
PAUSE_SECONDS = 0.1


class ObservationsBusy(OperationalError):
    """Another batch is being applied: nothing was written, and the same write succeeds once it is done."""

    retryable = True


class BatchAbandoned(OperationalError):
    """The batch stopped being applied under this process (it was rolled back as abandoned)."""


def used_for(*, staged: int, dry_run: bool) -> bool:
    """Whether a write of `staged` rows is applied in chunks: SQLite, outside a transaction, more than one chunk.

    PostgreSQL keeps one transaction: its row locks already let other writers through, and it stays truly atomic.
    """
    size = settings.OBS_IMPORT_APPLY_CHUNK
    return (connection.vendor == "sqlite" and not connection.in_atomic_block and not dry_run
            and size > 0 and staged > size)


def ensure_none_applying() -> None:
    """Refuse, as a retryable busy error, a write of observations while a batch is being applied."""
    applying = ImportBatch.objects.filter(status=BatchStatus.APPLYING).values_list("pk", flat=True).first()
    if applying is not None:
        raise ObservationsBusy(f"import batch #{applying} is being applied; try again when it is done")


def _heartbeat(batch: ImportBatch) -> None:
    """Note that this process is still applying the batch; fail if it no longer is (rolled back meanwhile)."""
    mark = {"pid": os.getpid(), "host": socket.gethostname(), "at": timezone.now().isoformat()}
    batch.metadata = {**batch.metadata, "applying": mark}
    if not ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.APPLYING).update(metadata=batch.metadata):
        raise BatchAbandoned(f"import batch #{batch.pk} is no longer being applied")


def _chunk_ranges(size: int) -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(rowid), MAX(rowid) FROM {STAGE}")
        first, last = cursor.fetchone()
    return [] if first is None else [(start, start + size) for start in range(first, last + 1, size)]


def _apply_chunk(*, batch_id: int, user_id: int | None, now: datetime, start: int, end: int) -> ChangeCounts:
    """Land staged rows start ≤ rowid < end: count, keep revisions, mark replaced rows, insert new ones (hidden)."""
    obs = Observation._meta.db_table
    within = "s.rowid >= %s AND s.rowid < %s"
    # CROSS JOIN keeps the chunk's staged rows as the outer loop: with a plain JOIN SQLite may pick the
    # replaced_by index for "replaced_by_id IS NULL" and scan every current observation once per chunk.
    joined = (f"FROM {STAGE} s CROSS JOIN {obs} o ON o.indicator_id = s.indicator_id AND o.unit_id = s.unit_id "
              f"AND o.period = s.period AND {CURRENT} WHERE {within}")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {STAGE} s WHERE {within}", [start, end])
        total = int(cursor.fetchone()[0])
        cursor.execute(f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {bulk.differs('o', 's')} THEN 1 ELSE 0 END), 0) "
                       f"{joined}", [start, end])
        existing, updated = (int(n) for n in cursor.fetchone())
        bulk.keep_revisions(cursor, f"{joined} AND {bulk.differs('o', 's')}", [batch_id, user_id, now, start, end])
        cursor.execute(f"UPDATE {obs} SET replaced_by_id = %s WHERE id IN "
                       f"(SELECT o.id {joined} AND {bulk.differs('o', 's')})", [batch_id, start, end])
        cursor.execute(
            f"INSERT INTO {obs} (indicator_id, unit_id, period, value, flag, batch_id) "
            f"SELECT s.indicator_id, s.unit_id, s.period, s.value, s.flag, %s FROM {STAGE} s WHERE {within} "
            f"AND NOT EXISTS (SELECT 1 FROM {obs} o WHERE o.indicator_id = s.indicator_id "
            f"AND o.unit_id = s.unit_id AND o.period = s.period AND {CURRENT})",
            [batch_id, start, end])
    return ChangeCounts(inserted=total - existing, updated=updated, unchanged=existing - updated)


def apply_in_chunks(batch: ImportBatch, *, staged: int, notify, save) -> ChangeCounts:
    """Apply what is staged for the (unsaved) batch in chunks; all or nothing; return the counts. `save` saves
    the batch, `notify` tells what its values changed (`services`: both as every write path does)."""
    roll_back_abandoned()
    with transaction.atomic():
        ensure_none_applying()
        batch.status = BatchStatus.APPLYING
        save(batch)
    now, totals = timezone.now(), ChangeCounts(inserted=0, updated=0, unchanged=0)
    try:
        changed_indicators = bulk.staged_indicator_ids()
        for start, end in _chunk_ranges(settings.OBS_IMPORT_APPLY_CHUNK):
            with transaction.atomic():
                _heartbeat(batch)
                counts = _apply_chunk(batch_id=batch.pk, user_id=batch.user_id, now=now, start=start, end=end)
            totals = ChangeCounts(inserted=totals.inserted + counts.inserted, updated=totals.updated + counts.updated,
                                  unchanged=totals.unchanged + counts.unchanged)
            time.sleep(PAUSE_SECONDS)  # a writer waiting on the lock retries every 0.1 s at most: let it in
        with transaction.atomic():  # the one short step that makes the batch's values current
            _heartbeat(batch)
            batch.metadata.pop("applying", None)
            batch.rows, batch.status = staged, BatchStatus.APPLIED
            batch.inserted, batch.updated, batch.unchanged = totals.inserted, totals.updated, totals.unchanged
            save(batch, update_fields=["rows", "inserted", "updated", "unchanged", "status", "metadata"])
            notify(batch, changed_indicators if totals.inserted or totals.updated else set())
    except BaseException:
        try:
            roll_back(batch.pk)
        except DatabaseError:
            pass  # left applying: the next chunked write or `rollback_imports` removes it; report the first error
        raise
    _delete_replaced(batch.pk)
    return totals


def _in_chunks(sql: str, params: list) -> None:
    """Repeat a statement that works on at most one chunk of ids until it finds nothing, a transaction each."""
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [*params, settings.OBS_IMPORT_APPLY_CHUNK or bulk.CHUNK])
            if not cursor.rowcount:
                return


def _delete_replaced(batch_id: int) -> None:
    """Delete the rows an applied batch replaced (hidden since it was applied)."""
    obs = Observation._meta.db_table
    _in_chunks(f"DELETE FROM {obs} WHERE id IN (SELECT id FROM {obs} WHERE replaced_by_id = %s LIMIT %s)",
               [batch_id])


def roll_back(batch_id: int) -> bool:
    """Remove an applying batch's chunks (new rows, then marks, then revisions) and mark it failed.

    Until the end the batch stays applying, so readers see the old values throughout. Returns whether the
    batch was rolled back (False when it was not applying, e.g. applied meanwhile).
    """
    obs, rev = Observation._meta.db_table, Revision._meta.db_table
    if not ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.APPLYING).exists():
        return False
    guard = f"EXISTS (SELECT 1 FROM {ImportBatch._meta.db_table} WHERE id = %s AND status = 'applying')"
    _in_chunks(f"DELETE FROM {obs} WHERE {guard} AND id IN (SELECT id FROM {obs} WHERE batch_id = %s LIMIT %s)",
               [batch_id, batch_id])
    _in_chunks(f"UPDATE {obs} SET replaced_by_id = NULL WHERE {guard} AND id IN "
               f"(SELECT id FROM {obs} WHERE replaced_by_id = %s LIMIT %s)", [batch_id, batch_id])
    _in_chunks(f"DELETE FROM {rev} WHERE {guard} AND id IN (SELECT id FROM {rev} WHERE batch_id = %s LIMIT %s)",
               [batch_id, batch_id])
    with transaction.atomic():
        return bool(ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.APPLYING)
                    .update(status=BatchStatus.FAILED))


def _abandoned(batch: ImportBatch) -> bool:
    mark = batch.metadata.get("applying") or {}
    if mark.get("host") == socket.gethostname() and isinstance(mark.get("pid"), int):
        try:
            os.kill(mark["pid"], 0)
        except ProcessLookupError:
            return True  # its process is gone
        except PermissionError:
            pass
    at = datetime.fromisoformat(mark["at"]).timestamp() if mark.get("at") else batch.created_at.timestamp()
    return time.time() - at > STALE_SECONDS


def roll_back_abandoned(*, everything: bool = False) -> list[int]:
    """Roll back the batches left applying by a process that is gone (or silent for STALE_SECONDS); all with
    `everything`. Returns their ids."""
    rolled = []
    for batch in ImportBatch.objects.filter(status=BatchStatus.APPLYING).order_by("pk"):
        if (everything or _abandoned(batch)) and roll_back(batch.pk):
            rolled.append(batch.pk)
    return rolled


def delete_leftovers() -> int:
    """Delete replaced rows an applied batch left when its process stopped before removing them."""
    obs, batches = Observation._meta.db_table, ImportBatch._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT o.replaced_by_id FROM {obs} o JOIN {batches} b ON b.id = o.replaced_by_id "
                       "WHERE b.status <> 'applying'")
        ids = [row[0] for row in cursor.fetchall()]
    for batch_id in ids:
        _delete_replaced(batch_id)
    return len(ids)
