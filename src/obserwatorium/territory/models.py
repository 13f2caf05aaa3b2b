"""Territorial units: gminy, powiaty, voivodeships and the metropolis, with TERYT codes and membership."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obserwatorium.vocabulary import TERYT


class Level(models.TextChoices):
    GMINA = "gmina", _("gmina")
    POWIAT = "powiat", _("powiat")
    VOIVODESHIP = "voivodeship", _("voivodeship")
    METROPOLIS = "metropolis", _("metropolis")


class GminaType(models.TextChoices):
    URBAN = "urban", _("urban")
    RURAL = "rural", _("rural")
    URBAN_RURAL = "urban-rural", _("urban-rural")


class Membership(models.TextChoices):
    MEMBER = "member", _("member")
    PARTNER = "partner", _("partner")
    NONE = "none", _("none")


class UnitQuerySet(models.QuerySet["Unit"]):
    def gminy(self) -> UnitQuerySet:
        return self.filter(level=Level.GMINA)

    def members(self) -> UnitQuerySet:
        return self.filter(level=Level.GMINA, membership=Membership.MEMBER)

    def current(self) -> UnitQuerySet:
        return self.filter(valid_to__isnull=True)


class Unit(models.Model):
    teryt = models.CharField(
        _("TERYT code"), max_length=TERYT.max_length, db_index=True,
        validators=[RegexValidator(TERYT.validator_pattern, _(
            "7 digits for a gmina (with the type digit), 4 for a powiat, 2 for a voivodeship; "
            "a short code for the metropolis."))],
        help_text=_("7 digits for a gmina (with the type digit), 4 for a powiat, 2 for a voivodeship; "
                    "a short code for the metropolis."),
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    gmina_type = models.CharField(_("gmina type"), max_length=16, choices=GminaType.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    membership = models.CharField(
        _("membership"), max_length=16, choices=Membership.choices, default=Membership.NONE
    )
    member_since = models.DateField(_("member since"), null=True, blank=True)
    bdl_unit_id = models.CharField(_("BDL unit id"), max_length=12, blank=True, db_index=True)
    boundary = models.JSONField(
        _("boundary"), null=True, blank=True,
        help_text=_("GeoJSON geometry in WGS84, outer rings clockwise (as Vega-Lite draws them)."),
    )
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    area_source = models.CharField(_("source of the area"), max_length=300, blank=True)
    grid_row = models.PositiveSmallIntegerField(_("tile-grid row"), null=True, blank=True)
    grid_col = models.PositiveSmallIntegerField(_("tile-grid column"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("territorial unit")
        verbose_name_plural = _("territorial units")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(fields=["teryt", "valid_from"], name="unit_teryt_valid_from_unique"),
            models.UniqueConstraint(
                fields=["teryt"], condition=Q(valid_to__isnull=True), name="unit_one_current_per_teryt"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(level=Level.GMINA) | ~Q(gmina_type=""), name="unit_gmina_has_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.teryt})"

    @property
    def is_member(self) -> bool:
        return self.membership == Membership.MEMBER
