"""The culture-events calendar of the member gminy."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from obserwatorium.events.images import validate_event_image
from obserwatorium.events.recurrence import validate_exdates, validate_rrule
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
class Status(models.TextChoices):
    """Where an event is in moderation; only a published one is public (`published` follows the status)."""

    DRAFT = "draft", pgettext_lazy("event status", "draft")
    SUBMITTED = "submitted", _("submitted for review")
    PUBLISHED = "published", pgettext_lazy("event status", "published")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn (cancelled)")


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
    # A changed occurrence of a recurring event (iCalendar RECURRENCE-ID): an event of its own that stands in for
    # the occurrence of `recurrence_of` that was to start at `recurrence_id`.
    recurrence_of = models.ForeignKey("self", verbose_name=_("changed occurrence of"), null=True, blank=True,
                                      editable=False, on_delete=models.CASCADE, related_name="overrides")
    recurrence_id = models.DateTimeField(_("original start of the occurrence"), null=True, blank=True,
                                         editable=False)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True, editable=False)
    image = models.FileField(_("image"), upload_to="events/%Y/", blank=True, validators=[validate_event_image],
                             help_text=_("PNG or JPEG, at most 5 MB."))
    image_alt = models.CharField(_("image description (alt text)"), max_length=300, blank=True,
                                 help_text=_("What the image shows, for those who cannot see it; required with an "
                                             "image."))
    rrule = models.TextField(_("recurrence rule"), blank=True, validators=[validate_rrule],
                             help_text=_("RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=10; empty: a single "
                                         "event."))
    exdates = models.JSONField(_("exception dates"), default=list, blank=True, validators=[validate_exdates],
                               help_text=_("Occurrences that do not take place: local start times "
                                           "(Europe/Warsaw) as ISO dates, e.g. 2026-10-27T18:00."))
    # Moderation, set only by events.services (never by a form or the API).
    published = models.BooleanField(_("published"), default=False, editable=False,
                                    help_text=_("Follows the status: only a published event is public."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT,
                              editable=False)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, editable=False, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitter_language = models.CharField(_("language of the submitter"), max_length=8, blank=True,
                                          editable=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   editable=False, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, editable=False)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "title"]
        indexes = [models.Index(fields=["starts_at", "unit"], name="event_start_unit_idx"),
                   models.Index(fields=["status", "submitted_at"], name="event_status_submitted_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="event_times_ordered",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.UniqueConstraint(fields=["feed", "external_uid"],
                                    condition=Q(feed__isnull=False, recurrence_id__isnull=True),
                                    name="event_uid_unique_per_feed",
                                    violation_error_message=_("The feed already holds an event with this UID.")),
            models.UniqueConstraint(fields=["feed", "external_uid", "recurrence_id"],
                                    condition=Q(feed__isnull=False, recurrence_id__isnull=False),
                                    name="event_occurrence_unique_per_feed",
                                    violation_error_message=_("The feed already holds this changed occurrence.")),
            models.CheckConstraint(
                condition=Q(recurrence_of__isnull=True) | Q(recurrence_id__isnull=False),
                name="event_override_names_its_occurrence",
                violation_error_message=_("A changed occurrence needs the original start it replaces."),
            ),
            models.CheckConstraint(
                condition=Q(published=False) | Q(status="published"), name="event_published_follows_status",
                violation_error_message=_("Only a published event is public."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def clean(self) -> None:
        super().clean()
        self.published = self.status == Status.PUBLISHED  # as save() will store it (the constraint is checked next)
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Describe the image: an image needs its alt text.")})

    def save(self, *args, **kwargs):
        # One truth: the public filter (`published`) follows the moderation status.
        self.published = self.status == Status.PUBLISHED
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "published"}
        super().save(*args, **kwargs)

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule.strip())
