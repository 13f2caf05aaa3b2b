"""Data requests to the gminy: what the office asks for, each gmina's submission and its cells as typed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from obserwatorium.access.rules import is_office
from obserwatorium.history.models import Audience, TrackedModel
from obserwatorium.vocabulary import PERIOD

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("submission status", "draft")
    SUBMITTED = "submitted", _("submitted")
    REOPENED = "reopened", _("reopened")
    ACCEPTED = "accepted", _("accepted")


#: A submission the gmina may still change (a submitted or accepted one is the office's until reopened).
EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.REOPENED)


def _office_history(user: User | AnonymousUser) -> Audience | None:
    return "staff" if user.is_authenticated and is_office(user) else None


class DataRequest(TrackedModel):
    """The office asks member gminy for the values of some indicators in some years, by a deadline."""

    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True, help_text=_("What the office asks for and why; the gminy see it."))
    indicators = models.ManyToManyField("indicators.Indicator", verbose_name=_("indicators"), related_name="+")
    periods = models.JSONField(_("years"), default=list, help_text=_("The years asked for, e.g. [2023, 2024]."))
    gminy = models.ManyToManyField("territory.Unit", verbose_name=_("gminy"), related_name="+")
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=8, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("last reminder sent at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN

    @property
    def years(self) -> list[str]:
        return [str(year) for year in self.periods]

    def history_audience(self, user: User | AnonymousUser) -> Audience | None:
        return _office_history(user)


class Submission(TrackedModel):
    """One gmina's answer to a request: its status, who saved and submitted it, and the office's reopen comment."""

    request = models.ForeignKey(DataRequest, verbose_name=_("data request"), on_delete=models.CASCADE,
                                related_name="submissions")
    unit = models.ForeignKey("territory.Unit", verbose_name=_("gmina"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("last saved by"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(_("last saved at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_comment = models.TextField(_("the office's comment"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder sent at"), null=True, blank=True)
    batch = models.ForeignKey("indicators.ImportBatch", verbose_name=_("written as batch"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["request", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["request", "unit"], name="submission_one_per_gmina")]

    def __str__(self) -> str:
        return f"{self.request} — {self.unit.name}"

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    def history_audience(self, user: User | AnonymousUser) -> Audience | None:
        return _office_history(user)


class SubmissionValue(models.Model):
    """One cell of a submission as the editor typed it (kept as a draft until the submission is written)."""

    submission = models.ForeignKey(Submission, verbose_name=_("submission"), on_delete=models.CASCADE,
                                   related_name="values")
    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT,
                                  related_name="+")
    period = models.CharField(_("period"), max_length=PERIOD.max_length)
    text = models.CharField(_("value as typed"), max_length=60, blank=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    no_data = models.BooleanField(_("no data"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    confirmed = models.BooleanField(_("confirmed"), default=False)

    class Meta:
        verbose_name = _("submitted value")
        verbose_name_plural = _("submitted values")
        constraints = [models.UniqueConstraint(fields=["submission", "indicator", "period"],
                                               name="submission_value_one_per_cell")]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.period}: {self.text}"
