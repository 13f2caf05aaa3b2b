"""JSON API of the culture-events calendar and its schema.org feed for partner portals (the iCalendar and Atom
feeds are at /events/calendar.ics and /events/upcoming.atom).

Writes create and change drafts; the moderation steps (submit, withdraw, and the office's publish and reject)
are endpoints of their own, each through events.services.
"""

import datetime
import math
from typing import Annotated, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, FilterLookup, FilterSchema, ModelSchema, Path, Query, Router, Schema
from ninja.security import django_auth

from obserwatorium.api.params import MAX_ID, MAX_PAGE, Day, Moment, RecordId
from obserwatorium.events import exports, selectors, services
from obserwatorium.events.models import Category, Event
from obserwatorium.registry.api import register
from obserwatorium.vocabulary import TERYT

router = Router()
PARTNER_PAGE_SIZE, PARTNER_MAX_PAGE_SIZE = 100, 1000


class EventOut(ModelSchema):
    class Meta:
        model = Event
        fields = ["id", "title", "description", "category", "starts_at", "ends_at", "unit", "venue", "address",
                  "organiser", "url", "free_entry", "image_alt", "rrule", "exdates", "status", "published",
                  "created_at", "updated_at"]


class EventIn(Schema):
    title: str
    description: str = ""
    category: str = "other"
    starts_at: Moment
    ends_at: Moment | None = None
    unit: RecordId
    venue: str = ""
    address: str = ""
    organiser: str = ""
    url: str = ""
    free_entry: bool = False
    rrule: str = Field("", description="RFC 5545 RRULE, e.g. FREQ=WEEKLY;BYDAY=TU;COUNT=10.")
    exdates: list[str] = Field([], description="Local (Europe/Warsaw) start times that do not take place.")


class EventFilters(FilterSchema):
    gmina: Annotated[str | None, FilterLookup("unit__teryt")] = None
    category: str | None = None
    starts_after: Annotated[Moment | None, FilterLookup("starts_at__gte")] = None
    starts_before: Annotated[Moment | None, FilterLookup("starts_at__lt")] = None


class RejectIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000, description="Why; the submitter reads it.")


register(router, model=Event, path="events", out=EventOut, payload=EventIn, filters=EventFilters,
         public=lambda: Event.objects.public().order_by("starts_at", "title"))


# Partner portals ------------------------------------------------------------------------------------------------
# schema.org Event (https://schema.org/Event) as JSON-LD: a list of the published events from `since` on.

class PostalAddressOut(Schema):
    type: Literal["PostalAddress"] = Field("PostalAddress", alias="@type")
    streetAddress: str  # noqa: N815 (schema.org's names)
    addressLocality: str  # noqa: N815
    addressCountry: Literal["PL"]  # noqa: N815


class PlaceOut(Schema):
    type: Literal["Place"] = Field("Place", alias="@type")
    name: str
    address: PostalAddressOut
    description: str


class OrganizationOut(Schema):
    type: Literal["Organization"] = Field("Organization", alias="@type")
    name: str


class SchemaOrgEventOut(Schema):
    """One culture event with the schema.org Event properties; dates in ISO 8601 (Warsaw time, or a day)."""

    context: Literal["https://schema.org"] = Field("https://schema.org", alias="@context")
    type: Literal["Event"] = Field("Event", alias="@type")
    identifier: str = Field(description="The event's iCalendar UID (stable).")
    name: str
    description: str
    startDate: str = Field(description="ISO 8601: a date and time with its offset, or a date for an all-day event.")  # noqa: N815
    endDate: str | None = Field(description="As startDate; for an all-day event the day after the last (exclusive).")  # noqa: N815
    id: str = Field(alias="@id", description="The event's page in the calendar (stable).")
    eventStatus: Literal["https://schema.org/EventScheduled", "https://schema.org/EventRescheduled"] = Field(  # noqa: N815
        description="EventRescheduled for a changed occurrence of a recurring event that moved.")
    previousStartDate: str | None = Field(None, description="A moved occurrence: the start it had.")  # noqa: N815
    eventAttendanceMode: Literal["https://schema.org/OfflineEventAttendanceMode"]  # noqa: N815
    location: PlaceOut
    organizer: OrganizationOut | None
    isAccessibleForFree: bool  # noqa: N815
    url: str
    image: str | None = Field(description="Address of the event's image, or null.")
    inLanguage: str  # noqa: N815
    keywords: str = Field(description="The calendar's category code.")
    dateModified: str  # noqa: N815


class PartnerFeedFilters(Schema):
    gmina: str | None = Field(None, description="TERYT code of a member gmina.", pattern=TERYT.pattern,
                              max_length=TERYT.max_length)
    category: Category | None = None
    since: Day | None = Field(None, description="Events running on or after this day (default: today).")
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(PARTNER_PAGE_SIZE, ge=1, le=PARTNER_MAX_PAGE_SIZE,
                           description=f"Events per page, at most {PARTNER_MAX_PAGE_SIZE}.")


def _header(description: str, kind: str = "string") -> dict:
    return {"description": description, "schema": {"type": kind}}


PAGINATION_HEADERS = {"responses": {200: {"description": "One page of the events, in a stable order (start, "
                                                         "title, id).", "headers": {
    "Link": _header('RFC 8288 links to the other pages: rel="next", "prev", "first" and "last" (absolute '
                    'addresses with the same query).'),
    "X-Total-Count": _header("How many events the query matches on all pages.", "integer"),
    "ETag": _header("The calendar's version for this address; send it as If-None-Match for a 304."),
    "Last-Modified": _header("When the calendar last changed."),
}}}}


@router.get("/schema-org", response=list[SchemaOrgEventOut], by_alias=True, operation_id="events_schema_org",
            summary="Published events as schema.org Events (JSON-LD) for partner portals",
            openapi_extra=PAGINATION_HEADERS)
def schema_org_events(request: HttpRequest, response: HttpResponse, filters: Query[PartnerFeedFilters]):
    """A page of the events (`page`, `page_size`; the others are linked in the Link header, the total in
    X-Total-Count); answers 304 to If-None-Match / If-Modified-Since while the calendar has not changed."""
    stamp = exports.validators(request)
    unchanged = exports.not_modified(request, stamp)
    if unchanged is not None:
        return unchanged
    exports.stamp_response(response, stamp)
    day = filters.since or timezone.localdate()
    since = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    events = selectors.public_events(since=since, unit_teryt=filters.gmina or "", category=filters.category or "")
    count = events.count()
    start = (filters.page - 1) * filters.page_size
    response["Link"] = exports.page_links(request, page=filters.page, pages=math.ceil(count / filters.page_size))
    response["X-Total-Count"] = str(count)
    base = request.build_absolute_uri("/")[:-1]
    language = get_language() or "pl"
    return [exports.schema_org_event(event, base=base, language=language)
            for event in events.order_by("starts_at", "title", "pk")[start:start + filters.page_size]]


Pk = Path(..., ge=1, le=MAX_ID, description="Id of the event.")


def _stored(pk: int) -> Event:
    record = Event.objects.current().filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


@router.post("/events/{int:pk}/submit", response=EventOut, auth=django_auth, operation_id="submit_event")
def submit(request: HttpRequest, pk: int = Pk):
    return services.submit_event(event=_stored(pk), user=request.user, via="api")


@router.post("/events/{int:pk}/withdraw", response=EventOut, auth=django_auth, operation_id="withdraw_event")
def withdraw(request: HttpRequest, pk: int = Pk):
    return services.withdraw_event(event=_stored(pk), user=request.user, via="api")


@router.post("/events/{int:pk}/publish", response=EventOut, auth=django_auth, operation_id="publish_event")
def publish(request: HttpRequest, pk: int = Pk):
    return services.publish_event(event=_stored(pk), user=request.user, site_url=_site(request), via="api")


@router.post("/events/{int:pk}/reject", response=EventOut, auth=django_auth, operation_id="reject_event")
def reject(request: HttpRequest, data: RejectIn, pk: int = Pk):
    return services.reject_event(event=_stored(pk), user=request.user, reason=data.reason, site_url=_site(request),
                                 via="api")
