"""iCalendar feeds (RFC 5545) that partner portals and calendar apps subscribe to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, vRecur
from icalendar import Event as CalendarEvent

PRODUCT_ID = "-//Obserwatorium//Registries//PL"
WARSAW = ZoneInfo("Europe/Warsaw")


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime | None = None
    location: str = ""
    description: str = ""
    url: str = ""
    updated_at: datetime | None = None
    all_day: bool = False  # DTSTART/DTEND as days in Warsaw (VALUE=DATE), the end exclusive
    categories: tuple[str, ...] = ()
    status: str = ""  # CONFIRMED, CANCELLED…
    extra: tuple[tuple[str, str], ...] = ()  # X- properties
    rrule: str = ""  # RFC 5545 RRULE text (without "RRULE:"), the event's recurrence
    exdates: tuple[datetime, ...] = ()  # occurrences that do not take place (aware)
    recurrence_id: datetime | None = None  # a changed occurrence: the original start of the one it replaces

    @property
    def in_local_time(self) -> bool:
        """Times of a recurring event (and of its changed occurrences) are written in Warsaw time with TZID, so
        that every calendar expands the rule in local time across the DST changes (RFC 5545 §3.3.10)."""
        return bool(self.rrule) or self.recurrence_id is not None


def _day(moment: datetime) -> date:
    return moment.astimezone(WARSAW).date()


def _timed(moment: datetime, entry: CalendarEntry) -> datetime:
    return moment.astimezone(WARSAW) if entry.in_local_time else moment


def calendar_bytes(*, name: str, entries: Iterable[CalendarEntry]) -> bytes:
    """Serialise the entries as one VCALENDAR."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    now = timezone.now()
    for entry in entries:
        item = CalendarEvent()
        item.add("uid", entry.uid)
        item.add("dtstamp", entry.updated_at or now)
        if entry.all_day:
            item.add("dtstart", _day(entry.starts_at))
            item.add("dtend", _day(entry.ends_at) if entry.ends_at else _day(entry.starts_at) + timedelta(days=1))
        else:
            item.add("dtstart", _timed(entry.starts_at, entry))
            if entry.ends_at is not None:
                item.add("dtend", _timed(entry.ends_at, entry))
        if entry.recurrence_id is not None:
            item.add("recurrence-id", _day(entry.recurrence_id) if entry.all_day
                     else _timed(entry.recurrence_id, entry))
        if entry.updated_at is not None:
            item.add("last-modified", entry.updated_at)
        item.add("summary", entry.summary)
        if entry.location:
            item.add("location", entry.location)
        if entry.description:
            item.add("description", entry.description)
        if entry.url:
            item.add("url", entry.url)
        if entry.categories:
            item.add("categories", list(entry.categories))
        if entry.status:
            item.add("status", entry.status)
        if entry.rrule:
            item.add("rrule", vRecur.from_ical(entry.rrule))
        if entry.exdates:
            item.add("exdate", [_timed(moment, entry) for moment in entry.exdates])
        for name, value in entry.extra:
            item.add(name, value)
        calendar.add_component(item)
    calendar.add_missing_timezones()  # the VTIMEZONE of every TZID used
    return calendar.to_ical()


def calendar_response(*, name: str, filename: str, entries: Iterable[CalendarEntry]) -> HttpResponse:
    """An .ics download of the entries."""
    response = HttpResponse(calendar_bytes(name=name, entries=entries), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
