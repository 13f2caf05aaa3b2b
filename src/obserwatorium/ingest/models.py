"""Connector state: BDL unit ids confirmed to denote territorial units, and resumable sync runs."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Confirmation(models.TextChoices):
    TERRITORY = "territory", _("BDL id recorded on the territorial unit")
    UNITS_LOOKUP = "units-lookup", _("BDL /units look-up: same TERYT code and name")
    MANUAL = "manual", _("confirmed by a person")


class BdlUnit(models.Model):
    """One BDL unit id and the territorial unit it denotes; BDL ids change when statistical regions are recoded,
    so a unit may have several over time."""

    bdl_unit_id = models.CharField(_("BDL unit id"), max_length=12, unique=True,
                                   validators=[RegexValidator(r"^[0-9]{12}$", _("Twelve digits."))])
    unit = models.ForeignKey("territory.Unit", verbose_name=_("territorial unit"), on_delete=models.PROTECT,
                             related_name="bdl_ids")
    name = models.CharField(_("name in BDL"), max_length=200, blank=True)
    confirmed_by = models.CharField(_("confirmed by"), max_length=16, choices=Confirmation.choices)
    first_seen_at = models.DateTimeField(_("first seen"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("BDL unit id")
        verbose_name_plural = _("BDL unit ids")
        ordering = ["unit__teryt", "bdl_unit_id"]

    def __str__(self) -> str:
        return f"{self.bdl_unit_id} → {self.unit_id}"


class SyncSource(models.TextChoices):
    BDL = "bdl", _("Statistics Poland BDL")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("running")
    INTERRUPTED = "interrupted", _("interrupted")
    INCOMPLETE = "incomplete", _("finished with failures")
    COMPLETED = "completed", _("completed")
    ABANDONED = "abandoned", _("abandoned")


# A run that went through every indicator is finished even when some failed (a variable BDL refuses would
# otherwise hold every later sync to retrying it); those are retried by naming them with --indicator.
UNFINISHED = (RunStatus.RUNNING, RunStatus.INTERRUPTED)


class SyncRun(models.Model):
    """One sync of a connector; an interrupted run with the same parameters is continued, not repeated."""

    source = models.CharField(_("source"), max_length=16, choices=SyncSource.choices)
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    fingerprint = models.CharField(_("parameters fingerprint"), max_length=64, db_index=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        verbose_name = _("sync run")
        verbose_name_plural = _("sync runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source} {self.status}"


class ItemStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class SyncItem(models.Model):
    """One indicator of a sync run; marked done in the same transaction that writes its observations."""

    run = models.ForeignKey(SyncRun, verbose_name=_("sync run"), on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("indicator"), on_delete=models.CASCADE,
                                  related_name="+")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    batch = models.ForeignKey("indicators.ImportBatch", verbose_name=_("import batch"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    inserted = models.PositiveIntegerField(_("inserted"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    message = models.TextField(_("message"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sync item")
        verbose_name_plural = _("sync items")
        ordering = ["run", "order"]
        constraints = [models.UniqueConstraint(fields=["run", "indicator"], name="sync_item_once_per_run")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.indicator_id} {self.status}"
