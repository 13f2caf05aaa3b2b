"""Reads of the data version."""

from __future__ import annotations

from datetime import UTC, datetime

from obserwatorium.dataversion.models import SINGLETON_ID, DataVersion

NEVER_WRITTEN = datetime(2000, 1, 1, tzinfo=UTC)


def data_version() -> DataVersion:
    """The current data version (one indexed read); a database that never saw a write is at 0."""
    return DataVersion.objects.filter(pk=SINGLETON_ID).first() or DataVersion(
        pk=SINGLETON_ID, counter=0, changed_at=NEVER_WRITTEN)
