"""Changed occurrences of a recurring event (iCalendar RECURRENCE-ID): imported as events of their own that stand
in for one occurrence, cancelled ones as exception dates; exported back so that a round trip changes nothing,
across the October DST change."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from obserwatorium.events import selectors
from obserwatorium.events.models import Event, EventFeed
from obserwatorium.events.services import import_feed
from tests.events.feed_texts import ics

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
COMPARED = ("title", "description", "category", "starts_at", "ends_at", "venue", "address", "organiser", "url",
            "free_entry", "all_day", "rrule", "exdates", "recurrence_id")
# Weekly on Tuesdays at 18:00 from 13 October 2026: the clocks go back on 25 October (CEST → CET).
SERIES = """UID:proby@skawina.pl
DTSTART;TZID=Europe/Warsaw:20261013T180000
DTEND;TZID=Europe/Warsaw:20261013T200000
SUMMARY:Próby orkiestry
LOCATION:Dom Kultury
RRULE:FREQ=WEEKLY;COUNT=5
EXDATE;TZID=Europe/Warsaw:20261103T180000"""
MOVED = """UID:proby@skawina.pl
RECURRENCE-ID;TZID=Europe/Warsaw:20261027T180000
DTSTART;TZID=Europe/Warsaw:20261027T190000
DTEND;TZID=Europe/Warsaw:20261027T210000
SUMMARY:Próby orkiestry (później)
LOCATION:Rynek"""
CANCELLED = """UID:proby@skawina.pl
RECURRENCE-ID:20261020T160000Z
DTSTART:20261020T160000Z
SUMMARY:Próby orkiestry
STATUS:CANCELLED"""


@pytest.fixture
def feed(world):
    return EventFeed.objects.create(unit=world.skawina, name="Kalendarz Skawiny", trusted=True,
                                    default_category="workshop", added_by=world.users["editor"])


def _run(feed, world, content):
    return import_feed(feed=feed, content=content, user=world.users["editor"], source="test.ics")


def _local(moment: datetime.datetime) -> str:
    return moment.astimezone(WARSAW).strftime("%Y-%m-%d %H:%M")


def test_a_changed_occurrence_is_an_event_of_its_own_and_a_cancelled_one_an_exception(world, feed):
    report = _run(feed, world, ics(MOVED, SERIES, CANCELLED))  # the order of the feed does not matter
    assert report.status == "imported" and report.counts["created"] == 2, report.as_json()
    series = Event.objects.get(feed=feed, recurrence_id__isnull=True)
    moved = Event.objects.get(feed=feed, recurrence_id__isnull=False)
    assert series.exdates == ["2026-11-03T18:00", "2026-10-20T18:00"]
    assert moved.recurrence_of == series and moved.external_uid == series.external_uid
    assert _local(moved.recurrence_id) == "2026-10-27 18:00" and (moved.rrule, moved.exdates) == ("", [])
    assert (moved.title, moved.venue, _local(moved.starts_at)) == ("Próby orkiestry (później)", "Rynek",
                                                                   "2026-10-27 19:00")
    again = _run(feed, world, ics(SERIES, MOVED, CANCELLED))
    assert again.counts == {"created": 0, "updated": 0, "withdrawn": 0, "unchanged": 2, "rejected": 0}


def test_the_calendar_shows_the_changed_occurrence_instead_of_the_original(world, feed):
    _run(feed, world, ics(SERIES, MOVED, CANCELLED))
    start, end = selectors.month_bounds(datetime.date(2026, 10, 1))
    shown = [(o.event.title, _local(o.starts_at)) for o in selectors.occurrences(start=start, end=end)]
    assert shown == [("Próby orkiestry", "2026-10-13 18:00"), ("Próby orkiestry (później)", "2026-10-27 19:00")]
    november = [_local(o.starts_at) for o in selectors.occurrences(start=end, end=end + datetime.timedelta(days=30))]
    assert november == ["2026-11-10 18:00"]  # 3 November is an exception; 18:00 in winter time too


def test_a_changed_occurrence_is_updated_and_withdrawn_with_the_feed(world, feed):
    _run(feed, world, ics(SERIES, MOVED))
    report = _run(feed, world, ics(SERIES, MOVED.replace("Rynek", "Park Miejski")))
    assert report.counts["updated"] == 1
    assert Event.objects.get(feed=feed, recurrence_id__isnull=False).venue == "Park Miejski"
    gone = _run(feed, world, ics(SERIES))
    assert gone.counts["withdrawn"] == 1
    start, end = selectors.month_bounds(datetime.date(2026, 10, 1))
    assert "2026-10-27 18:00" in [_local(o.starts_at) for o in selectors.occurrences(start=start, end=end)]


def test_an_occurrence_of_an_event_not_in_the_feed_is_left_out_with_a_notice(world, feed):
    report = _run(feed, world, ics(MOVED))
    assert report.status == "imported" and report.counts["created"] == 0
    assert [(n.code, n.property) for n in report.notices] == [("recurrence_override_orphan", "RECURRENCE-ID")]


def test_the_same_occurrence_twice_refuses_the_feed_naming_recurrence_id(world, feed):
    report = _run(feed, world, ics(SERIES, MOVED, MOVED))
    assert report.status == "refused" and not Event.objects.filter(feed=feed).exists()
    assert ("uid_twice", "RECURRENCE-ID") in [(p.code, p.property) for p in report.problems]


def test_the_export_writes_local_times_with_the_zone_and_the_changed_occurrence(world, feed, client):
    _run(feed, world, ics(SERIES, MOVED, CANCELLED))
    text = client.get(reverse("events:calendar-ical")).content
    assert b"DTSTART;TZID=Europe/Warsaw:20261013T180000" in text and b"BEGIN:VTIMEZONE" in text
    assert b"RECURRENCE-ID;TZID=Europe/Warsaw:20261027T180000" in text
    events = [e for e in Calendar.from_ical(text).walk("VEVENT") if str(e["UID"]) == "proby@skawina.pl"]
    assert len(events) == 2


@pytest.mark.parametrize("into", ["same feed", "empty feed"])
def test_round_trip_export_then_import_changes_nothing(world, feed, client, into):
    _run(feed, world, ics(SERIES, MOVED, CANCELLED))
    originals = {(e.title, e.recurrence_id): e for e in Event.objects.filter(feed=feed)}
    # The feed's events only (the gmina has others); the events have no page of their own (URL links ours).
    exported = client.get(reverse("events:category-ical", args=["workshop"])).content
    assert b"URL:http://testserver/events/" in exported
    target = feed if into == "same feed" else EventFeed.objects.create(unit=world.skawina, name="Kopia",
                                                                       trusted=True)
    report = _run(target, world, exported)
    expected = 2 if into == "same feed" else 0
    assert report.status == "imported" and report.counts["unchanged"] == expected, report.as_json()
    copies = {(e.title, e.recurrence_id): e for e in Event.objects.filter(feed=target)}
    assert copies.keys() == originals.keys()
    for key, copy in copies.items():
        assert {n: getattr(copy, n) for n in COMPARED} == {n: getattr(originals[key], n) for n in COMPARED}
    moved = next(e for e in copies.values() if e.recurrence_id)
    assert moved.recurrence_of is not None and moved.recurrence_of.feed == target
    again = _run(target, world, exported)
    assert again.counts == {"created": 0, "updated": 0, "withdrawn": 0, "unchanged": 2, "rejected": 0}
