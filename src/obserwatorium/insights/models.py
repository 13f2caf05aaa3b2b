"""Definitions behind the analytics: derived indicators, composite indices, peer groups and targets."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from obserwatorium.analytics.composite import MISSING_RULES
from obserwatorium.analytics.derived import FORMULA_KINDS
from obserwatorium.analytics.normalise import METHODS
from obserwatorium.indicators.models import BilingualMixin
from obserwatorium.vocabulary import INDEX_CODE, PEER_GROUP_CODE

# Names of the pure core's methods, rules and formulas (analytics/ has no Django and no translations).
NORMALISATION_NAMES = {"min-max": _("min–max (0–100)"), "z-score": _("standard score (z)"),
                       "none": _("no normalisation (indices already on 0–100)")}
MISSING_RULE_NAMES = {"exclude": _("no value unless every component is present"),
                      "reweight": _("rescale the weights of the components present"),
                      "mean": _("impute the middle of the reference")}
FORMULA_NAMES = {"per_1000": _("per 1,000 residents"), "per_km2": _("per km²"), "share": _("share (%)"),
                 "ratio": _("ratio"), "growth": _("year-on-year growth (%)"),
                 "cagr": _("compound annual growth rate (%)")}


def _named(codes: tuple[str, ...], names: dict) -> list[tuple[str, object]]:
    return [(code, names.get(code, code)) for code in codes]


class DerivedIndicator(models.Model):
    """A catalogue indicator whose values are computed from other indicators by a formula."""

    indicator = models.OneToOneField("indicators.Indicator", verbose_name=_("indicator"), on_delete=models.CASCADE,
                                     related_name="derivation")
    formula = models.CharField(_("formula"), max_length=16, choices=_named(FORMULA_KINDS, FORMULA_NAMES))
    inputs = models.JSONField(_("input indicators"), default=list,
                              help_text=_("Codes of the input indicators: numerator and denominator, or the base."))
    scale = models.FloatField(_("scale"), default=1.0)
    years = models.PositiveSmallIntegerField(_("span in years"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("derived indicator")
        verbose_name_plural = _("derived indicators")
        ordering = ["indicator__code"]

    def __str__(self) -> str:
        return f"{self.indicator.code} = {self.get_formula_display()}({', '.join(self.inputs)})"


class CompositeIndex(BilingualMixin, models.Model):
    """A composite index: normalised, weighted components of one domain, or of other indices (overall)."""

    code = models.SlugField(_("code"), max_length=INDEX_CODE.max_length, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    domain = models.ForeignKey("indicators.Domain", verbose_name=_("domain"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="indices")
    name_pl = models.CharField(_("name (Polish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    normalisation = models.CharField(_("normalisation"), max_length=10, choices=_named(METHODS, NORMALISATION_NAMES),
                                     default="min-max")
    missing_rule = models.CharField(_("missing-data rule"), max_length=10, default="reweight",
                                    choices=_named(MISSING_RULES, MISSING_RULE_NAMES))
    min_weight_share = models.FloatField(_("minimum share of weight present"), default=0.5)
    reference_scope = models.CharField(_("reference units"), max_length=10, default="members",
                                       choices=[("members", _("association members")), ("gminy", _("all gminy"))])
    reference_from = models.PositiveSmallIntegerField(_("reference period from"))
    reference_to = models.PositiveSmallIntegerField(_("reference period to"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("composite index")
        verbose_name_plural = _("composite indices")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(reference_to__gte=models.F("reference_from")),
                                   name="index_reference_period_ordered"),
            models.CheckConstraint(condition=Q(min_weight_share__gte=0) & Q(min_weight_share__lte=1),
                                   name="index_min_weight_share_range"),
        ]

    def __str__(self) -> str:
        return self.localized("name")




class CompositeComponent(models.Model):
    """One weighted input of an index: an indicator or another index."""

    index = models.ForeignKey(CompositeIndex, verbose_name=_("composite index"), on_delete=models.CASCADE,
                              related_name="components")
    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("indicator"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    sub_index = models.ForeignKey(CompositeIndex, verbose_name=_("index"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    weight = models.FloatField(_("weight"))
    direction = models.CharField(_("direction of better"), max_length=8, blank=True,
                                 choices=[("higher", _("higher is better")), ("lower", _("lower is better"))],
                                 help_text=_("Empty: the indicator's polarity."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("index component")
        verbose_name_plural = _("index components")
        ordering = ["index", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(indicator__isnull=True) ^ Q(sub_index__isnull=True),
                                   name="component_one_input"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="component_weight_positive"),
        ]

    def __str__(self) -> str:
        # The input's name, not its key: the admin shows a component to people (the key is for the computation).
        return f"{self.indicator if self.indicator_id else self.sub_index} × {formats.number_format(self.weight)}"

    def clean(self) -> None:
        # An index compares gminy: a count (people, złoty, km) would score them by size, not by performance.
        if self.indicator is not None and not self.indicator.comparable:
            raise ValidationError({"indicator": _("A count is not comparable between gminy of different size: "
                                                  "choose its rate or per-capita indicator.")})

    @property
    def key(self) -> str:
        if self.indicator is not None:
            return self.indicator.code
        if self.sub_index is not None:
            return f"index:{self.sub_index.code}"
        raise ValueError("an index component names an indicator or a sub-index")


class PeerGroup(BilingualMixin, models.Model):
    """A user-defined group of units to compare with each other (groups by type and powiat are implicit)."""

    code = models.SlugField(_("code"), max_length=PEER_GROUP_CODE.max_length, unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    units = models.ManyToManyField("territory.Unit", verbose_name=_("units"), related_name="peer_groups")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("peer group")
        verbose_name_plural = _("peer groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.localized("name")


# The link table of a group's units, made by Django, is named in the admin (the delete page lists the rows a
# deletion takes along) by its model names ("peergroup", "unit") and its rows by the class name: give both
# a translated name.
PeerGroup.units.through._meta.verbose_name = _("unit of a peer group")
PeerGroup.units.through._meta.verbose_name_plural = _("units of a peer group")


def _member_text(member: Any) -> str:
    return f"{member.peergroup} – {member.unit}"


# Django builds the link class itself, so its text can only be set on the class afterwards.
PeerGroup.units.through.__str__ = _member_text  # type: ignore[method-assign]
