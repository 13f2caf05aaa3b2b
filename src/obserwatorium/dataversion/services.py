"""The one write of the data version: bump it inside the transaction of the write it records."""

from __future__ import annotations

from django.db import connections
from django.db.models import F
from django.utils import timezone

from obserwatorium.dataversion.models import SINGLETON_ID, DataVersion


def bump_data_version(*, using: str = "default") -> None:
    """Count one more write of public data; the UPDATE runs in the caller's transaction, so it commits (and
    becomes visible) with that write or rolls back with it, never before it."""
    if connections[using].needs_rollback:
        return  # the transaction is already doomed: the write it would record never commits
    now = timezone.now()
    if not DataVersion.objects.using(using).filter(pk=SINGLETON_ID).update(counter=F("counter") + 1,
                                                                           changed_at=now):
        DataVersion.objects.using(using).get_or_create(pk=SINGLETON_ID, defaults={"counter": 1, "changed_at": now})
