"""Set-based upsert of observations through a staging table: COPY on PostgreSQL, executemany on SQLite."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any, NamedTuple

from django.db import DatabaseError, OperationalError, connection

from obserwatorium.indicators import references
from obserwatorium.indicators.models import Observation, Revision

STAGE = "obs_stage"
CHUNK = 50_000
STAGE_TYPES = ["int8", "int8", "varchar", "float8", "varchar"]  # its columns, for a binary COPY
# The stored row of a key that a write compares with and replaces (a row a chunked import replaced is not).
CURRENT = "o.replaced_by_id IS NULL"


class ObservationRow(NamedTuple):
    """One value to write; a plain tuple, because an import builds millions of them."""

    indicator_id: int
    unit_id: int
    period: str
    value: float | None
    flag: str


@dataclass(frozen=True)
class ChangeCounts:
    inserted: int
    updated: int
    unchanged: int


def _chunks(rows: Iterable[ObservationRow], size: int) -> Iterator[list[ObservationRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def differs(old: str, new: str) -> str:
    """A null-safe 'values differ' test in the connection's SQL dialect."""
    operator = "IS NOT" if connection.vendor == "sqlite" else "IS DISTINCT FROM"
    return f"({old}.value {operator} {new}.value OR {old}.flag <> {new}.flag)"


def _empty_stage(cursor) -> None:
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (indicator_id bigint NOT NULL, unit_id bigint NOT NULL, "
        "period varchar(10) NOT NULL, value double precision NULL, flag varchar(16) NOT NULL, "
        "PRIMARY KEY (indicator_id, unit_id, period))"
    )
    cursor.execute(f"DELETE FROM {STAGE}")


def stage_select(sql: str, params: Sequence[Any]) -> int:
    """Fill the staging table from a SELECT of (indicator_id, unit_id, period, value, flag), inside the database.

    Nothing passes through Python, so staging a batch of millions of rows needs no memory here.
    """
    with connection.cursor() as cursor:
        _empty_stage(cursor)
        cursor.execute(f"INSERT INTO {STAGE} (indicator_id, unit_id, period, value, flag) {sql}", params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {STAGE}")
        cursor.execute(f"SELECT COUNT(*) FROM {STAGE}")
        return int(cursor.fetchone()[0])


def stage(rows: Iterable[ObservationRow]) -> int:
    """Load rows into the session's staging table (emptied first); return how many were staged.

    Outside a transaction on SQLite the rows go in under a deferred transaction of their own: it writes only
    the connection's temp database, so it never takes the main database's write lock (an IMMEDIATE one
    would), and one commit instead of one per row keeps it fast.
    """
    own_transaction = connection.vendor == "sqlite" and not connection.in_atomic_block
    if not own_transaction:
        return _stage(rows)
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            count = _stage(rows)
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")
    return count


def clear_stage() -> None:
    """Empty the staging table (after a write staged outside its transaction, whatever its outcome)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {STAGE}")
    except DatabaseError:
        pass  # a broken connection takes its TEMP table with it; the write's own error is the one to report


def _stage(rows: Iterable[ObservationRow]) -> int:
    count = 0
    with connection.cursor() as cursor:
        _empty_stage(cursor)
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            # Binary: the server reads the numbers as they are instead of parsing their text (a tenth faster).
            copy_sql = f"COPY {STAGE} (indicator_id, unit_id, period, value, flag) FROM STDIN (FORMAT BINARY)"
            with connection.wrap_database_errors, raw.copy(copy_sql) as copy:
                copy.set_types(STAGE_TYPES)
                for chunk in _chunks(rows, CHUNK):
                    for record in chunk:
                        copy.write_row(record)
                    count += len(chunk)
        else:
            for chunk in _chunks(rows, CHUNK):
                cursor.executemany(f"INSERT INTO {STAGE} VALUES (%s, %s, %s, %s, %s)", chunk)
                count += len(chunk)
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {STAGE}")
    return count


def _join() -> str:
    obs = Observation._meta.db_table
    return (f"FROM {STAGE} s LEFT JOIN {obs} o ON o.indicator_id = s.indicator_id "
            f"AND o.unit_id = s.unit_id AND o.period = s.period AND {CURRENT}")


def count_changes() -> ChangeCounts:
    """Compare the staging table with stored observations."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(CASE WHEN o.id IS NULL THEN 1 ELSE 0 END), 0), "
            f"COALESCE(SUM(CASE WHEN o.id IS NOT NULL AND {differs('o', 's')} THEN 1 ELSE 0 END), 0), "
            f"COUNT(*) {_join()}"
        )
        inserted, updated, total = cursor.fetchone()
    return ChangeCounts(inserted=int(inserted), updated=int(updated), unchanged=int(total - inserted - updated))


def staged_changes(limit: int) -> list[tuple]:
    """The first `limit` staged rows that would insert or change a value: keys, old and new value/flag."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.indicator_id, s.unit_id, s.period, o.value, s.value, o.flag, s.flag {_join()} "
            f"WHERE o.id IS NULL OR {differs('o', 's')} "
            "ORDER BY s.indicator_id, s.unit_id, s.period LIMIT %s",
            [limit],
        )
        return cursor.fetchall()


def staged_indicator_ids() -> set[int]:
    """Indicators present in the staging table."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT indicator_id FROM {STAGE}")
        return {row[0] for row in cursor.fetchall()}


def keep_revisions(cursor, joined: str, params: Sequence[Any], *, new_value: str = "s.value",
                   new_flag: str = "s.flag") -> None:
    """Keep as revisions the stored rows `o` that `joined` (a FROM … clause pairing them with staged rows `s`)
    selects: old value and flag, the new ones, the batch each came from; `params` begin with batch, user, time."""
    rev = Revision._meta.db_table
    cursor.execute(
        f"INSERT INTO {rev} (indicator_id, unit_id, period, old_value, new_value, old_flag, new_flag, "
        "old_batch_id, batch_id, user_id, changed_at) "
        f"SELECT o.indicator_id, o.unit_id, o.period, o.value, {new_value}, o.flag, {new_flag}, o.batch_id, "
        f"%s, %s, %s {joined}",
        params,
    )


class WrittenMeanwhile(OperationalError):
    """Another writer stored a value of a staged key after the write counted its changes: nothing was written,
    and the same write, tried again, counts and keeps that value too."""

    retryable = True


def apply_staged(*, batch_id: int, user_id: int | None, now: datetime, counts: ChangeCounts) -> None:
    """Keep every value about to be overwritten as a revision, then write the staged rows that `counts` (of
    count_changes, in the same transaction) says insert or change a value.

    Without a value to overwrite, the new keys are inserted without the upsert's per-row conflict handling; a key
    another writer stored after the count then fails the write (WrittenMeanwhile) instead of being taken over.
    On PostgreSQL the foreign keys of the rows written are checked once per set, not once per row, where the
    connection may (indicators.references).
    """
    obs = Observation._meta.db_table
    with connection.cursor() as cursor:
        with references.checked_per_set(cursor, stage=STAGE, batch_id=batch_id, user_id=user_id):
            if counts.updated:
                keep_revisions(cursor, f"FROM {STAGE} s JOIN {obs} o ON o.indicator_id = s.indicator_id "
                               f"AND o.unit_id = s.unit_id AND o.period = s.period AND {CURRENT} "
                               f"WHERE {differs('o', 's')}", [batch_id, user_id, now])
                cursor.execute(
                    f"INSERT INTO {obs} (indicator_id, unit_id, period, value, flag, batch_id) "
                    f"SELECT s.indicator_id, s.unit_id, s.period, s.value, s.flag, %s FROM {STAGE} s WHERE true "
                    "ON CONFLICT (indicator_id, unit_id, period) WHERE replaced_by_id IS NULL DO UPDATE "
                    "SET value = excluded.value, "
                    f"flag = excluded.flag, batch_id = excluded.batch_id WHERE {differs(obs, 'excluded')}",
                    [batch_id],
                )
            elif counts.inserted:
                cursor.execute(
                    f"INSERT INTO {obs} (indicator_id, unit_id, period, value, flag, batch_id) "
                    f"SELECT s.indicator_id, s.unit_id, s.period, s.value, s.flag, %s FROM {STAGE} s "
                    f"WHERE NOT EXISTS (SELECT 1 FROM {obs} o WHERE o.indicator_id = s.indicator_id "
                    f"AND o.unit_id = s.unit_id AND o.period = s.period AND {CURRENT})",
                    [batch_id],
                )
                if cursor.rowcount != counts.inserted:
                    raise WrittenMeanwhile(f"{counts.inserted - cursor.rowcount} of the new values were stored by "
                                           "another write meanwhile; try again")
        cursor.execute(f"DELETE FROM {STAGE}")


def count_staged_existing() -> int:
    """How many staged keys hold a stored observation (those a deletion removes)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {_join()} WHERE o.id IS NOT NULL")
        return int(cursor.fetchone()[0])


def delete_staged(*, batch_id: int, user_id: int | None, now: datetime) -> int:
    """Keep every staged key's stored value as a revision (new value none), then delete it; return how many."""
    obs = Observation._meta.db_table
    with connection.cursor() as cursor:
        keep_revisions(cursor, f"FROM {STAGE} s JOIN {obs} o ON o.indicator_id = s.indicator_id "
                       f"AND o.unit_id = s.unit_id AND o.period = s.period AND {CURRENT}",
                       [batch_id, user_id, now], new_value="NULL", new_flag="o.flag")
        cursor.execute(
            f"DELETE FROM {obs} WHERE replaced_by_id IS NULL AND EXISTS (SELECT 1 FROM {STAGE} s "
            f"WHERE s.indicator_id = {obs}.indicator_id AND s.unit_id = {obs}.unit_id AND s.period = {obs}.period)"
        )
        deleted = cursor.rowcount
        cursor.execute(f"DELETE FROM {STAGE}")
    return int(deleted)
