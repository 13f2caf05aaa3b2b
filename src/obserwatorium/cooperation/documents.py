"""The registry of the cooperation's documents (strategies, action plans, positions, declarations, agreement texts,
publications, reports, surveys) and of the association's own events (its yearly forum, trainings).

Imported by `cooperation.models`, so Django sees the models in this app; the other models are referred to by
name to keep the import one-way.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from obserwatorium.cooperation.dates import DatePrecision, first_day, precision_field
from obserwatorium.history.models import Audience, TrackedModel
from obserwatorium.indicators.models import BilingualMixin
from obserwatorium.registry.models import RegistryRecord

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


class DocumentKind(models.TextChoices):
    STRATEGY = "strategy", _("strategy")
    ACTION_PLAN = "action-plan", _("action plan")
    POSITION = "position", _("position or resolution")
    DECLARATION = "declaration", _("declaration")
    AGREEMENT = "agreement", _("agreement text")
    PUBLICATION = "publication", _("publication")
    REPORT = "report", _("report or study")
    SURVEY = "survey", _("survey or research")
    RECOGNITION = "recognition", _("status or recognition")


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ADOPTED = "adopted", _("adopted")
    EXPIRED = "expired", _("expired")


class Document(BilingualMixin, RegistryRecord):
    """A document of the cooperation, with what the source states of it: its status, when it was adopted or
    issued, the gminy that adopted or signed it, and the forums, projects and action plans it belongs to."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    title_pl = models.CharField(_("title (Polish)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    summary_pl = models.TextField(_("summary (Polish)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices, blank=True,
                              help_text=_("Empty when the source does not state it."))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True,
                                            help_text=_("The year the source places the document in."))
    adopted_on = models.DateField(_("adopted or issued on"), null=True, blank=True)
    adopted_precision = precision_field(_("precision of the adoption date"))
    end_year = models.PositiveSmallIntegerField(_("runs to (year)"), null=True, blank=True,
                                                help_text=_("The last year the document covers, if it says."))
    domain = models.ForeignKey("indicators.Domain", verbose_name=_("domain"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="documents",
                               limit_choices_to={"strategic": True})
    units = models.ManyToManyField("territory.Unit", verbose_name=_("gminy that adopted or signed it"), blank=True,
                                   related_name="documents", limit_choices_to={"level": "gmina"})
    forums = models.ManyToManyField("cooperation.Forum", verbose_name=_("forums"), blank=True,
                                    related_name="documents")
    projects = models.ManyToManyField("cooperation.Project", verbose_name=_("projects"), blank=True,
                                      related_name="documents")
    action_plans = models.ManyToManyField("strategy.ActionPlan", verbose_name=_("action plans"), blank=True,
                                          related_name="documents")
    url = models.URLField(_("address"), max_length=500, blank=True,
                          help_text=_("Where the document is published, if not (only) as a file here."))
    source = models.ForeignKey("cooperation.Source", verbose_name=_("source"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="documents")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = [models.F("year").desc(nulls_last=True), "kind", "title_pl"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(year__isnull=True) | Q(end_year__gte=models.F("year")),
                name="document_years_ordered",
                violation_error_message=_("The last year a document covers cannot precede its year."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def summary(self) -> str:
        return self.localized("summary")

    def clean(self) -> None:
        if self.adopted_on is not None:
            self.adopted_on = first_day(self.adopted_on, self.adopted_precision or DatePrecision.DAY)


class DocumentVersion(TrackedModel):
    """One version of a document's file, numbered 1, 2, … in the order uploaded; a new version never replaces or
    deletes an older one (the latest is the current file)."""

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT,
                                 related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"), editable=False)
    file = models.FileField(_("file"), upload_to="documents/%Y/")
    note = models.TextField(_("note on the version"), blank=True,
                            help_text=_("What changed, e.g. \"adopted text\" or \"corrected annex 2\"."))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", editable=False)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} — {self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.number is None:  # the admin's inline; the service numbers first, under a lock
            self.number = next_version_number(self.document_id)
        super().save(*args, **kwargs)

    def history_audience(self, user: Actor) -> Audience | None:
        return self.document.history_audience(user)

    @property
    def file_name(self) -> str:
        """The name the file was uploaded with (its folder is random)."""
        return posixpath.basename(self.file.name)


def next_version_number(document_id: int) -> int:
    """The number the document's next version takes: one more than the highest ever given."""
    highest = DocumentVersion.objects.filter(document_id=document_id).aggregate(n=models.Max("number"))["n"]
    return (highest or 0) + 1


class AssociationEventKind(models.TextChoices):
    CONFERENCE = "conference", _("conference")
    TRAINING = "training", _("training")
    OTHER = "other", _("other")


class AssociationEvent(BilingualMixin, RegistryRecord):
    """An event of the association itself (its yearly forum, a training series), as far as a source states it;
    the culture events of the gminy are in the events calendar."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AssociationEventKind.choices,
                            default=AssociationEventKind.OTHER)
    name_pl = models.CharField(_("name (Polish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    held_precision = precision_field(_("precision of the date"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    domain = models.ForeignKey("indicators.Domain", verbose_name=_("domain"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="association_events",
                               limit_choices_to={"strategic": True})
    partners = models.ManyToManyField("cooperation.Partner", verbose_name=_("partners"), blank=True,
                                      related_name="association_events")
    source = models.ForeignKey("cooperation.Source", verbose_name=_("source"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="association_events")

    class Meta:
        verbose_name = _("association event")
        verbose_name_plural = _("association events")
        ordering = ["-year", "name_pl"]

    def __str__(self) -> str:
        return self.localized("name")

    def clean(self) -> None:
        if self.held_on is not None:
            self.held_on = first_day(self.held_on, self.held_precision or DatePrecision.DAY)
