"""A published registry record is never deleted, however the deletion comes (a queryset, a cascade, the admin)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import pre_delete

from obserwatorium.registry.models import DeletionRefused, RegistryRecord


def _refuse_published(sender: type[RegistryRecord], instance: RegistryRecord, **kwargs: Any) -> None:
    if instance.published:
        raise DeletionRefused(f"{sender._meta.label} {instance.pk} is published: archive it instead of deleting")


def guard_all() -> None:
    """Refuse the deletion of published records of every installed registry record model."""
    for model in apps.get_models():
        if issubclass(model, RegistryRecord):
            pre_delete.connect(_refuse_published, sender=model, dispatch_uid=f"registry:{model._meta.label}:guard")
