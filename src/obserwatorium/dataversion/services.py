"""The one write of the data version: bump it inside the transaction of the write it records."""

from __future__ import annotations

from functools import partial

from django.db import DatabaseError, connections, transaction
from django.db.models import F
from django.utils import timezone

from obserwatorium.dataversion.models import SINGLETON_ID, DataVersion


def bump_data_version(*, using: str = "default", figures: bool = True) -> None:
    """Count one more write of public data, in the caller's transaction (it commits, and becomes visible, with
    that write, or rolls back with it). `figures`: whether the write changes what the pages' group figures are
    computed from (then their version is bumped too; when in doubt, it is).

    On PostgreSQL the version row is taken without waiting (FOR UPDATE NOWAIT). While another transaction
    holds it (a large import applying), this one bumps after its own commit instead: waiting would chain every
    writer of the site behind that import and let two writers lock each other's rows in a cycle. Between that
    commit and the holder's, cached API answers may lag this write (at most OBS_API_CACHE_SECONDS)."""
    connection = connections[using]
    if connection.needs_rollback:
        return  # the transaction is already doomed: the write it would record never commits
    if connection.vendor != "postgresql":  # SQLite has one writer at a time: nothing to wait for
        _increment(using, figures=figures)
        return
    if not _increment_without_waiting(using, figures=figures) and connection.in_atomic_block:
        pending = [entry[1] for entry in connection.run_on_commit if isinstance(entry[1], partial)
                   and getattr(entry[1], "data_version", False)]
        if pending:
            pending[0].keywords["figures"] = pending[0].keywords["figures"] or figures  # one bump, the wider one
        else:
            after_commit = partial(_increment_without_waiting, using, figures=figures)
            after_commit.data_version = True  # type: ignore[attr-defined]
            transaction.on_commit(after_commit, using=using, robust=True)


def _increment(using: str, *, figures: bool) -> None:
    now = timezone.now()
    changes = {"counter": F("counter") + 1, "changed_at": now}
    if figures:
        changes |= {"figures_counter": F("figures_counter") + 1, "figures_changed_at": now}
    if not DataVersion.objects.using(using).filter(pk=SINGLETON_ID).update(**changes):
        DataVersion.objects.using(using).get_or_create(pk=SINGLETON_ID, defaults={
            "counter": 1, "changed_at": now, "figures_counter": 1, "figures_changed_at": now})


def _increment_without_waiting(using: str, *, figures: bool) -> bool:
    """Bump the row if no other transaction holds it; whether it was bumped."""
    try:
        with transaction.atomic(using=using):  # a savepoint: a refused lock leaves the caller's work intact
            list(DataVersion.objects.using(using).select_for_update(nowait=True).filter(pk=SINGLETON_ID)
                 .values_list("pk", flat=True))
            _increment(using, figures=figures)
    except DatabaseError:
        return False
    return True
