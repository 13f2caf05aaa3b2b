"""Reads of the change history."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from obserwatorium.history.models import ChangeRecord

# Personal data of contact persons: kept in the history, shown to staff only.
PRIVATE_FIELDS = frozenset({"contact_name", "contact_email", "contact_phone"})


def without_private(snapshot: dict | None) -> dict | None:
    """A snapshot as the public may see it."""
    if snapshot is None:
        return None
    return {name: value for name, value in snapshot.items() if name not in PRIVATE_FIELDS}


def changes_of(record: models.Model) -> QuerySet[ChangeRecord]:
    """Every recorded change of one record, newest first."""
    content_type = ContentType.objects.get_for_model(type(record))
    return ChangeRecord.objects.filter(content_type=content_type, object_id=str(record.pk)).select_related("user")


def field_labels(model: type[models.Model]) -> dict[str, str]:
    """Field names mapped to their translated verbose names, for showing a change."""
    return {f.name: str(getattr(f, "verbose_name", f.name)) for f in model._meta.get_fields()
            if hasattr(f, "verbose_name")}


def change_rows(record: models.Model, *, limit: int = 200, private: bool = True) -> list[dict]:
    """The record's changes as rows of (when, who, action, [(field label, before, after)]); private=False leaves
    out the personal data of contact persons."""
    labels = field_labels(type(record))
    rows = []
    for change in changes_of(record)[:limit]:
        before, after = change.before or {}, change.after or {}
        names = [n for n in change.changed_fields if private or n not in PRIVATE_FIELDS]
        fields = [(labels.get(name, name), before.get(name), after.get(name)) for name in names]
        rows.append({"change": change, "fields": fields})
    return rows
