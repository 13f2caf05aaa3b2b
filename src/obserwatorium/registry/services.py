"""Writes of registry records shared by pages and the API: role-checked, validated, recorded; one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.utils import timezone

from obserwatorium.access import rules
from obserwatorium.history.tracking import recording
from obserwatorium.registry.models import RegistryRecord

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

M = TypeVar("M", bound=models.Model)

def _assign(record: models.Model, values: Mapping[str, Any]) -> dict[str, list]:
    """Set concrete field values on the record; return the many-to-many values to set after saving."""
    meta = record._meta
    m2m_names = {f.name for f in meta.many_to_many}
    m2m: dict[str, list] = {}
    for name, value in values.items():
        if name in m2m_names:
            m2m[name] = list(value or [])
            continue
        field = meta.get_field(name)
        if isinstance(field, models.ForeignObject):  # a foreign key: set by id or by record
            setattr(record, field.attname, value.pk if isinstance(value, models.Model) else value)
        else:
            setattr(record, name, value)
    return m2m


def save_record(*, record: M, values: Mapping[str, Any], user: Actor, via: str = "api") -> M:
    """Create or update a registry record if the user may (before and after the change); validate; record it."""
    with transaction.atomic(), recording(user=user, via=via):
        if record.pk is None:
            rules.require_create(user, type(record))
        else:
            rules.require_edit(user, record)
        m2m = _assign(record, values)
        rules.require_edit(user, record)
        record.full_clean(exclude=list(m2m))
        record.save()
        for name, ids in m2m.items():
            getattr(record, name).set(ids)
    return record


def archive_record(*, record: RegistryRecord, user: Actor, via: str = "api",
                   values: Mapping[str, Any] | None = None) -> RegistryRecord:
    """Archive a registry record (the soft delete): hidden from the public, kept with its history. `values` are
    set in the same change (e.g. the reason a feed withdrew an event), with the same rights asked."""
    with transaction.atomic(), recording(user=user, via=via):
        rules.require_edit(user, record)
        if record.archived_at is None:
            _assign(record, values or {})
            rules.require_edit(user, record)
            record.archived_at = timezone.now()
            record.save()
    return record


def restore_record(*, record: RegistryRecord, user: Actor, via: str = "api",
                   values: Mapping[str, Any] | None = None) -> RegistryRecord:
    """Bring an archived registry record back (`values` set in the same change)."""
    with transaction.atomic(), recording(user=user, via=via):
        rules.require_edit(user, record)
        if record.archived_at is not None:
            _assign(record, values or {})
            rules.require_edit(user, record)
            record.archived_at = None
            record.save()
    return record
