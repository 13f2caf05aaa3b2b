"""Writes of the BDL sync's own state: runs, their items and confirmed unit ids; each one transaction."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from obserwatorium.indicators.bulk import ChangeCounts
from obserwatorium.indicators.models import ImportBatch, Indicator
from obserwatorium.ingest.bdl.units import Confirmed
from obserwatorium.ingest.models import (
    UNFINISHED,
    BdlUnit,
    ItemStatus,
    RunStatus,
    SyncItem,
    SyncRun,
    SyncSource,
)


def fingerprint(parameters: dict) -> str:
    """The same parameters give the same fingerprint, whatever their order."""
    return hashlib.sha256(json.dumps(parameters, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def open_run(*, parameters: dict, indicators: Sequence[Indicator], restart: bool = False) -> tuple[SyncRun, bool]:
    """Continue the unfinished run with these parameters, or start one; True when continuing."""
    key = fingerprint(parameters)
    unfinished = SyncRun.objects.select_for_update().filter(source=SyncSource.BDL, fingerprint=key,
                                                            status__in=UNFINISHED)
    if restart:
        unfinished.update(status=RunStatus.ABANDONED, finished_at=timezone.now(),
                          message="abandoned: a new run was started with --restart")
    else:
        run = unfinished.order_by("-started_at", "-id").first()
        if run is not None:
            run.status, run.message = RunStatus.RUNNING, ""
            run.save(update_fields=["status", "message"])
            return run, True
    run = SyncRun.objects.create(source=SyncSource.BDL, parameters=parameters, fingerprint=key)
    SyncItem.objects.bulk_create([SyncItem(run=run, indicator=indicator, order=order)
                                  for order, indicator in enumerate(indicators)])
    return run, False


@transaction.atomic
def complete_item(*, run: SyncRun, indicator: Indicator, batch: ImportBatch | None, counts: ChangeCounts | None,
                  message: str = "") -> None:
    """Mark an indicator done; called inside the transaction that writes its observations."""
    SyncItem.objects.filter(run=run, indicator=indicator).update(
        status=ItemStatus.DONE, batch=batch, message=message, finished_at=timezone.now(),
        inserted=counts.inserted if counts else 0, updated=counts.updated if counts else 0,
        unchanged=counts.unchanged if counts else 0,
    )


@transaction.atomic
def fail_item(*, run: SyncRun, indicator: Indicator, message: str) -> None:
    """Mark an indicator failed (an interrupted run that is continued tries it again)."""
    SyncItem.objects.filter(run=run, indicator=indicator).update(status=ItemStatus.FAILED, message=message,
                                                                 finished_at=timezone.now())


@transaction.atomic
def stop_run(*, run: SyncRun, message: str) -> None:
    """Record that a run stopped before its end (offline, limits, interruption)."""
    SyncRun.objects.filter(pk=run.pk).update(status=RunStatus.INTERRUPTED, message=message[:2000])


@transaction.atomic
def finish_run(*, run: SyncRun) -> SyncRun:
    """Close a run that went through all its items: completed, or incomplete when some failed."""
    failed = run.items.filter(status=ItemStatus.FAILED).count()
    pending = run.items.filter(status=ItemStatus.PENDING).count()
    run.status = RunStatus.COMPLETED if failed == pending == 0 else RunStatus.INCOMPLETE
    run.finished_at = timezone.now()
    run.message = f"{failed} indicators failed" if failed else ""
    run.save(update_fields=["status", "finished_at", "message"])
    return run


@transaction.atomic
def record_units(*, entries: Iterable[Confirmed]) -> list[Confirmed]:
    """Keep confirmed BDL ids in the mapping table (so a later recoding keeps the history); returns them."""
    now, kept = timezone.now(), []
    for entry in entries:
        BdlUnit.objects.update_or_create(
            bdl_unit_id=entry.bdl_unit_id,
            defaults={"unit": entry.unit, "name": entry.name[:200], "confirmed_by": entry.confirmed_by,
                      "last_seen_at": now},
        )
        kept.append(entry)
    return kept


@transaction.atomic
def touch_units(*, bdl_unit_ids: Iterable[str]) -> None:
    """Note when confirmed ids were last seen in BDL responses."""
    BdlUnit.objects.filter(bdl_unit_id__in=list(bdl_unit_ids)).update(last_seen_at=timezone.now())
