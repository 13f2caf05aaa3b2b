"""JSON API of the culture-events calendar (the iCalendar feed is at /events/calendar.ics).

Writes create and change drafts; the moderation steps (submit, withdraw, and the office's publish and reject)
are endpoints of their own, each through events.services.
"""

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, FilterLookup, FilterSchema, ModelSchema, Path, Router, Schema
from ninja.security import django_auth

from obserwatorium.api.params import MAX_ID, Moment, RecordId
from obserwatorium.events import services
from obserwatorium.events.models import Event
from obserwatorium.registry.api import register

router = Router()


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
