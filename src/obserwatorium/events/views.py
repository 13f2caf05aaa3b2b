"""Culture-events calendar pages: the calendar, an event, its iCalendar feed, and the gminy's event forms."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.events import selectors
from obserwatorium.events.feeds import CalendarEntry, calendar_response
from obserwatorium.events.forms import EVENT_FIELDS, CalendarFilterForm, EventForm
from obserwatorium.events.models import Event
from obserwatorium.registry.services import save_record


def _today_start():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def calendar(request: HttpRequest) -> HttpResponse:
    form = CalendarFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    events = selectors.public_events(since=None if data.get("past") else _today_start(),
                                     unit_teryt=data.get("unit", ""), category=data.get("category", ""))
    return render(request, "events/calendar.html", {
        "form": form, "events": events, "can_add": rules.may_create_any(request.user, Event)})


def event(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.public_events(), pk=pk)
    return render(request, "events/event.html", {"event": record, "can_edit": rules.may_write(request.user, record)})


def calendar_ical(request: HttpRequest) -> HttpResponse:
    """All published events (optionally of one gmina: ?gmina=TERYT) as an iCalendar feed."""
    events = selectors.public_events(unit_teryt=request.GET.get("gmina", ""))
    base = request.build_absolute_uri("/")[:-1]
    entries = [CalendarEntry(
        uid=f"event-{e.pk}@obserwatorium", summary=e.title, starts_at=e.starts_at, ends_at=e.ends_at,
        location=", ".join(part for part in (e.venue, e.address, e.unit.name) if part), description=e.description,
        url=e.url or f"{base}/events/{e.pk}/", updated_at=e.updated_at) for e in events]
    return calendar_response(name=_("Culture events of the metropolis"), filename="events.ics", entries=entries)


def _event_form(request: HttpRequest, record: Event, title: str) -> HttpResponse:
    form = EventForm(request.POST or None, instance=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = save_record(record=record, values={name: form.cleaned_data[name] for name in EVENT_FIELDS},
                            user=request.user, via="page")
        return redirect("events:event", pk=saved.pk) if saved.published else redirect("events:calendar")
    return render(request, "access/record_form.html", {"form": form, "title": title},
                  status=400 if form.errors else 200)


@login_required
def event_add(request: HttpRequest) -> HttpResponse:
    rules.require_create(request.user, Event)
    return _event_form(request, Event(), _("New event"))


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Event.objects.current(), pk=pk)
    rules.require_write(request.user, record)
    return _event_form(request, record, record.title)
