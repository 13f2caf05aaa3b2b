"""The culture-events calendar of the member gminy."""

from __future__ import annotations

from django.conf import settings
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


class EventFeed(RegistryRecord):
    """A gmina's own iCalendar feed, imported into the calendar (by URL on a schedule, or as uploaded files)."""

    unit = models.ForeignKey("territory.Unit", verbose_name=_("gmina"), on_delete=models.PROTECT,
                             related_name="event_feeds", limit_choices_to={"level": "gmina", "membership": "member"})
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed address"), max_length=500, blank=True,
                          help_text=_("An http:// or https:// address of an iCalendar (.ics) feed; empty for a feed "
                                      "of uploaded files."))
    default_category = models.CharField(_("default category"), max_length=16, choices=Category.choices,
                                        default=Category.OTHER,
                                        help_text=_("For events whose CATEGORIES name none of the calendar's."))
    trusted = models.BooleanField(_("trusted"), default=False,
                                  help_text=_("Events of a trusted feed are published at once; others arrive "
                                              "unpublished for the office to review."))
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("Active feeds with an address are imported by the scheduled run."))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"), null=True, blank=True,
                                 editable=False, on_delete=models.SET_NULL, related_name="+",
                                 help_text=_("The scheduled import acts with this account's rights."))
    # Bookkeeping of the latest run (written by the import, not an edit of the feed: kept out of its history).
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True, editable=False)
    last_status = models.CharField(_("last outcome"), max_length=16, blank=True, editable=False)
    last_report = models.JSONField(_("last report"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("event feed")
        verbose_name_plural = _("event feeds")
        ordering = ["unit__name", "name"]

    def __str__(self) -> str:
        return self.name


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
    all_day = models.BooleanField(_("all day"), default=False,
                                  help_text=_("Starts and ends at midnight in Warsaw; the end is exclusive."))
    # Where an imported event came from: its feed and the feed's UID (unique per feed), the feed's version of it
    # (SEQUENCE, LAST-MODIFIED) and, when the feed withdrew it, why.
    feed = models.ForeignKey(EventFeed, verbose_name=_("feed"), null=True, blank=True, editable=False,
                             on_delete=models.PROTECT, related_name="events")
    external_uid = models.CharField(_("UID in the feed"), max_length=500, blank=True, editable=False)
    external_sequence = models.IntegerField(_("SEQUENCE in the feed"), null=True, blank=True, editable=False)
    external_modified = models.DateTimeField(_("LAST-MODIFIED in the feed"), null=True, blank=True, editable=False)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True, editable=False)

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
            models.UniqueConstraint(fields=["feed", "external_uid"], condition=Q(feed__isnull=False),
                                    name="event_uid_unique_per_feed",
                                    violation_error_message=_("The feed already holds an event with this UID.")),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"
