"""The foreign keys of a large write checked once per set on PostgreSQL instead of once per row.

PostgreSQL checks a foreign key by a trigger per written row: an index probe and a FOR KEY SHARE lock on the
referenced row, queued until the commit. For an import of a million observations (three keys each, five for a
revision) that is more time than the writing itself. Here the write's statements run with those per-row
triggers off (`session_replication_role = replica`, for the statements only, in the write's transaction), and
then every referenced row is locked FOR KEY SHARE and checked to exist in one statement per key: the same
locks and the same guarantee at the commit, as a set. The constraints themselves stay declared and enforced
for every other writer, and for the deletions of referenced rows (those triggers sit on the referenced tables
and keep running).

Used only when the connection may set the parameter (a superuser, or `GRANT SET ON PARAMETER
session_replication_role`, PostgreSQL 15+), when the written tables carry no trigger, rule or referencing key
of their own (those would be skipped too), and when every foreign key of the written models is one this module
knows how to check; otherwise the per-row triggers do the work, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, IntegrityError, connection, models

from obserwatorium.indicators.models import Observation, Revision

# Where the values of each foreign key of a set-based apply come from: the staging table, the write's own
# batch or user, or the revisions the write kept. A key not listed here disables the set-based check.
STAGED, BATCH, USER, KEPT_BATCHES, UNWRITTEN = "staged", "batch", "user", "kept", "unwritten"
SOURCES: dict[type[models.Model], dict[str, str]] = {
    # replaced_by is not written by the upsert: new rows leave it empty, overwritten rows are current (empty).
    Observation: {"indicator_id": STAGED, "unit_id": STAGED, "batch_id": BATCH, "replaced_by_id": UNWRITTEN},
    Revision: {"indicator_id": STAGED, "unit_id": STAGED, "batch_id": BATCH, "user_id": USER,
               "old_batch_id": KEPT_BATCHES},
}


def _foreign_keys(model: type[models.Model]) -> dict[str, models.ForeignKey]:
    return {field.column: field for field in model._meta.concrete_fields if isinstance(field, models.ForeignKey)}


def _known_keys() -> bool:
    return all(set(_foreign_keys(model)) == set(columns) for model, columns in SOURCES.items())


def set_checks_possible(cursor) -> bool:
    """Whether this connection checks the write's foreign keys per set (see the module's description)."""
    if connection.vendor != "postgresql" or not _known_keys():
        return False
    tables = ", ".join(f"'{model._meta.db_table}'::regclass" for model in SOURCES)
    may_set = ("current_setting('is_superuser') = 'on'"
               + (" OR has_parameter_privilege('session_replication_role', 'SET')"
                  if getattr(connection, "pg_version", 0) >= 150000 else ""))
    cursor.execute(
        f"SELECT ({may_set}) "
        f"AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid IN ({tables}) AND NOT tgisinternal) "
        f"AND NOT EXISTS (SELECT 1 FROM pg_rewrite WHERE ev_class IN ({tables})) "
        f"AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE confrelid IN ({tables}))")
    return bool(cursor.fetchone()[0])


@contextmanager
def checked_per_set(cursor, *, stage: str, batch_id: int, user_id: int | None) -> Iterator[None]:
    """Run the enclosed writes of observations and revisions (staged in `stage`, for the batch) with the
    per-row foreign-key triggers off, then lock and check every referenced row once; IntegrityError if one is
    missing. Inside a transaction only: a failure rolls the whole write back, the parameter with it."""
    if not set_checks_possible(cursor):
        yield
        return
    assert connection.in_atomic_block, "the per-set check must share the write's transaction"
    cursor.execute("SET LOCAL session_replication_role = replica")
    try:
        yield
    finally:
        try:
            cursor.execute("SET LOCAL session_replication_role = origin")
        except DatabaseError:
            pass  # an aborted transaction resets the parameter with its rollback; its own error is the one
    checked = set()
    for model, columns in SOURCES.items():
        keys = _foreign_keys(model)
        for column, source in columns.items():
            # The same values of the same table are checked once (the keys a revision shares with its row).
            what = (keys[column].target_field.model._meta.db_table, column, source)
            if source == UNWRITTEN or (source == USER and user_id is None) or what in checked:
                continue
            checked.add(what)
            sql, params = _values(source, column, stage=stage, batch_id=batch_id, user_id=user_id)
            _lock_and_check(cursor, model, keys[column], sql, params)


def _values(source: str, column: str, *, stage: str, batch_id: int, user_id: int | None) -> tuple[str, list]:
    """A SELECT of the values the write gave the key `column`, with its parameters."""
    if source == STAGED:
        return f"SELECT DISTINCT {column} FROM {stage}", []
    if source == KEPT_BATCHES:
        return f"SELECT DISTINCT {column} FROM {Revision._meta.db_table} WHERE batch_id = %s", [batch_id]
    return "SELECT %s::bigint", [batch_id if source == BATCH else user_id]


def _lock_and_check(cursor, model: type[models.Model], key: models.ForeignKey, ids_sql: str, params: list) -> None:
    """Lock the referenced rows `ids_sql` names FOR KEY SHARE (as the per-row trigger does), then fail if any is
    missing. Locking first: a concurrent deletion is waited for, and what it removed is then found missing."""
    target = key.target_field
    table, column = target.model._meta.db_table, target.column
    cursor.execute(f"SELECT 1 FROM {table} WHERE {column} IN ({ids_sql}) FOR KEY SHARE", params)
    cursor.execute(f"SELECT w.id FROM ({ids_sql}) AS w (id) WHERE w.id IS NOT NULL AND NOT EXISTS "
                   f"(SELECT 1 FROM {table} r WHERE r.{column} = w.id) LIMIT 1", params)
    missing = cursor.fetchone()
    if missing is not None:
        raise IntegrityError(f'insert or update on table "{model._meta.db_table}" violates foreign key constraint '
                             f'on ({key.column}): Key ({key.column})=({missing[0]}) is not present in table '
                             f'"{table}".')
