"""The strategy tree: strategy → domains → goals (strategic, operational) → action plans → actions; targets."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obserwatorium.cooperation.dates import DatePrecision, first_day, precision_field
from obserwatorium.indicators.models import BilingualMixin
from obserwatorium.registry.models import RegistryRecord


class Named(BilingualMixin, RegistryRecord):
    name_pl = models.CharField(_("name (Polish)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.localized("name")




class Strategy(Named):
    code = models.SlugField(_("code"), max_length=80, unique=True)
    start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    domains = models.ManyToManyField("indicators.Domain", verbose_name=_("domains"), blank=True,
                                     related_name="strategies", limit_choices_to={"strategic": True})
    source = models.ForeignKey("cooperation.Source", verbose_name=_("source"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="strategies")

    class Meta:
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        ordering = ["code"]


class GoalLevel(models.TextChoices):
    STRATEGIC = "strategic", _("strategic goal")
    OPERATIONAL = "operational", _("operational goal")


class Goal(Named):
    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.PROTECT,
                                 related_name="goals")
    domain = models.ForeignKey("indicators.Domain", verbose_name=_("domain"), on_delete=models.PROTECT,
                               related_name="goals", limit_choices_to={"strategic": True})
    level = models.CharField(_("level"), max_length=16, choices=GoalLevel.choices)
    parent = models.ForeignKey("self", verbose_name=_("strategic goal"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children",
                               limit_choices_to={"level": GoalLevel.STRATEGIC})
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    weight = models.FloatField(_("weight"), null=True, blank=True, validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["strategy", "domain__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="goal_code_unique"),
            models.CheckConstraint(
                condition=Q(level=GoalLevel.STRATEGIC, parent__isnull=True)
                | Q(level=GoalLevel.OPERATIONAL, parent__isnull=False),
                name="goal_operational_has_parent",
                violation_error_message=_("An operational goal belongs to a strategic goal; a strategic one "
                                          "to none."),
            ),
        ]

    def clean(self) -> None:
        if self.parent_id and self.parent and (self.parent.domain_id != self.domain_id
                                               or self.parent.strategy_id != self.strategy_id):
            raise ValidationError({"parent": _("The strategic goal must be in the same strategy and domain.")})


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ADOPTED = "adopted", _("adopted")
    COMPLETED = "completed", _("completed")
    SUPERSEDED = "superseded", _("superseded")


class ActionPlan(Named):
    strategy = models.ForeignKey(Strategy, verbose_name=_("strategy"), on_delete=models.PROTECT,
                                 related_name="plans")
    domain = models.ForeignKey("indicators.Domain", verbose_name=_("domain"), on_delete=models.PROTECT,
                               related_name="action_plans", limit_choices_to={"strategic": True})
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_precision = precision_field(_("precision of the adoption date"))
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    start_year = models.PositiveSmallIntegerField(_("first year"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("last year"), null=True, blank=True)
    weight = models.FloatField(_("weight"), null=True, blank=True, validators=[MinValueValidator(0)])
    source = models.ForeignKey("cooperation.Source", verbose_name=_("source"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="action_plans")

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["domain__order", "start_year", "name_pl"]

    def clean(self) -> None:
        if self.adopted_on is not None:
            self.adopted_on = first_day(self.adopted_on, self.adopted_precision or DatePrecision.DAY)


class Target(RegistryRecord):
    """Where an indicator should be: for a gmina or the metropolis, from a baseline to a target year."""

    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT,
                                  related_name="targets")
    unit = models.ForeignKey("territory.Unit", verbose_name=_("territorial unit"), on_delete=models.PROTECT,
                             related_name="targets", limit_choices_to={"level__in": ["gmina", "metropolis"]})
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="targets")
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    baseline_value = models.FloatField(_("baseline value"), null=True, blank=True,
                                       help_text=_("Empty: the observed value in the baseline year."))
    target_year = models.PositiveSmallIntegerField(_("target year"))
    target_value = models.FloatField(_("target value"))
    illustrative = models.BooleanField(
        _("illustrative"), default=False,
        help_text=_("A demonstration target, not one adopted by the association."))
    source = models.ForeignKey("cooperation.Source", verbose_name=_("source"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="targets")

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator__code", "unit__name", "target_year"]
        constraints = [
            models.CheckConstraint(condition=Q(target_year__gt=models.F("baseline_year")),
                                   name="target_after_baseline",
                                   violation_error_message=_("The target year must come after the baseline year.")),
            models.UniqueConstraint(fields=["indicator", "unit", "target_year"], name="target_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.unit.name if self.unit_id else ''} · {self.target_year}: {self.target_value}"

    @property
    def for_metropolis(self) -> bool:
        """Whether the target is for the metropolis as a whole rather than one gmina."""
        return self.unit.level == "metropolis"

    def clean(self) -> None:
        if self.unit_id and self.unit.level not in ("gmina", "metropolis"):
            raise ValidationError({"unit": _("A target is set for a gmina or for the metropolis.")})


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in-progress", _("in progress")
    DELAYED = "delayed", _("delayed")
    COMPLETED = "completed", _("completed")
    SUSPENDED = "suspended", _("suspended")
    CANCELLED = "cancelled", _("cancelled")


class Action(Named):
    plan = models.ForeignKey(ActionPlan, verbose_name=_("action plan"), on_delete=models.PROTECT,
                             related_name="actions")
    goal = models.ForeignKey(Goal, verbose_name=_("operational goal"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="actions")
    code = models.CharField(_("code"), max_length=40, unique=True,
                            help_text=_("Identifies the action in bulk progress updates."))
    responsible_body = models.CharField(_("responsible body"), max_length=300, blank=True)
    responsible_unit = models.ForeignKey(
        "territory.Unit", verbose_name=_("responsible gmina"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="responsible_actions", limit_choices_to={"level": "gmina"},
        help_text=_("When a gmina is responsible: its municipal editors may update the action."),
    )
    partners = models.ManyToManyField("cooperation.Partner", verbose_name=_("partners"), blank=True,
                                      related_name="actions")
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices,
                              default=ActionStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True,
                                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    weight = models.FloatField(_("weight"), null=True, blank=True, validators=[MinValueValidator(0)])
    indicators = models.ManyToManyField("indicators.Indicator", verbose_name=_("indicators"), blank=True,
                                        related_name="actions")
    targets = models.ManyToManyField(Target, verbose_name=_("targets"), blank=True, related_name="actions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["plan", "order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__isnull=True) | Q(progress__lte=100),
                                   name="action_progress_percent"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="action_dates_ordered",
                violation_error_message=_("An action cannot end before it starts."),
            ),
        ]

    def clean(self) -> None:
        if self.status == ActionStatus.COMPLETED and self.progress is not None and self.progress != 100:
            raise ValidationError({"progress": _("A completed action has progress 100%.")})
        if self.goal is not None and self.plan_id and self.goal.domain_id != self.plan.domain_id:
            raise ValidationError({"goal": _("The goal must be in the action plan's domain.")})
