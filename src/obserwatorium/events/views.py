"""Culture-events calendar pages: the list, the month, per gmina and per category, an event, its iCalendar and
Atom feeds (the forms and the moderation are in workflow_views)."""

from __future__ import annotations

import calendar as calendar_module
from datetime import date, datetime, timedelta
from itertools import islice

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.events import exports, selectors
from obserwatorium.events.feeds import calendar_response
from obserwatorium.events.forms import CalendarFilterForm
from obserwatorium.events.models import Category, Event, EventFeed
from obserwatorium.events.recurrence import occurrence_starts
from obserwatorium.territory.models import Unit

PAGE_SIZE = 25
UPCOMING_DAYS = 366
PAST_DAYS = 3 * 366


def _today_start() -> datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def _month(text: str) -> date | None:
    try:
        month = datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise Http404(_("No such month: use YYYY-MM, e.g. 2026-10.")) from None
    if not 1900 <= month.year <= 2200:
        raise Http404(_("No such month: use YYYY-MM, e.g. 2026-10."))
    return month


def _month_weeks(month: date, found: list[selectors.Occurrence]) -> list[list[dict]]:
    by_day: dict[date, list[selectors.Occurrence]] = {}
    for occurrence in found:
        by_day.setdefault(occurrence.local_date, []).append(occurrence)
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [[{"date": day, "in_month": day.month == month.month, "occurrences": by_day.get(day, [])}
             for day in week] for week in weeks]


def _calendar_page(request: HttpRequest, *, unit: Unit | None = None, category: str = "",
                   heading: str = "") -> HttpResponse:
    form = CalendarFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    unit_teryt = unit.teryt if unit is not None else data.get("unit", "")
    category = category or data.get("category", "")
    filter_query = request.GET.copy()  # the filters, kept in the links to other pages and months
    filter_query.pop("page", None)
    filter_query.pop("month", None)
    context = {"form": form, "can_add": rules.may_create_any(request.user, Event), "heading": heading,
               "can_manage_feeds": rules.may_create_any(request.user, EventFeed),
               "fixed_unit": unit, "fixed_category": category if heading and not unit else "",
               "filter_query": filter_query, "perms_office": rules.is_office(request.user)}
    if month_text := request.GET.get("month", ""):
        month = _month(month_text)
        assert month is not None
        start, end = selectors.month_bounds(month)
        found = selectors.occurrences(start=start, end=end, unit_teryt=unit_teryt, category=category)
        context.update(view="month", month=month, weeks=_month_weeks(month, found), occurrences=found,
                       previous_month=(start - timedelta(days=1)).strftime("%Y-%m"), next_month=end.strftime("%Y-%m"),
                       weekdays=[date(2026, 1, 5 + i) for i in range(7)])
        return render(request, "events/calendar_month.html", context)
    today = _today_start()
    start = today - timedelta(days=PAST_DAYS) if data.get("past") else today
    found = selectors.occurrences(start=start, end=today + timedelta(days=UPCOMING_DAYS), unit_teryt=unit_teryt,
                                  category=category)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(view="list", page=page, occurrences=page.object_list, this_month=today.strftime("%Y-%m"))
    return render(request, "events/calendar.html", context)


def calendar(request: HttpRequest) -> HttpResponse:
    return _calendar_page(request)


def gmina_calendar(request: HttpRequest, teryt: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.members(), teryt=teryt)
    return _calendar_page(request, unit=unit, heading=_("Culture events in %(gmina)s") % {"gmina": unit.name})


def category_calendar(request: HttpRequest, category: str) -> HttpResponse:
    if category not in Category.values:
        raise Http404(category)
    label = Category(category).label
    return _calendar_page(request, category=category, heading=_("Culture events: %(category)s") % {
        "category": label})


def event(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.visible_event(request.user, pk)
    now = timezone.now()
    upcoming = list(islice(occurrence_starts(
        starts_at=record.starts_at, rule=record.rrule,
        exdates=[*record.exdates, *selectors.replaced_starts([record.pk]).get(record.pk, ())], window_start=now,
        window_end=now + timedelta(days=UPCOMING_DAYS)), 12)) if record.is_recurring else []
    return render(request, "events/event.html", {
        "event": record, "can_edit": rules.may_write(request.user, record), "upcoming": upcoming,
        "is_office": rules.is_office(request.user)})


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
