"""Reads of the change history."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from obserwatorium.history.models import ChangeRecord

# Personal data of contact persons, and who moderated an event and why it was once rejected: kept in the
# history, shown to staff only.
PRIVATE_FIELDS = frozenset({"contact_name", "contact_email", "contact_phone", "submitted_by", "decided_by",
                            "submitter_language", "rejection_reason"})


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


class _Names:
    """Names of related records shown instead of their ids (looked up once each), and the labels of choice
    values instead of the stored codes."""

    def __init__(self, model: type[models.Model]):
        self.fields = {f.name: f for f in model._meta.get_fields() if f.is_relation and f.concrete}
        self.choices = {f.name: dict(f.flatchoices) for f in model._meta.concrete_fields if f.choices}
        self.cache: dict[tuple, str] = {}

    def show(self, name: str, value):
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        if name in self.choices and value is not None:
            return str(self.choices[name].get(value, value))
        field = self.fields.get(name)
        related = field.related_model if field is not None else None
        # A model class once the app registry is ready (never the lazy "self" or "app.Model" string).
        if not (isinstance(related, type) and issubclass(related, models.Model)) or value in (None, []):
            return value
        ids = value if isinstance(value, list) else [value]
        missing = [i for i in ids if (related, i) not in self.cache]
        if missing:
            for obj in related._base_manager.filter(pk__in=missing):
                self.cache[(related, obj.pk)] = str(obj)
        names = [self.cache.get((related, i), f"#{i}") for i in ids]
        return ", ".join(names) if isinstance(value, list) else names[0]


def change_rows(record: models.Model, *, limit: int = 200, private: bool = True) -> list[dict]:
    """The record's changes as rows of (when, who, action, [(field label, before, after)]), related records by
    name; private=False leaves out the personal data of contact persons."""
    labels = field_labels(type(record))
    names = _Names(type(record))
    rows = []
    for change in changes_of(record)[:limit]:
        before, after = change.before or {}, change.after or {}
        shown = [n for n in change.changed_fields if private or n not in PRIVATE_FIELDS]
        fields = [(labels.get(n, n), names.show(n, before.get(n)), names.show(n, after.get(n))) for n in shown]
        rows.append({"change": change, "fields": fields})
    return rows
