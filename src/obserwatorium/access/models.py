"""Roles: who is an office administrator, and who coordinates a domain, edits for a gmina or records a forum."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obserwatorium.history.models import Audience, TrackedModel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class Role(models.TextChoices):
    OFFICE_ADMIN = "office-admin", _("office administrator")
    DOMAIN_COORDINATOR = "domain-coordinator", _("domain coordinator")
    MUNICIPAL_EDITOR = "municipal-editor", _("municipal editor")
    FORUM_SECRETARY = "forum-secretary", _("forum secretary")


class RoleAssignment(TrackedModel):
    """One role of one user, with its scope: a domain, a gmina or a forum (none for the office)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="role_assignments")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    domain = models.ForeignKey("indicators.Domain", verbose_name=_("domain"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("For a domain coordinator: the domain they coordinate."))
    unit = models.ForeignKey("territory.Unit", verbose_name=_("gmina"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             limit_choices_to={"level": "gmina"},
                             help_text=_("For a municipal editor: the gmina they edit for."))
    forum = models.ForeignKey("cooperation.Forum", verbose_name=_("forum"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+",
                              help_text=_("For a forum secretary: the forum whose meetings they record."))
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__username", "role"]
        constraints = [
            models.CheckConstraint(
                name="role_assignment_scope_matches_role",
                violation_error_message=_("An office administrator has no scope; a domain coordinator needs a "
                                          "domain, a municipal editor a gmina and a forum secretary a forum."),
                condition=(
                    Q(role=Role.OFFICE_ADMIN, domain__isnull=True, unit__isnull=True, forum__isnull=True)
                    | Q(role=Role.DOMAIN_COORDINATOR, domain__isnull=False, unit__isnull=True, forum__isnull=True)
                    | Q(role=Role.MUNICIPAL_EDITOR, domain__isnull=True, unit__isnull=False, forum__isnull=True)
                    | Q(role=Role.FORUM_SECRETARY, domain__isnull=True, unit__isnull=True, forum__isnull=False)
                ),
            ),
        ]

    def history_audience(self, user: User | AnonymousUser) -> Audience | None:
        """Who holds which role is the office's to read: its history page is for office administrators only."""
        if not (user.is_authenticated and user.is_active):
            return None
        office = user.is_superuser or RoleAssignment.objects.filter(user_id=user.pk, role=Role.OFFICE_ADMIN).exists()
        return "staff" if office else None

    def __str__(self) -> str:
        scope = self.domain or self.unit or self.forum
        return f"{self.user}: {self.get_role_display()}" + (f" ({scope})" if scope else "")
