"""The one write of the data version and of the figures versions: bumped inside the transaction of the write
they record."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import DatabaseError, connections, transaction
from django.db.models import F
from django.utils import timezone

from obserwatorium.dataversion.models import EVERY_FIGURE, SINGLETON_ID, DataVersion, FiguresVersion


def bump_data_version(*, using: str = "default", figures: bool = True,
                      indicators: Iterable[int] | None = None) -> None:
    """Count one more write of public data, in the caller's transaction (it commits, and becomes visible, with
    that write, or rolls back with it).

    `figures`: whether the write changes what the pages' group figures are computed from (when in doubt, it
    does); `indicators`: the ids of the indicators whose observations it changed, if that is all it changed.
    Then only the figures computed from those indicators' observations are computed again; without them every
    figure is (units, membership, the catalogue, derived definitions, anything else).

    The figures versions never wait (`models.FiguresVersion`). On PostgreSQL the data version row is taken
    without waiting (FOR UPDATE NOWAIT). While another transaction holds it (a large import applying), this one
    bumps it after its own commit instead: waiting would chain every writer of the site behind that import and
    let two writers lock each other's rows in a cycle. Between that commit and the holder's, cached API answers
    may lag this write (at most OBS_API_CACHE_SECONDS); the pages' figures do not."""
    connection = connections[using]
    if connection.needs_rollback:
        return  # the transaction is already doomed: the write it would record never commits
    if figures:
        bump_figures(using=using, scopes=[EVERY_FIGURE] if indicators is None else indicators)
    if connection.vendor != "postgresql":  # SQLite has one writer at a time: nothing to wait for
        _increment(using)
        return
    if not _increment_without_waiting(using) and connection.in_atomic_block:
        if not any(getattr(entry[1], "data_version", False) for entry in connection.run_on_commit):
            def after_commit() -> None:
                _increment_without_waiting(using)

            after_commit.data_version = True  # type: ignore[attr-defined]
            transaction.on_commit(after_commit, using=using, robust=True)


def bump_figures(*, using: str = "default", scopes: Iterable[int]) -> None:
    """Bump one slot of each scope's figures version (an indicator's id, or `EVERY_FIGURE`), in the caller's
    transaction: on PostgreSQL a slot no other transaction holds (SKIP LOCKED), else a new slot; never waiting."""
    wanted = sorted(set(scopes))
    if not wanted:
        return
    connection = connections[using]
    table = connection.ops.quote_name(FiguresVersion._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} SET counter = counter + 1, changed_at = %s WHERE id IN (SELECT slot.id FROM"
                f" unnest(%s::bigint[]) AS wanted(scope) CROSS JOIN LATERAL (SELECT id FROM {table} AS t"
                " WHERE t.scope = wanted.scope ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) AS slot) RETURNING scope",
                [now, wanted])
        else:  # one writer at a time: a scope has one slot
            cursor.execute(f"UPDATE {table} SET counter = counter + 1, changed_at = %s"
                           f" WHERE scope IN ({', '.join(['%s'] * len(wanted))}) RETURNING scope", [now, *wanted])
        bumped = {int(row[0]) for row in cursor.fetchall()}
    _new_slots(using, [scope for scope in wanted if scope not in bumped], now)


def _new_slots(using: str, scopes: list[int], now: datetime) -> None:
    if scopes:
        FiguresVersion._default_manager.using(using).bulk_create(
            [FiguresVersion(scope=scope, counter=1, changed_at=now) for scope in scopes])


def _increment(using: str) -> None:
    now = timezone.now()
    if not DataVersion.objects.using(using).filter(pk=SINGLETON_ID).update(counter=F("counter") + 1, changed_at=now):
        DataVersion.objects.using(using).get_or_create(pk=SINGLETON_ID, defaults={"counter": 1, "changed_at": now})


def _increment_without_waiting(using: str) -> bool:
    """Bump the row if no other transaction holds it; whether it was bumped."""
    try:
        with transaction.atomic(using=using):  # a savepoint: a refused lock leaves the caller's work intact
            list(DataVersion.objects.using(using).select_for_update(nowait=True).filter(pk=SINGLETON_ID)
                 .values_list("pk", flat=True))
            _increment(using)
    except DatabaseError:
        return False
    return True
