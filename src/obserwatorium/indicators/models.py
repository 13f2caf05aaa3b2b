"""Domains, the indicator catalogue, observations with provenance, revisions and import batches."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from obserwatorium.vocabulary import COLOUR, DOMAIN_CODE, INDICATOR_CODE, PERIOD


class BilingualMixin:
    """Pick the Polish or English variant of a field for the active language."""

    def localized(self, field: str) -> str:
        language = (get_language() or "pl")[:2]
        value = getattr(self, f"{field}_{language}", "") if language in ("pl", "en") else ""
        return value or getattr(self, f"{field}_pl")

    @property
    def name(self) -> str:
        return self.localized("name")

    @property
    def description(self) -> str:
        return self.localized("description")


class Domain(BilingualMixin, models.Model):
    code = models.SlugField(_("code"), max_length=DOMAIN_CODE.max_length, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    strategic = models.BooleanField(
        _("strategy domain"), default=True, help_text=_("One of the cooperation domains of the strategy.")
    )
    name_pl = models.CharField(_("name (Polish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    color = models.CharField(
        _("colour"), max_length=COLOUR.max_length, default="#1f5fa8",
        validators=[RegexValidator(COLOUR.validator_pattern, _("A colour as #RGB or #RRGGBB."))],
        help_text=_("A colour as #RGB or #RRGGBB."),
    )

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.localized("name")




class Polarity(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")
    NEUTRAL = "neutral", _("neutral")


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum")
    POPULATION_WEIGHTED_MEAN = "population_weighted_mean", _("population-weighted mean")
    RATIO_OF_SUMS = "ratio_of_sums", _("ratio of sums")
    NONE = "none", _("not aggregated")


class Measure(models.TextChoices):
    """What an indicator measures: a size-dependent count (extensive) or a rate, per-capita value or share
    (intensive). Only intensive indicators are ranked, put in quartiles or compared between gminy."""

    COUNT = "count", _("count (depends on the gmina's size)")
    RATE = "rate", _("rate, per-capita value or share")


class Indicator(BilingualMixin, models.Model):
    code = models.SlugField(_("code"), max_length=INDICATOR_CODE.max_length, unique=True)
    domain = models.ForeignKey(Domain, verbose_name=_("domain"), on_delete=models.PROTECT,
                               related_name="indicators")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_pl = models.CharField(_("name (Polish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    definition_pl = models.TextField(_("definition (Polish)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    unit_pl = models.CharField(_("unit of measure (Polish)"), max_length=60, blank=True)
    unit_en = models.CharField(_("unit of measure (English)"), max_length=60, blank=True)
    polarity = models.CharField(_("polarity"), max_length=10, choices=Polarity.choices,
                                default=Polarity.NEUTRAL)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=0)
    aggregation = models.CharField(_("metropolis aggregation"), max_length=32, choices=Aggregation.choices,
                                   default=Aggregation.NONE)
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.RATE,
        help_text=_("A count (people, złoty, km, events) grows with the gmina's size and is not ranked or compared "
                    "between gminy; a rate, per-capita value or share is."))
    numerator = models.ForeignKey("self", verbose_name=_("numerator"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    denominator = models.ForeignKey("self", verbose_name=_("denominator"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    scale = models.FloatField(_("ratio scale"), default=1.0)
    min_value = models.FloatField(_("lowest allowed value"), null=True, blank=True)
    max_value = models.FloatField(_("highest allowed value"), null=True, blank=True)
    source_pl = models.CharField(_("source (Polish)"), max_length=300, blank=True)
    source_en = models.CharField(_("source (English)"), max_length=300, blank=True)
    bdl_variable_id = models.PositiveBigIntegerField(_("BDL variable id"), null=True, blank=True)
    bdl_scale = models.FloatField(_("BDL scale"), default=1.0,
                                  help_text=_("Multiplier from the BDL value to this indicator's unit."))
    bdl_note_pl = models.CharField(_("BDL note (Polish)"), max_length=300, blank=True,
                                   help_text=_("Caveat on the BDL variable, e.g. published for powiaty only."))
    bdl_note_en = models.CharField(_("BDL note (English)"), max_length=300, blank=True)
    headline = models.BooleanField(_("headline indicator"), default=False)
    demo = models.JSONField(_("demo data parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["domain__order", "order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(aggregation="ratio_of_sums")
                | (Q(numerator__isnull=False) & Q(denominator__isnull=False)),
                name="indicator_ratio_has_terms",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="indicator_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.localized("name")


    @property
    def comparable(self) -> bool:
        """Whether values of different gminy may be ranked and compared (not a size-dependent count)."""
        return self.measure != Measure.COUNT

    @property
    def definition(self) -> str:
        return self.localized("definition")

    @property
    def unit_of_measure(self) -> str:
        return self.localized("unit")

    @property
    def source(self) -> str:
        return self.localized("source")

    @property
    def bdl_note(self) -> str:
        return self.localized("bdl_note")


class Flag(models.TextChoices):
    FINAL = "final", _("final")
    PROVISIONAL = "provisional", _("provisional")
    ESTIMATED = "estimated", _("estimated")
    CONFIDENTIAL = "confidential", _("confidential")
    DEMO = "demo", _("demonstration")


class BatchKind(models.TextChoices):
    UPLOAD = "upload", _("file upload")
    BDL = "bdl", _("Statistics Poland BDL sync")
    PRESET = "preset", _("preset facts")
    DEMO = "demo", _("demonstration data")
    DERIVED = "derived", _("derived computation")
    ADMIN = "admin", _("entered in the administration panel")
    PROJECT = "project", _("project results")
    REQUEST = "request", _("data request to the gminy")


class BatchStatus(models.TextChoices):
    APPLYING = "applying", _("being applied")
    APPLIED = "applied", _("applied")
    DRY_RUN = "dry-run", _("dry run")
    FAILED = "failed", _("failed")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: The licence the preset gives the figures it takes from the text of a cited source. Stored in English, the
#: language of the API and of the stored batches; the pages show it in the reader's language.
FACTS_LICENCE = "facts stated in the cited source"
LICENCE_NAMES = {FACTS_LICENCE: _("facts stated in the cited source")}


class ImportBatch(models.Model):
    """One load of observations: who, when, from where; every observation points to the batch that set it."""

    kind = models.CharField(_("kind"), max_length=16, choices=BatchKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=BatchStatus.choices,
                              default=BatchStatus.APPLIED)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True,
                              help_text=_("Producer and title, e.g. 'GUS BDL, variable 72305'."))
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    retrieved_at = models.DateTimeField(_("retrieved at"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    inserted = models.PositiveIntegerField(_("inserted"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    deleted = models.PositiveIntegerField(_("deleted values"), default=0)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    report = models.JSONField(_("validation report"), default=list, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        label = self.file_name or self.source or self.get_kind_display()
        return f"#{self.pk} {label}"

    @property
    def licence_display(self) -> str:
        """The licence in the reader's language where the software itself wrote it; else as it was given."""
        return str(LICENCE_NAMES.get(self.licence, self.licence))


def applying_batches() -> models.QuerySet:
    """Batches whose chunks are still landing (or being removed): their rows are not yet anyone's values."""
    return ImportBatch.objects.filter(status=BatchStatus.APPLYING).values("pk")


class CurrentObservationManager(models.Manager):
    """Only current values: not the rows of a batch still being applied, nor the ones a finished batch replaced.

    A large import on SQLite lands in chunks (indicators.chunked); its new rows stay hidden, and the values they
    replace stay visible, until one short transaction marks the batch applied.
    """

    def get_queryset(self) -> models.QuerySet:
        applying = applying_batches()
        return super().get_queryset().exclude(batch_id__in=applying).filter(
            Q(replaced_by__isnull=True) | Q(replaced_by_id__in=applying))


class CurrentRevisionManager(models.Manager):
    """Revisions of batches that are applied (those of a batch still being applied are not history yet)."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().exclude(batch_id__in=applying_batches())


class Observation(models.Model):
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT,
                                  related_name="observations")
    unit = models.ForeignKey("territory.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="observations")
    period = models.CharField(_("period"), max_length=10, help_text=_("YYYY, YYYY-Qn or YYYY-MM."),
                              validators=[RegexValidator(PERIOD.validator_pattern, _("YYYY, YYYY-Qn or YYYY-MM."))])
    value = models.FloatField(_("value"), null=True, blank=True)
    flag = models.CharField(_("flag"), max_length=16, choices=Flag.choices, default=Flag.FINAL)
    batch = models.ForeignKey(ImportBatch, verbose_name=_("source batch"), on_delete=models.PROTECT,
                              related_name="observations")
    # Set while a chunked import that overwrites this value is applying; the row is deleted once it is applied.
    replaced_by = models.ForeignKey(ImportBatch, verbose_name=_("replaced by batch"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)

    objects = CurrentObservationManager()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "period"], condition=Q(replaced_by__isnull=True),
                                    name="observation_current_key_unique"),
        ]
        indexes = [
            # One indicator, one period, all units: answered from the index alone (the batch columns decide
            # which rows are current).
            models.Index(fields=["indicator", "period", "unit", "value", "flag", "batch", "replaced_by"],
                         name="observation_current_cover_idx"),
            models.Index(fields=["unit", "indicator"], name="observation_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.unit_id}/{self.period}={self.value}"


class Revision(models.Model):
    """An overwritten or deleted value, kept so that nothing is lost: old and new, which batch, who and when.

    A deletion is a revision whose new value is none in a batch whose `deleted` count includes it.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="revisions")
    unit = models.ForeignKey("territory.Unit", on_delete=models.PROTECT, related_name="revisions")
    period = models.CharField(_("period"), max_length=10)
    old_value = models.FloatField(_("old value"), null=True)
    new_value = models.FloatField(_("new value"), null=True)
    old_flag = models.CharField(_("old flag"), max_length=16, choices=Flag.choices)
    new_flag = models.CharField(_("new flag"), max_length=16, choices=Flag.choices)
    old_batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="revisions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    changed_at = models.DateTimeField(_("changed at"))

    objects = CurrentRevisionManager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["indicator", "unit", "period"], name="revision_key_idx")]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.unit_id}/{self.period}: {self.old_value} → {self.new_value}"
