"""Reads of the culture-events calendar: published events, their occurrences, the gminy's own and the queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from obserwatorium.access import rules
from obserwatorium.events.models import Event, Status
from obserwatorium.events.recurrence import MAX_OCCURRENCES, WARSAW, occurrence_starts

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


def public_events(*, since: datetime | None = None, unit_teryt: str = "", category: str = "") -> QuerySet[Event]:
    """Published events still running or to come after `since` (all when None), earliest first."""
    query = Event.objects.public().select_related("unit")
    if since is not None:
        # A recurring event runs on past its first start: its occurrences decide (see `occurrences`).
        query = query.filter(Q(starts_at__gte=since) | Q(ends_at__gte=since) | ~Q(rrule=""))
    if unit_teryt:
        query = query.filter(unit__teryt=unit_teryt)
    if category:
        query = query.filter(category=category)
    return query.order_by("starts_at", "title")


def events_by_unit(unit_ids: list[int], *, years: set[int]) -> dict[int, list[Event]]:
    """Published calendar events of each of these gminy starting in one of `years`, earliest first (one query)."""
    found: dict[int, list[Event]] = {}
    query = (Event.objects.public().filter(unit_id__in=unit_ids, starts_at__year__in=sorted(years))
             .order_by("starts_at", "title"))
    for event in query:
        found.setdefault(event.unit_id, []).append(event)
    return found


@dataclass(frozen=True)
class Occurrence:
    """One date of an event (a single event has one, a recurring one many)."""

    event: Event
    starts_at: datetime
    ends_at: datetime | None

    @property
    def local_date(self) -> date:
        return self.starts_at.astimezone(WARSAW).date()


def occurrences(*, start: datetime, end: datetime, unit_teryt: str = "", category: str = "",
                limit: int = MAX_OCCURRENCES) -> list[Occurrence]:
    """Occurrences of published events starting in [start, end) (or running then), earliest first, at most
    `limit`."""
    events = list(public_events(unit_teryt=unit_teryt, category=category).filter(starts_at__lt=end))
    replaced = replaced_starts([event.pk for event in events if event.is_recurring])
    found: list[Occurrence] = []
    for event in events:
        length = event.ends_at - event.starts_at if event.ends_at else None
        if not event.is_recurring:
            if event.starts_at >= start or (event.ends_at is not None and event.ends_at > start):
                found.append(Occurrence(event, event.starts_at, event.ends_at))
            continue
        for moment in occurrence_starts(starts_at=event.starts_at, rule=event.rrule,
                                        exdates=[*event.exdates, *replaced.get(event.pk, ())],
                                        window_start=start, window_end=end):
            found.append(Occurrence(event, moment, moment + length if length else None))
    found.sort(key=lambda o: (o.starts_at, o.event.title, o.event.pk))
    return found[:limit]


def replaced_starts(event_ids: list[int]) -> dict[int, list[str]]:
    """The original starts (ISO) of the occurrences of these recurring events that a published changed occurrence
    (RECURRENCE-ID) stands in for: they are not shown twice (one query, none without recurring events)."""
    found: dict[int, list[str]] = {}
    if not event_ids:
        return found
    for parent, moment in (Event.objects.public().filter(recurrence_of_id__in=event_ids)
                           .values_list("recurrence_of_id", "recurrence_id")):
        found.setdefault(parent, []).append(moment.isoformat())
    return found


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of the month and of the next one, in Europe/Warsaw."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return (datetime(first.year, first.month, 1, tzinfo=WARSAW),
            datetime(following.year, following.month, 1, tzinfo=WARSAW))


def events_of(user: Actor) -> QuerySet[Event]:
    """The events the user may write ("Moje wydarzenia"): their gmina's, newest change first."""
    return rules.writable(user, Event.objects.current().select_related("unit")).order_by("-updated_at", "title")


def visible_event(user: Actor, pk: int) -> Event:
    """A published event, or one the user may write (a draft to preview, an event in the queue)."""
    record = public_events().filter(pk=pk).first()
    if record is None:
        record = events_of(user).get(pk=pk)
    return record


def moderation_queue() -> QuerySet[Event]:
    """Submitted events, the longest waiting first."""
    return (Event.objects.current().filter(status=Status.SUBMITTED).select_related("unit", "submitted_by")
            .order_by("submitted_at", "pk"))
