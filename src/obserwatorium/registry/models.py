"""The base every registry record shares: published or a draft, archived instead of deleted (kept, never lost)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from obserwatorium.access import rules
from obserwatorium.history.models import Audience, TrackedModel

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


class DeletionRefused(PermissionDenied):
    """A published registry record may be archived, never deleted."""


class RegistryQuerySet(models.QuerySet):
    def public(self) -> RegistryQuerySet:
        """What the public may read: published and not archived."""
        return self.filter(published=True, archived_at__isnull=True)

    def current(self) -> RegistryQuerySet:
        return self.filter(archived_at__isnull=True)


class RegistryRecord(TrackedModel):
    """A record of a cooperation registry: published or a draft, archived instead of deleted."""

    published = models.BooleanField(
        _("published"), default=True,
        help_text=_("Published records are shown to the public and can only be archived, never deleted."),
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def delete(self, *args, **kwargs):
        if self.published:
            raise DeletionRefused(_("A published record cannot be deleted; archive it instead."))
        return super().delete(*args, **kwargs)

    def history_audience(self, user: Actor) -> Audience | None:
        """Staff and role holders read the history of every record; the public that of the published ones."""
        if user.is_authenticated and (user.is_staff or rules.scope_of(user).any):
            return "staff"
        return "public" if self.published and self.archived_at is None else None
