"""The calendar as partner portals read it: iCalendar entries, schema.org Events, an Atom feed of what is to
come; every feed answers 304 while the calendar has not changed (ETag and Last-Modified from its data version)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from obserwatorium.events import selectors
from obserwatorium.events.feeds import CalendarEntry
from obserwatorium.events.ical_reader import X_ADDRESS, X_FREE, X_NO_OWN_URL, X_ORGANISER, X_VENUE
from obserwatorium.events.models import Event
from obserwatorium.events.recurrence import WARSAW, parse_local

ATOM_LIMIT = 200


def event_uid(event: Event) -> str:
    """The event's iCalendar UID: the gmina's own for an imported event, ours otherwise (stable either way); a
    changed occurrence shares the UID of its recurring event (RFC 5545 §3.8.4.4)."""
    return event.external_uid or f"event-{event.recurrence_of_id or event.pk}@obserwatorium"


def event_identifier(event: Event) -> str:
    """A stable identifier of one event for partner portals: the UID, with the original start for a changed
    occurrence (which shares its recurring event's UID)."""
    uid = event_uid(event)
    return f"{uid}/{event.recurrence_id.isoformat()}" if event.recurrence_id else uid


def event_page(event: Event, *, base: str) -> str:
    return base + reverse("events:event", args=[event.pk])


def calendar_entry(event: Event, *, base: str) -> CalendarEntry:
    """One published event as an iCalendar entry, with our X- properties so that it reads back unchanged."""
    # The venue and address always (LOCATION adds the gmina for people), so an empty venue reads back empty.
    extra = [(X_VENUE, event.venue), (X_ADDRESS, event.address)]
    if event.organiser:
        extra.append((X_ORGANISER, event.organiser))
    if event.free_entry:
        extra.append((X_FREE, "TRUE"))
    if not event.url:  # URL then links the event's page here; read back, the event still has none of its own
        extra.append((X_NO_OWN_URL, "TRUE"))
    return CalendarEntry(
        uid=event_uid(event), summary=event.title, starts_at=event.starts_at, ends_at=event.ends_at,
        location=", ".join(part for part in (event.venue, event.address, event.unit.name) if part),
        description=event.description, url=event.url or event_page(event, base=base), updated_at=event.updated_at,
        all_day=event.all_day, categories=(event.category,), status="CONFIRMED", extra=tuple(extra),
        rrule=event.rrule, exdates=tuple(parse_local(text).replace(tzinfo=WARSAW) for text in event.exdates or ()),
        recurrence_id=event.recurrence_id)


def schema_org_event(event: Event, *, base: str, language: str) -> dict[str, Any]:
    """One published event with the schema.org Event properties partner portals read."""
    address = ", ".join(part for part in (event.address, event.unit.name) if part)
    previous = event.recurrence_id if event.recurrence_id not in (None, event.starts_at) else None
    return {
        "@context": "https://schema.org", "@type": "Event", "identifier": event_identifier(event),
        "name": event.title, "description": event.description,
        "startDate": _iso(event.starts_at, all_day=event.all_day),
        "endDate": _iso(event.ends_at, all_day=event.all_day) if event.ends_at else None,
        "@id": event_page(event, base=base),
        "eventStatus": f"https://schema.org/{'EventRescheduled' if previous else 'EventScheduled'}",
        "previousStartDate": _iso(previous, all_day=event.all_day) if previous else None,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": {"@type": "Place", "name": event.venue or event.unit.name,
                     "address": {"@type": "PostalAddress", "streetAddress": event.address,
                                 "addressLocality": event.unit.name, "addressCountry": "PL"},
                     "description": address},
        "organizer": {"@type": "Organization", "name": event.organiser} if event.organiser else None,
        "isAccessibleForFree": event.free_entry, "url": event.url or event_page(event, base=base),
        "image": base + event.image.url if event.image else None,
        "inLanguage": language, "keywords": event.category, "dateModified": event.updated_at.isoformat(),
    }


def page_links(request: HttpRequest, *, page: int, pages: int) -> str:
    """RFC 8288 Link header value: first, last, and prev/next where they exist (the same query otherwise)."""
    def link(number: int, rel: str) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return f'<{request.build_absolute_uri(f"{request.path}?{query.urlencode()}")}>; rel="{rel}"'

    last = max(pages, 1)
    links = [link(1, "first")]
    if 1 < page <= last:
        links.append(link(page - 1, "prev"))
    if page < last:
        links.append(link(page + 1, "next"))
    links.append(link(last, "last"))
    return ", ".join(links)


def _iso(moment: datetime, *, all_day: bool) -> str:
    local = timezone.localtime(moment)
    return local.date().isoformat() if all_day else local.isoformat()


def data_version() -> tuple[str, datetime | None]:
    """A fingerprint of every event as stored (count and latest change) and the time of that change."""
    stats = Event.objects.aggregate(changed=Max("updated_at"), count=Count("id"))
    changed = stats["changed"]
    return f"{stats['count']}:{changed.isoformat() if changed else '-'}", changed


@dataclass(frozen=True)
class Validators:
    etag: str
    last_modified: int | None


def validators(request: HttpRequest) -> Validators:
    """The ETag and Last-Modified of this feed now: the calendar's data version, the address with its query, the
    language and the day (the upcoming feeds move on at midnight)."""
    version, changed = data_version()
    variant = f"{version}|{request.get_full_path()}|{get_language()}|{timezone.localdate().isoformat()}"
    return Validators(etag=quote_etag(hashlib.sha256(variant.encode()).hexdigest()[:32]),
                      last_modified=int(changed.timestamp()) if changed else None)


def not_modified(request: HttpRequest, stamp: Validators) -> HttpResponseBase | None:
    """304 Not Modified when the client's If-None-Match / If-Modified-Since says it holds this version."""
    return get_conditional_response(request, etag=stamp.etag, last_modified=stamp.last_modified)


def stamp_response(response: HttpResponseBase, stamp: Validators) -> None:
    response["ETag"] = stamp.etag
    if stamp.last_modified is not None:
        response["Last-Modified"] = http_date(stamp.last_modified)
    response["Cache-Control"] = "public, max-age=300"


def conditional(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A feed view that answers 304 while the client holds its version, and stamps ETag and Last-Modified."""
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        stamp = validators(request)
        unchanged = not_modified(request, stamp)
        if unchanged is not None:
            return unchanged
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            stamp_response(response, stamp)
        return response
    return wrapped


class UpcomingEventsAtom(Feed):
    """Published events from today on, as Atom (RFC 4287); ?gmina=TERYT and ?category= narrow it."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args, **kwargs) -> dict[str, str]:
        self._base = request.build_absolute_uri("/")[:-1]
        return {"gmina": request.GET.get("gmina", ""), "category": request.GET.get("category", "")}

    def title(self, obj) -> str:
        return _("Upcoming culture events of the metropolis")

    def link(self, obj) -> str:
        return reverse("events:calendar")

    def subtitle(self, obj) -> str:
        return _("Culture events of the member gminy of the Kraków Metropolis, from today on.")

    def items(self, obj) -> list[Event]:
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return list(selectors.public_events(since=today, unit_teryt=obj["gmina"],
                                            category=obj["category"])[:ATOM_LIMIT])

    def item_title(self, item: Event) -> str:
        return item.title

    def item_description(self, item: Event) -> str:
        when = timezone.localtime(item.starts_at).strftime("%Y-%m-%d" if item.all_day else "%Y-%m-%d %H:%M")
        place = ", ".join(part for part in (item.venue, item.address, item.unit.name) if part)
        # Atom readers take the summary as HTML: the text is escaped, so no markup of an event reaches them.
        return str(escape(f"{when} · {place}\n\n{item.description}".strip())).replace("\n", "<br>\n")

    def item_link(self, item: Event) -> str:
        return reverse("events:event", args=[item.pk])

    def item_guid(self, item: Event) -> str:
        return f"{self._base}{reverse('events:event', args=[item.pk])}"

    def item_updateddate(self, item: Event) -> datetime:
        return item.updated_at

    def item_pubdate(self, item: Event) -> datetime:
        return item.created_at

    def item_categories(self, item: Event) -> list[str]:
        return [str(item.get_category_display())]
