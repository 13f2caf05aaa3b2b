"""The change history: one ChangeRecord per change of a tracked record (who, when, through what, before/after)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Who reads a record's history page: "staff" see who made each change and the contact persons, "public" not.
Audience = Literal["staff", "public"]


class TrackedModel(models.Model):
    """A model whose every change is kept in the change history (see history.tracking)."""

    class Meta:
        abstract = True

    def history_audience(self, user: User | AnonymousUser) -> Audience | None:
        """As whom the user reads this record's history page, None when they may not (here: admin staff only)."""
        return "staff" if user.is_authenticated and user.is_staff else None


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
