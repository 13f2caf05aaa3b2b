"""JSON API of the culture-events calendar (the iCalendar feed is at /events/calendar.ics)."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema, ModelSchema, Router, Schema

from obserwatorium.api.params import Moment, RecordId
from obserwatorium.events.models import Event
from obserwatorium.registry.api import register

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
