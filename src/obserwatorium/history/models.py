"""Change history of registry records, and the base every registry record shares (kept, never lost)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DeletionRefused(PermissionDenied):
    """A published registry record may be archived, never deleted."""


class TrackedModel(models.Model):
    """A model whose every change is kept in the change history (see history.tracking)."""

    class Meta:
        abstract = True


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


class ChangeChannel(models.TextChoices):
    """Through what a change was made; empty for other code (a migration, a shell)."""

    ADMIN = "admin", _("administration panel")
    PAGE = "page", _("site page")
    API = "api", _("API")
    BULK = "bulk", _("bulk file")
    PRESET = "preset", _("preset configuration")


class ChangeAction(models.TextChoices):
    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    ARCHIVED = "archived", _("archived")
    RESTORED = "restored", _("restored")
    DELETED = "deleted", _("deleted")


class ChangeRecord(models.Model):
    """One change of one record: who, when, through what, and the record before and after (JSON)."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("record type"), on_delete=models.PROTECT,
                                     related_name="+")
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    action = models.CharField(pgettext_lazy("change record", "action"), max_length=16, choices=ChangeAction.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    via = models.CharField(_("through"), max_length=16, blank=True, choices=ChangeChannel.choices,
                           help_text=_("Where the change was made; empty for other code."))
    changed_at = models.DateTimeField(_("changed at"), db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("change record")
        verbose_name_plural = _("change history")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "changed_at"], name="change_record_key_idx")]

    def __str__(self) -> str:
        return f"{self.object_repr}: {self.get_action_display()} ({self.changed_at:%Y-%m-%d %H:%M})"

    @property
    def changed_fields(self) -> list[str]:
        """Names of the fields whose value differs between before and after."""
        before, after = self.before or {}, self.after or {}
        return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
