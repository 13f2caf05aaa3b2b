"""JSON API of the culture-events calendar and its schema.org feed for partner portals (the iCalendar and Atom
feeds are at /events/calendar.ics and /events/upcoming.atom)."""

import datetime
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, FilterLookup, FilterSchema, ModelSchema, Query, Router, Schema

from obserwatorium.api.params import Day, Moment, RecordId
from obserwatorium.events import exports, selectors
from obserwatorium.events.models import Category, Event
from obserwatorium.registry.api import register
from obserwatorium.vocabulary import TERYT

router = Router()


class EventOut(ModelSchema):
    class Meta:
        model = Event
        fields = ["id", "title", "description", "category", "starts_at", "ends_at", "unit", "venue", "address",
                  "organiser", "url", "free_entry", "published", "created_at", "updated_at"]


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
    published: bool = True


class EventFilters(FilterSchema):
    gmina: Annotated[str | None, FilterLookup("unit__teryt")] = None
    category: str | None = None
    starts_after: Annotated[Moment | None, FilterLookup("starts_at__gte")] = None
    starts_before: Annotated[Moment | None, FilterLookup("starts_at__lt")] = None


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
    eventStatus: Literal["https://schema.org/EventScheduled"]  # noqa: N815
    eventAttendanceMode: Literal["https://schema.org/OfflineEventAttendanceMode"]  # noqa: N815
    location: PlaceOut
    organizer: OrganizationOut | None
    isAccessibleForFree: bool  # noqa: N815
    url: str
    image: str | None
    inLanguage: str  # noqa: N815
    keywords: str = Field(description="The calendar's category code.")
    dateModified: str  # noqa: N815


class PartnerFeedFilters(Schema):
    gmina: str | None = Field(None, description="TERYT code of a member gmina.", pattern=TERYT.pattern,
                              max_length=TERYT.max_length)
    category: Category | None = None
    since: Day | None = Field(None, description="Events running on or after this day (default: today).")


@router.get("/schema-org", response=list[SchemaOrgEventOut], by_alias=True, operation_id="events_schema_org",
            summary="Published events as schema.org Events (JSON-LD) for partner portals")
def schema_org_events(request: HttpRequest, response: HttpResponse, filters: Query[PartnerFeedFilters]):
    """Answers 304 to If-None-Match / If-Modified-Since while the calendar has not changed."""
    stamp = exports.validators(request)
    unchanged = exports.not_modified(request, stamp)
    if unchanged is not None:
        return unchanged
    exports.stamp_response(response, stamp)
    day = filters.since or timezone.localdate()
    since = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    events = selectors.public_events(since=since, unit_teryt=filters.gmina or "", category=filters.category or "")
    base = request.build_absolute_uri("/")[:-1]
    language = get_language() or "pl"
    return [exports.schema_org_event(event, base=base, language=language) for event in events]
