"""Keep every change of a tracked record: snapshots before and after, written as ChangeRecords.

Inside `recording(user=..., via=...)` the changes of one operation (a save and its many-to-many updates) are
gathered and written once, when the block ends. Outside of it every save is recorded on its own, so no
code path escapes the history.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from obserwatorium.history.models import ChangeAction, ChangeRecord, TrackedModel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

Key = tuple[type[models.Model], Any]
_UNSET = object()


@dataclass
class _Session:
    user_id: int | None
    via: str
    before: dict[Key, dict | None] = field(default_factory=dict)
    touched: dict[Key, str] = field(default_factory=dict)
    deleted: dict[Key, tuple[dict | None, str]] = field(default_factory=dict)
    # A record's name taken before its delete: a name that reads a related row (a preference named after its
    # account) cannot be read after a cascade has removed that row.
    labels: dict[Key, str] = field(default_factory=dict)

    def remember(self, model: type[models.Model], pk: Any) -> None:
        if pk is not None and (model, pk) not in self.before:
            self.before[(model, pk)] = snapshot(model, pk)

    def flush(self) -> None:
        now = timezone.now()
        records = []
        for (model, pk), label in self.touched.items():
            before = self.before.get((model, pk))
            after = snapshot(model, pk)
            if after is None or before == after:
                continue
            records.append(self._record(model, pk, label, _action(before, after), before, after, now))
        for (model, pk), (before, label) in self.deleted.items():
            records.append(self._record(model, pk, label, ChangeAction.DELETED, before, None, now))
        ChangeRecord.objects.bulk_create(records)
        self.before.clear()
        self.touched.clear()
        self.deleted.clear()
        self.labels.clear()

    def _record(self, model, pk, label, action, before, after, now) -> ChangeRecord:
        return ChangeRecord(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk), object_repr=label[:300],
            action=action, user_id=self.user_id, via=self.via, changed_at=now, before=before, after=after,
        )


_current: ContextVar[_Session | None] = ContextVar("history_session", default=None)


def _action(before: dict | None, after: dict) -> str:
    if before is None:
        return ChangeAction.CREATED
    if before.get("archived_at") is None and after.get("archived_at") is not None:
        return ChangeAction.ARCHIVED
    if before.get("archived_at") is not None and after.get("archived_at") is None:
        return ChangeAction.RESTORED
    return ChangeAction.CHANGED


@contextmanager
def recording(*, user: User | AnonymousUser | None = None, via: str = "") -> Iterator[None]:
    """Gather the changes made in this block and record them, with this user, when the block ends."""
    if _current.get() is not None:
        # An outer block already records (e.g. a service called from an admin view): it writes once.
        yield
        return
    user_id = user.pk if user is not None and getattr(user, "is_authenticated", False) else None
    session = _Session(user_id=user_id, via=via)
    token = _current.set(session)
    try:
        yield
    except BaseException:
        # What was written before the failure stays recorded unless the enclosing transaction rolls back (then
        # the records go with it); snapshots show what the database holds, so nothing unsaved is recorded.
        if not connection.needs_rollback:
            try:
                session.flush()
            except DatabaseError:
                pass
        raise
    else:
        session.flush()
    finally:
        _current.reset(token)


def _json(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a file field's value
        return value.name or ""
    return value


def _snapshot_fields(model: type[models.Model]) -> list[models.Field]:
    # Timestamps set by the database layer change on every save and say nothing about the record.
    return [f for f in model._meta.concrete_fields
            if not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)]


def snapshot(model: type[models.Model], pk: Any) -> dict | None:
    """The record as stored now (concrete fields by name, foreign keys as ids, many-to-many as sorted ids)."""
    fields = _snapshot_fields(model)
    row = model._base_manager.filter(pk=pk).values(*(f.attname for f in fields)).first()
    if row is None:
        return None
    data = {f.name: _json(row[f.attname]) for f in fields}
    for m2m in model._meta.many_to_many:
        through = m2m.remote_field.through
        if through is None:  # set on every many-to-many once the app registry is ready
            continue
        source = m2m.m2m_field_name()
        target = m2m.m2m_reverse_field_name()
        ids = through._default_manager.filter(**{f"{source}_id": pk}).values_list(f"{target}_id", flat=True)
        data[m2m.name] = sorted(ids)
    return data


def _session_for(holder: Any) -> tuple[_Session, bool]:
    """The active session, or one kept on the object until its post-signal writes it (outside recording())."""
    active = _current.get()
    if active is not None:
        return active, False
    session = holder.__dict__.get("_history_session")
    if session is None:
        session = _Session(user_id=None, via="")
        holder.__dict__["_history_session"] = session
    return session, True


def _finish(holder: Any, session: _Session, auto: bool) -> None:
    if auto:
        session.flush()
        holder.__dict__.pop("_history_session", None)


def _on_pre_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    session, _ = _session_for(instance)
    if instance.pk is not None and not instance._state.adding:
        session.remember(sender, instance.pk)


def _on_post_save(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    session, auto = _session_for(instance)
    key = (sender, instance.pk)
    if created:
        session.before.setdefault(key, None)
    session.touched[key] = str(instance)
    _finish(instance, session, auto)


def _on_pre_delete(sender, instance, **kwargs) -> None:
    session, _ = _session_for(instance)
    session.remember(sender, instance.pk)
    session.labels[(sender, instance.pk)] = str(instance)


def _on_post_delete(sender, instance, **kwargs) -> None:
    session, auto = _session_for(instance)
    key = (sender, instance.pk)
    session.touched.pop(key, None)
    label = session.labels.pop(key, None)
    session.deleted[key] = (session.before.get(key), str(instance) if label is None else label)
    _finish(instance, session, auto)


def _affected(instance, model, pk_set, reverse: bool) -> list[tuple[type[models.Model], Any, models.Model | None]]:
    if not reverse:
        return [(type(instance), instance.pk, instance)]
    if not issubclass(model, TrackedModel):
        return []
    if pk_set is None:
        # A reverse clear(): every record that pointed at this instance is affected.
        return [(model, obj.pk, obj) for obj in model._base_manager.filter(
            **{f"{_reverse_accessor(instance, model)}": instance})]
    return [(model, pk, None) for pk in pk_set]


def _reverse_accessor(instance, model) -> str:
    for m2m in model._meta.many_to_many:
        if isinstance(instance, m2m.related_model):
            return m2m.name
    return ""


def _on_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    affected = _affected(instance, model, pk_set, reverse)
    if not affected:
        return
    session, auto = _session_for(instance)
    if action.startswith("pre_"):
        for target_model, pk, _ in affected:
            session.remember(target_model, pk)
        return
    for target_model, pk, obj in affected:
        if obj is None:
            obj = target_model._base_manager.filter(pk=pk).first()
        session.touched[(target_model, pk)] = str(obj) if obj is not None else str(pk)
    _finish(instance, session, auto)


def track(model: type[models.Model]) -> None:
    """Record every change of this model's records."""
    uid = f"history:{model._meta.label}"
    pre_save.connect(_on_pre_save, sender=model, dispatch_uid=uid + ":pre_save")
    post_save.connect(_on_post_save, sender=model, dispatch_uid=uid + ":post_save")
    pre_delete.connect(_on_pre_delete, sender=model, dispatch_uid=uid + ":pre_delete")
    post_delete.connect(_on_post_delete, sender=model, dispatch_uid=uid + ":post_delete")
    for m2m in model._meta.many_to_many:
        m2m_changed.connect(_on_m2m_changed, sender=m2m.remote_field.through,
                            dispatch_uid=f"{uid}:{m2m.name}:m2m")


def track_all() -> None:
    """Track every installed model derived from TrackedModel."""
    for model in apps.get_models():
        if issubclass(model, TrackedModel):
            track(model)
