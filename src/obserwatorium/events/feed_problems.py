"""What can be wrong with an imported event feed: a whole feed refused, or one VEVENT (by UID and field).

Problems are kept as codes with parameters (in the feed's last report, as JSON) and put into words when shown,
so a report written by the night's scheduled run reads in the language of whoever opens it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    # The whole feed
    "feed_empty": _("The feed is empty."),
    "feed_too_large": _("The feed is larger than %(limit)s MB; nothing was imported."),
    "feed_not_icalendar": _("This is not an iCalendar feed (it must begin with BEGIN:VCALENDAR): %(detail)s"),
    "feed_unreadable": _("The iCalendar feed could not be read: %(detail)s"),
    "address_scheme": _("Only http:// and https:// addresses can be imported, not “%(url)s”."),
    "address_local": _("The address “%(url)s” points into the local network; only public addresses are fetched."),
    "address_resolves_local": _("The host %(host)s resolves to %(address)s, an address in the local network; "
                                "only public addresses are fetched."),
    "fetch_timeout": _("The server at %(url)s did not answer within %(seconds)s seconds."),
    "fetch_unreachable": _("The feed at %(url)s could not be fetched: %(detail)s"),
    "fetch_status": _("The server at %(url)s answered %(status)s instead of the feed."),
    "fetch_redirects": _("The address %(url)s redirects more than %(limit)s times."),
    "feed_no_address": _("The feed has no address to fetch; upload its file instead."),
    "not_allowed": _("%(user)s may not write the events of %(unit)s, so the feed cannot be imported."),
    "rows_rejected": _("Events of the feed with problems: %(count)s (listed below); nothing was imported."),
    # One VEVENT
    "uid_missing": _("The event has no UID, so it cannot be matched on the next import."),
    "uid_twice": _("The UID occurs in two events of the feed."),
    "value_broken": _("The value of %(property)s cannot be read: %(detail)s"),
    "value_missing": _("%(property)s is missing."),
    "end_before_start": _("The event ends before it starts."),
    "dates_mixed": _("DTSTART is a day and DTEND a time of day (or the other way round)."),
    "url_bad": _("“%(value)s” is not an http:// or https:// address."),
    "refused_by_record": _("The calendar refused the value: %(detail)s"),
    # Notices (nothing is refused)
    "recurrence_first_only": _("A recurring event: only its first occurrence is imported for now."),
    "recurrence_override_skipped": _("A changed occurrence of a recurring event (RECURRENCE-ID) is not imported yet."),
    "recurrence_override_orphan": _("A changed occurrence (RECURRENCE-ID) of a recurring event that is not in the "
                                    "feed was left out."),
    "text_cut": _("%(property)s was longer than %(limit)s characters and was cut."),
    "older_version": _("The feed holds an older version of this event than the calendar (SEQUENCE or "
                       "LAST-MODIFIED); it was left as it is."),
    "archived_in_calendar": _("The event was archived in the calendar; the import leaves it archived."),
}

# Why the import withdrew an event (kept on the archived event, in the language of the run).
WITHDRAWN_CANCELLED = _("cancelled in the feed (STATUS:CANCELLED)")
WITHDRAWN_GONE = _("no longer in the feed")
# The iCalendar property an event's field is read from (to name it when the calendar refuses a value).
PROPERTY_OF_FIELD = {"title": "SUMMARY", "description": "DESCRIPTION", "starts_at": "DTSTART", "ends_at": "DTEND",
                     "venue": "LOCATION", "address": "LOCATION", "url": "URL", "category": "CATEGORIES",
                     "organiser": "ORGANIZER", "external_uid": "UID", "rrule": "RRULE", "exdates": "EXDATE"}


@dataclass(frozen=True)
class Problem:
    """One problem: its code, the VEVENT's UID (or its number in the feed) and the iCalendar property."""

    code: str
    uid: str = ""
    property: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return str(MESSAGES[self.code]) % {"property": self.property, **self.params}

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "uid": self.uid, "property": self.property, "params": self.params}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Problem:
        return cls(code=data["code"], uid=data.get("uid", ""), property=data.get("property", ""),
                   params=dict(data.get("params") or {}))


class FeedRefused(Exception):
    """The feed as a whole cannot be imported (not iCalendar, too large, unreachable…): nothing changes."""

    def __init__(self, code: str, **params: Any) -> None:
        self.problem = Problem(code=code, params=params)
        super().__init__(self.problem.message())
