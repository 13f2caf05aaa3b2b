"""Cooperation registries: sources, forums and meetings, partners and agreements, projects and their results,
activity known only in aggregate, and (in `documents`) documents and the association's own events."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obserwatorium.cooperation.dates import DatePrecision, first_day, precision_field
from obserwatorium.history.models import TrackedModel
from obserwatorium.indicators.models import BilingualMixin
from obserwatorium.registry.models import RegistryRecord


class Source(RegistryRecord):
    """A document that states facts shown by the registries (e.g. the association's yearly summary)."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]

    def __str__(self) -> str:
        return self.title


class ForumKind(models.TextChoices):
    FORUM = "forum", _("thematic forum")
    TASK_FORCE = "task-force", _("task force")


class Forum(BilingualMixin, RegistryRecord):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ForumKind.choices, default=ForumKind.FORUM)
    name_pl = models.CharField(_("name (Polish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    domain = models.ForeignKey("indicators.Domain", verbose_name=_("domain"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="forums",
                               limit_choices_to={"strategic": True})
    coordinator = models.CharField(_("coordinator"), max_length=200, blank=True)
    member_units = models.ManyToManyField("territory.Unit", verbose_name=_("member gminy"), blank=True,
                                          related_name="forums", limit_choices_to={"level": "gmina"})
    member_institutions = models.ManyToManyField("cooperation.Partner", verbose_name=_("member institutions"),
                                                 blank=True, related_name="forums")
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    source = models.ForeignKey(Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="forums")

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["kind", "name_pl"]
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="forum_active_dates_ordered",
                violation_error_message=_("The end of activity cannot precede its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.localized("name")




class Meeting(RegistryRecord):
    forum = models.ForeignKey(Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(_("online meeting address"), max_length=500, blank=True)
    # The agenda, the decisions and the attendance are records of their own (cooperation.meetings).
    minutes = models.TextField(_("minutes"), blank=True)
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    source = models.ForeignKey(Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="meetings")

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_times_ordered",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.forum} — {self.starts_at:%Y-%m-%d}"

    @property
    def present_gminy(self) -> list:
        """The gminy marked present (from the prefetched attendance when there is one)."""
        return [mark.unit for mark in self.attendance.all() if mark.unit_id and mark.status == "present"]


class MeetingAttachment(TrackedModel):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT,
                                related_name="attachments")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="meetings/%Y/", blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    internal = models.BooleanField(_("for the forum only"), default=False,
                                   help_text=_("Shown only to those who may write the meeting, never to the public."))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["meeting", "title"]

    def __str__(self) -> str:
        return self.title


class PartnerKind(models.TextChoices):
    GMINA = "gmina", _("gmina of the functional area")
    INSTITUTION = "institution", _("public institution")
    COMPANY = "company", _("company")
    UNIVERSITY = "university", _("university")
    NGO = "ngo", _("non-governmental organisation")
    OTHER = "other", _("other")


class Partner(RegistryRecord):
    name = models.CharField(_("name"), max_length=300, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices, blank=True)
    unit = models.ForeignKey("territory.Unit", verbose_name=_("gmina"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="partners",
                             help_text=_("For a gmina of the functional area: its territorial unit."))
    website = models.URLField(_("website"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    partner_since = models.DateField(
        _("partner since"), null=True, blank=True,
        help_text=_("When the partnership began; when empty, the earliest agreement's date counts."),
    )
    source = models.ForeignKey(Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="partners")

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgreementKind(models.TextChoices):
    POROZUMIENIE = "porozumienie", _("agreement (porozumienie)")
    DEKLARACJA = "deklaracja", _("declaration (deklaracja)")
    UMOWA = "umowa", _("contract (umowa)")
    LIST_INTENCYJNY = "list-intencyjny", _("letter of intent (list intencyjny)")


class Agreement(RegistryRecord):
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    parties = models.ManyToManyField(Partner, verbose_name=_("parties"), related_name="agreements")
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    scope = models.TextField(_("scope"), blank=True)
    domain = models.ForeignKey("indicators.Domain", verbose_name=_("domain"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="agreements",
                               limit_choices_to={"strategic": True})
    document = models.FileField(_("document"), upload_to="agreements/%Y/", blank=True)
    document_url = models.URLField(_("document address"), max_length=500, blank=True)
    source = models.ForeignKey(Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="agreements")

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "title"]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display() or _('agreement')} #{self.pk}"


class Programme(models.TextChoices):
    ZIT = "zit", _("ZIT (Integrated Territorial Investments)")
    INTERREG_EUROPE = "interreg-europe", _("Interreg Europe")
    URBACT = "urbact", _("URBACT")
    HORIZON = "horizon", _("Horizon")
    LIFE = "life", _("LIFE")
    NATIONAL = "national", _("national programme")
    OWN = "own", _("own funds")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class Project(BilingualMixin, RegistryRecord):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("The project's name or acronym."))
    title_pl = models.CharField(_("full title (Polish)"), max_length=500, blank=True)
    title_en = models.CharField(_("full title (English)"), max_length=500, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    programme = models.CharField(_("programme"), max_length=24, choices=Programme.choices, blank=True)
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, null=True, blank=True)
    eu_cofinancing = models.DecimalField(_("EU co-financing"), max_digits=14, decimal_places=2, null=True,
                                         blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="PLN")
    start_date = models.DateField(_("start"), null=True, blank=True)
    start_precision = precision_field(_("precision of the start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    end_precision = precision_field(_("precision of the end"))
    status = models.CharField(_("status"), max_length=16, choices=ProjectStatus.choices, blank=True)
    lead = models.ForeignKey(Partner, verbose_name=_("lead partner"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="led_projects")
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), blank=True, related_name="projects")
    units = models.ManyToManyField("territory.Unit", verbose_name=_("gminy covered"), blank=True,
                                   related_name="projects", limit_choices_to={"level": "gmina"})
    domain = models.ForeignKey("indicators.Domain", verbose_name=_("domain"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="projects",
                               limit_choices_to={"strategic": True})
    website = models.URLField(_("website"), max_length=300, blank=True)
    source = models.ForeignKey(Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="projects")

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_dates_ordered",
                violation_error_message=_("A project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(eu_cofinancing__isnull=True) | Q(budget__isnull=True)
                | Q(eu_cofinancing__lte=models.F("budget")),
                name="project_cofinancing_within_budget",
                violation_error_message=_("EU co-financing cannot exceed the budget."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> str:
        return self.localized("title")

    def clean(self) -> None:
        if self.start_date is not None:
            self.start_date = first_day(self.start_date, self.start_precision or DatePrecision.DAY)
        if self.end_date is not None:
            self.end_date = first_day(self.end_date, self.end_precision or DatePrecision.DAY)


class ProjectResult(BilingualMixin, RegistryRecord):
    """A named metric of a project's results, optionally feeding an indicator of the catalogue."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="results")
    name_pl = models.CharField(_("name (Polish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=60, blank=True)
    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("feeds indicator"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="project_results",
                                  help_text=_("Values given per gmina are written to this indicator."))

    class Meta:
        verbose_name = _("project result")
        verbose_name_plural = _("project results")
        ordering = ["project", "name_pl"]

    def __str__(self) -> str:
        return f"{self.project}: {self.localized('name')}"



class ResultValue(TrackedModel):
    result = models.ForeignKey(ProjectResult, verbose_name=_("result"), on_delete=models.PROTECT,
                               related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey("territory.Unit", verbose_name=_("territorial unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             help_text=_("A gmina or the metropolis; empty for the project as a whole."))
    value = models.FloatField(_("value"))
    approximate = models.BooleanField(_("approximate"), default=False,
                                      help_text=_("The source gives the value as 'about'."))
    source = models.ForeignKey(Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="result_values")

    class Meta:
        verbose_name = _("result value")
        verbose_name_plural = _("result values")
        ordering = ["result", "year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["result", "year", "unit"], name="result_value_key_unique"),
            models.UniqueConstraint(fields=["result", "year"], condition=Q(unit__isnull=True),
                                    name="result_value_total_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.result} {self.year}: {self.value}"


class AggregateSubject(models.TextChoices):
    FORUMS_ACTIVE = "forums-active", _("forums active")
    FORUM_MEETINGS = "forum-meetings", _("forum meetings")
    NEW_PARTNERS = "new-partners", _("new partners")
    OTHER = "other", _("other activity")


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    MORE_THAN = "more-than", _("more than")
    AT_LEAST = "at-least", _("at least")
    ABOUT = "about", _("about")
    FEWER_THAN = "fewer-than", _("fewer than")


class AggregateFigure(BilingualMixin, RegistryRecord):
    """Activity known only as a total from a source (e.g. 'the forums met more than 80 times in 2022').

    It is shown as the statement it is, never as if the items behind it were recorded.
    """

    subject = models.CharField(_("subject"), max_length=24, choices=AggregateSubject.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    qualifier = models.CharField(_("qualifier"), max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT)
    value = models.FloatField(_("value"))
    statement_pl = models.CharField(_("statement (Polish)"), max_length=500)
    statement_en = models.CharField(_("statement (English)"), max_length=500, blank=True)
    domain = models.ForeignKey("indicators.Domain", verbose_name=_("domain"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="aggregate_figures")
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT,
                               related_name="aggregate_figures")

    class Meta:
        verbose_name = _("aggregate figure")
        verbose_name_plural = _("aggregate figures")
        ordering = ["-year", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "year", "source"], name="aggregate_figure_unique"),
        ]

    def __str__(self) -> str:
        return self.localized("statement")

    @property
    def statement(self) -> str:
        return self.localized("statement")


# Defined apart to keep this module short; imported here so that Django finds them in the app's models.
from obserwatorium.cooperation.documents import (  # noqa: E402
    AssociationEvent,
    AssociationEventKind,
    Document,
    DocumentKind,
    DocumentStatus,
    DocumentVersion,
)
from obserwatorium.cooperation.meetings import (  # noqa: E402
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionEffect,
    FollowUp,
    Invitation,
)

__all__ = [
    "AgendaItem", "Attendance", "AttendanceStatus", "Decision", "DecisionEffect", "FollowUp", "Invitation",
    "AggregateFigure", "AggregateSubject", "Agreement", "AgreementKind", "AssociationEvent", "AssociationEventKind",
    "Document", "DocumentKind", "DocumentStatus", "DocumentVersion",
    "Forum", "ForumKind", "Meeting", "MeetingAttachment", "Partner",
    "PartnerKind", "Programme", "Project", "ProjectResult", "ProjectStatus", "Qualifier", "ResultValue", "Source",
]
