"""Markup in any text of an event or a feed never runs: a walk over every page of the calendar (each address of
events/urls.py that answers GET), the home, gmina and search pages, and every feed (iCalendar, Atom, JSON)."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone
from icalendar import Calendar

from obserwatorium.events import urls as event_urls
from obserwatorium.events.feed_problems import Problem
from obserwatorium.events.feed_report import FeedReport
from obserwatorium.events.models import Event, EventFeed

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">k</a>'
TEXTS = ("title", "description", "venue", "address", "organiser")
RAW = ("<script>alert", "<img src=x", 'href="javascript:')


@pytest.fixture
def marked(world):
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    event = Event.objects.create(starts_at=start, ends_at=start + timedelta(hours=2), unit=world.skawina,
                                 category="film", status="published", rrule="FREQ=WEEKLY;COUNT=3",
                                 **{name: SCRIPT for name in TEXTS})
    Event.objects.create(starts_at=start + timedelta(days=1), unit=world.skawina, category="film",
                         status="submitted", submitted_by=world.users["editor"], **{name: SCRIPT for name in TEXTS})
    report = FeedReport(source=SCRIPT, started_at=timezone.now())
    report.refuse(Problem("fetch_unreachable", params={"url": SCRIPT, "detail": SCRIPT}))
    feed = EventFeed.objects.create(unit=world.skawina, name=SCRIPT, url="https://skawina.pl/k.ics",
                                    added_by=world.users["editor"], last_status=report.status,
                                    last_report=report.as_json(), last_run_at=timezone.now())
    return event, feed


def _event_pages(world, event: Event, feed: EventFeed) -> list[str]:
    values = {"pk": event.pk, "teryt": world.skawina.teryt, "category": "film"}
    pages = []
    for pattern in event_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = list(pattern.pattern.regex.groupindex)
        kwargs = {name: (feed.pk if name == "pk" and "feeds/" in str(pattern.pattern) else values[name])
                  for name in names}
        pages.append(reverse(f"events:{pattern.name}", kwargs=kwargs))
    return pages


def _strings(value: object) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_strings(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_strings(item) for item in value))
    return {value} if isinstance(value, str) else set()


def _assert_neutral(response, path: str) -> None:
    kind = response.get("Content-Type", "")
    body = response.content.decode()
    if kind.startswith("text/calendar"):
        texts = {str(e.get(p, "")) for e in Calendar.from_ical(response.content).walk("VEVENT")
                 for p in ("SUMMARY", "DESCRIPTION")}
        assert SCRIPT in texts, path  # kept as text, the calendar app shows it as text
    elif "atom" in kind or "rss" in kind:
        parsed = feedparser.parse(response.content)
        assert parsed.entries, path
        for entry in parsed.entries:
            assert not any(raw in entry.get("summary", "") for raw in RAW), path
        assert "<script>alert" not in body, path
    elif kind.startswith("application/json"):
        assert SCRIPT in _strings(response.json()), path  # data, as sent: a portal escapes it when showing it
        assert response["X-Content-Type-Options"] == "nosniff"
    else:
        assert kind.startswith("text/html"), (path, kind)
        assert not any(raw in body for raw in RAW), path


@pytest.mark.parametrize("role", ["office", "editor", None])
def test_no_markup_runs_on_any_page_or_feed(client, world, marked, role):
    event, feed = marked
    if role:
        client.force_login(world.users[role])
    pages = _event_pages(world, event, feed) + [
        "/", reverse("web:unit", args=[world.skawina.slug]), reverse("search:search") + "?q=alert",
        reverse("events:calendar") + "?view=list", "/api/events/schema-org", "/api/events/events",
        f"/api/events/events/{event.pk}", reverse("events:calendar-ical") + "?gmina=" + world.skawina.teryt,
    ]
    walked = 0
    for path in pages:
        response = client.get(path)
        if response.status_code in (302, 403, 404, 405):  # not for this role, or a step that takes POST only
            continue
        assert response.status_code == 200, (path, response.status_code)
        _assert_neutral(response, path)
        walked += 1
    assert walked >= (20 if role == "office" else 12)
