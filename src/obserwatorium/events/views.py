"""Culture-events calendar pages: the calendar, an event, its iCalendar and Atom feeds, and the gminy's event forms."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.events import exports, selectors
from obserwatorium.events.feeds import calendar_response
from obserwatorium.events.forms import EVENT_FIELDS, CalendarFilterForm, EventForm
from obserwatorium.events.models import Category, Event, EventFeed
from obserwatorium.registry.services import save_record
from obserwatorium.territory.models import Unit


def _today_start():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def calendar(request: HttpRequest) -> HttpResponse:
    form = CalendarFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    events = selectors.public_events(since=None if data.get("past") else _today_start(),
                                     unit_teryt=data.get("unit", ""), category=data.get("category", ""))
    return render(request, "events/calendar.html", {
        "form": form, "events": events, "can_add": rules.may_create_any(request.user, Event),
        "can_manage_feeds": rules.may_create_any(request.user, EventFeed)})


def event(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.public_events(), pk=pk)
    return render(request, "events/event.html", {"event": record, "can_edit": rules.may_write(request.user, record)})


def _calendar_feed(request: HttpRequest, *, name: str, filename: str, unit_teryt: str = "",
                   category: str = "") -> HttpResponse:
    events = selectors.public_events(unit_teryt=unit_teryt, category=category)
    base = request.build_absolute_uri("/")[:-1]
    return calendar_response(name=name, filename=filename,
                             entries=[exports.calendar_entry(event, base=base) for event in events])


@exports.conditional
def calendar_ical(request: HttpRequest) -> HttpResponse:
    """All published events (?gmina=TERYT and ?category= narrow them) as an iCalendar feed."""
    return _calendar_feed(request, name=_("Culture events of the metropolis"), filename="events.ics",
                          unit_teryt=request.GET.get("gmina", ""), category=request.GET.get("category", ""))


@exports.conditional
def gmina_ical(request: HttpRequest, teryt: str) -> HttpResponse:
    """The published events of one member gmina (a stable address for its subscribers)."""
    unit = get_object_or_404(Unit.objects.members(), teryt=teryt)
    return _calendar_feed(request, name=_("Culture events: %(gmina)s") % {"gmina": unit.name},
                          filename=f"events-{unit.teryt}.ics", unit_teryt=unit.teryt)


@exports.conditional
def category_ical(request: HttpRequest, category: str) -> HttpResponse:
    """The published events of one category."""
    if category not in Category.values:
        raise Http404(category)
    label = Category(category).label
    return _calendar_feed(request, name=_("Culture events: %(category)s") % {"category": label},
                          filename=f"events-{category}.ics", category=category)


upcoming_atom = exports.conditional(exports.UpcomingEventsAtom())


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
