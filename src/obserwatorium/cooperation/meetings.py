"""The workspace of a meeting: its agenda (ordered items), numbered decisions (each optionally linked to the action
or action plan it creates or changes, with a follow-up), attendance by member gmina and partner institution, and
the record of the invitations sent.

Imported by `cooperation.models`, so Django sees the models in this app; the meeting and the strategy's records
are referred to by name to keep the import one-way (`strategy` stands above `cooperation`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obserwatorium.history.models import Audience, TrackedModel

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


class MeetingPart(TrackedModel):
    """A record that belongs to one meeting: its history is read by whoever may read the meeting's."""

    meeting = models.ForeignKey("cooperation.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        abstract = True

    def history_audience(self, user: Actor) -> Audience | None:
        return self.meeting.history_audience(user)


class AgendaItem(MeetingPart):
    meeting = models.ForeignKey("cooperation.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT,
                                related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.TextField(_("item"))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class FollowUp(models.TextChoices):
    OPEN = "open", _("to be done")
    IN_PROGRESS = "in-progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class DecisionEffect(models.TextChoices):
    CREATES = "creates", _("creates")
    CHANGES = "changes", _("changes")


class Decision(MeetingPart):
    """A decision of a meeting, numbered 1, 2, … within it in the order taken (a number is never reused)."""

    meeting = models.ForeignKey("cooperation.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT,
                                related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    text = models.TextField(_("decision"))
    effect = models.CharField(_("effect on the strategy"), max_length=16, choices=DecisionEffect.choices, blank=True,
                              help_text=_("Whether the decision creates or changes the linked action or plan."))
    action = models.ForeignKey("strategy.Action", verbose_name=_("action"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="decisions")
    action_plan = models.ForeignKey("strategy.ActionPlan", verbose_name=_("action plan"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="decisions")
    follow_up = models.CharField(_("follow-up"), max_length=16, choices=FollowUp.choices, default=FollowUp.OPEN)
    due_on = models.DateField(_("due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique"),
            models.CheckConstraint(condition=Q(action__isnull=True) | Q(action_plan__isnull=True),
                                   name="decision_links_one_record",
                                   violation_error_message=_("Link either an action or an action plan, not both.")),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    def save(self, *args, **kwargs) -> None:
        if self.number is None:  # the next number of the meeting (the admin's inline; services number first)
            self.number = next_decision_number(self.meeting_id)
        super().save(*args, **kwargs)

    @property
    def linked(self):
        return self.action or self.action_plan

    def clean(self) -> None:
        linked = self.action_id is not None or self.action_plan_id is not None
        if self.effect and not linked:
            raise ValidationError({"effect": _("Choose the action or action plan the decision creates or changes.")})
        if linked and not self.effect:
            raise ValidationError({"effect": _("Say whether the decision creates or changes the linked record.")})


def next_decision_number(meeting_id: int) -> int:
    """The number the meeting's next decision takes: one more than the highest ever given."""
    highest = Decision.objects.filter(meeting_id=meeting_id).aggregate(n=models.Max("number"))["n"]
    return (highest or 0) + 1


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    ABSENT = "absent", _("absent")
    EXCUSED = "excused", _("excused")


class Attendance(MeetingPart):
    """Whether a member gmina or a partner institution was at a meeting (no row: not recorded)."""

    meeting = models.ForeignKey("cooperation.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT,
                                related_name="attendance")
    unit = models.ForeignKey("territory.Unit", verbose_name=_("gmina"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="attendance", limit_choices_to={"level": "gmina"})
    partner = models.ForeignKey("cooperation.Partner", verbose_name=_("partner institution"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "unit__name", "partner__name"]
        constraints = [
            models.CheckConstraint(condition=Q(unit__isnull=False, partner__isnull=True)
                                   | Q(unit__isnull=True, partner__isnull=False),
                                   name="attendance_of_a_gmina_or_a_partner",
                                   violation_error_message=_("Attendance is of one gmina or one partner.")),
            models.UniqueConstraint(fields=["meeting", "unit"], condition=Q(unit__isnull=False),
                                    name="attendance_unit_unique"),
            models.UniqueConstraint(fields=["meeting", "partner"], condition=Q(partner__isnull=False),
                                    name="attendance_partner_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.partner}: {self.get_status_display()}"


class Invitation(MeetingPart):
    """One sending of a meeting's invitations: to whom, when, by whom, with what the invitation said."""

    meeting = models.ForeignKey("cooperation.Meeting", verbose_name=_("meeting"), on_delete=models.PROTECT,
                                related_name="invitations")
    sequence = models.PositiveIntegerField(_("revision of the invitation"), default=0,
                                           help_text=_("The iCalendar SEQUENCE: raised whenever the time or place "
                                                       "changed since the previous sending."))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    recipients = models.JSONField(_("recipients"), default=list,
                                  help_text=_("E-mail, name and why each recipient was invited."))
    schedule = models.JSONField(_("time and place"), default=dict)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.sent_at:%Y-%m-%d %H:%M} ({len(self.recipients)})"
