"""The culture-events calendar of the member gminy."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obserwatorium.registry.models import RegistryRecord


class Category(models.TextChoices):
    CONCERT = "concert", _("concert")
    THEATRE = "theatre", _("theatre")
    EXHIBITION = "exhibition", _("exhibition")
    FESTIVAL = "festival", _("festival")
    FILM = "film", _("film")
    MEETING = "meeting", _("meeting or lecture")
    WORKSHOP = "workshop", _("workshop")
    SPORT = "sport", _("sport and recreation")
    OTHER = "other", _("other")


class Event(RegistryRecord):
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, default=Category.OTHER)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    unit = models.ForeignKey("territory.Unit", verbose_name=_("gmina"), on_delete=models.PROTECT,
                             related_name="events", limit_choices_to={"level": "gmina", "membership": "member"})
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    organiser = models.CharField(_("organiser"), max_length=300, blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)
    free_entry = models.BooleanField(_("free entry"), default=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "title"]
        indexes = [models.Index(fields=["starts_at", "unit"], name="event_start_unit_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_times_ordered",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"
