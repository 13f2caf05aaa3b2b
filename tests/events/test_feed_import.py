"""Importing a gmina's iCalendar feed: matched by UID, updated, withdrawn, all or nothing, every problem named."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obserwatorium.events.feed_problems import FeedRefused
from obserwatorium.events.ical_reader import read_feed
from obserwatorium.events.models import Event, EventFeed
from obserwatorium.events.services import import_feed
from obserwatorium.history.models import ChangeRecord
from tests.events.feed_texts import CONCERT, FAIR, FLOATING, LECTURE_UTC, ics

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def feed(world):
    return EventFeed.objects.create(unit=world.skawina, name="Kalendarz Skawiny", url="https://skawina.pl/k.ics",
                                    default_category="other", trusted=True, added_by=world.users["editor"])


def _run(feed, world, content, role="editor"):
    return import_feed(feed=feed, content=content, user=world.users[role], source="test.ics")


def _events(feed):
    return {e.external_uid: e for e in Event.objects.filter(feed=feed)}


def test_a_feed_creates_its_events_with_the_times_it_means(world, feed):
    report = _run(feed, world, ics(CONCERT, FAIR, LECTURE_UTC, FLOATING))
    assert report.status == "imported" and report.counts["created"] == 4, report.as_json()
    events = _events(feed)
    concert = events["koncert-1@skawina.pl"]
    assert concert.starts_at == datetime.datetime(2025, 6, 14, 18, tzinfo=WARSAW)
    assert concert.ends_at == datetime.datetime(2025, 6, 14, 20, tzinfo=WARSAW)
    assert (concert.category, concert.venue, concert.unit, concert.published) == (
        "concert", "Rynek w Skawinie", world.skawina, True)
    assert concert.description == "Orkiestra dęta <b>gra</b>"  # kept as text; pages and feeds escape it
    fair = events["jarmark@skawina.pl"]
    assert fair.all_day and fair.starts_at == datetime.datetime(2025, 7, 5, tzinfo=WARSAW)
    assert fair.ends_at == datetime.datetime(2025, 7, 7, tzinfo=WARSAW) and fair.category == "other"
    lecture = events["wyklad@skawina.pl"]
    assert lecture.starts_at == datetime.datetime(2025, 3, 1, 18, tzinfo=WARSAW)  # 17:00 UTC, winter time
    assert lecture.ends_at - lecture.starts_at == datetime.timedelta(minutes=90)
    # A floating time is Warsaw's: on the day summer time ends, 10:00 is 09:00 UTC.
    workshop = events["warsztaty@skawina.pl"]
    assert workshop.starts_at == datetime.datetime(2025, 10, 26, 9, tzinfo=datetime.UTC)
    assert workshop.organiser == "Centrum Kultury"
    assert ChangeRecord.objects.filter(action="created", via="bulk", user=world.users["editor"]).count() == 4


def test_the_same_feed_again_changes_nothing(world, feed):
    _run(feed, world, ics(CONCERT, FAIR))
    history = ChangeRecord.objects.count()
    report = _run(feed, world, ics(CONCERT, FAIR))
    assert report.counts == {"created": 0, "updated": 0, "withdrawn": 0, "unchanged": 2, "rejected": 0}
    assert ChangeRecord.objects.count() == history


def test_a_changed_event_is_updated_and_an_older_version_left_alone(world, feed):
    _run(feed, world, ics(CONCERT))
    moved = CONCERT.replace("SEQUENCE:0", "SEQUENCE:1").replace("T180000", "T190000").replace("Rynek w", "Park w")
    report = _run(feed, world, ics(moved))
    assert report.counts["updated"] == 1
    concert = _events(feed)["koncert-1@skawina.pl"]
    assert concert.starts_at == datetime.datetime(2025, 6, 14, 19, tzinfo=WARSAW) and concert.venue == "Park w Skawinie"
    assert concert.external_sequence == 1
    stale = _run(feed, world, ics(CONCERT))  # SEQUENCE:0 again: an older copy
    assert stale.counts["unchanged"] == 1 and [n.code for n in stale.notices] == ["older_version"]
    assert _events(feed)["koncert-1@skawina.pl"].venue == "Park w Skawinie"


def test_cancelled_and_vanished_events_are_withdrawn_with_the_reason(world, feed):
    _run(feed, world, ics(CONCERT, FAIR, LECTURE_UTC))
    cancelled = CONCERT.replace("SEQUENCE:0", "SEQUENCE:1\nSTATUS:CANCELLED")
    report = _run(feed, world, ics(cancelled, FAIR))
    assert report.counts == {"created": 0, "updated": 0, "withdrawn": 2, "unchanged": 1, "rejected": 0}
    events = _events(feed)
    concert, lecture = events["koncert-1@skawina.pl"], events["wyklad@skawina.pl"]
    assert concert.archived_at is not None and "CANCELLED" in concert.withdrawal_reason
    assert lecture.archived_at is not None and lecture.withdrawal_reason
    assert ChangeRecord.objects.filter(action="archived", object_id=str(concert.pk), via="bulk").exists()
    assert not Event.objects.public().filter(feed=feed, external_uid="wyklad@skawina.pl").exists()
    back = _run(feed, world, ics(FAIR, LECTURE_UTC))  # the lecture is back in the feed
    assert back.counts["updated"] == 1
    assert Event.objects.public().filter(feed=feed, external_uid="wyklad@skawina.pl").exists()


def test_an_event_archived_in_the_calendar_is_not_brought_back_by_the_feed(world, feed):
    from obserwatorium.registry.services import archive_record

    _run(feed, world, ics(CONCERT))
    archive_record(record=_events(feed)["koncert-1@skawina.pl"], user=world.users["office"])
    report = _run(feed, world, ics(CONCERT))
    assert report.counts["unchanged"] == 1 and _events(feed)["koncert-1@skawina.pl"].archived_at is not None


def test_an_untrusted_feed_brings_its_events_unpublished(world, feed):
    feed.trusted = False
    feed.save()
    _run(feed, world, ics(CONCERT))
    assert not Event.objects.public().filter(feed=feed).exists() and Event.objects.filter(feed=feed).exists()
    # … submitted, in the office's moderation queue; a trusted feed's arrive published
    assert set(Event.objects.filter(feed=feed).values_list("status", flat=True)) == {"submitted"}
    queue = Client()
    queue.force_login(world.users["office"])
    assert "Koncert" in queue.get("/events/moderation/").content.decode()


def _unchanged(feed, report):
    return report.status == "refused" and not Event.objects.filter(feed=feed).exists()


@pytest.mark.parametrize(("content", "code"), [
    (b"", "feed_empty"),
    (b"<html><body>Nie ma takiej strony</body></html>", "feed_not_icalendar"),
    (b"\x89PNG\r\n\x1a\n\x00\x00garbage", "feed_not_icalendar"),
    (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nnot a content line\r\n", "feed_unreadable"),
    (b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"x" * (10 * 1024 * 1024) + b"\r\nEND:VCALENDAR\r\n", "feed_too_large"),
])
def test_a_bad_feed_changes_nothing_and_says_why(world, feed, content, code):
    report = _run(feed, world, ics(CONCERT))
    history = ChangeRecord.objects.count()
    before = list(Event.objects.filter(feed=feed).values())
    report = _run(feed, world, content)
    assert report.status == "refused" and report.problems[0].code == code, report.as_json()
    assert report.problems[0].message()
    assert list(Event.objects.filter(feed=feed).values()) == before and ChangeRecord.objects.count() == history
    feed.refresh_from_db()
    assert feed.last_status == "refused" and feed.last_report["problems"][0]["code"] == code


def test_one_broken_event_refuses_the_feed_naming_its_uid_and_property(world, feed):
    broken = FAIR.replace("DTSTART;VALUE=DATE:20250705", "DTSTART:2025-07-05 10:00")
    no_title = LECTURE_UTC.replace("SUMMARY:Wykład o historii\n", "").replace("SUMMARY:Wykład o historii", "")
    backwards = FLOATING.replace("DTEND:20251026T120000", "DTEND:20251026T080000")
    bad_link = CONCERT.replace("URL:https://skawina.pl/koncert", "URL:javascript:alert(1)")
    report = _run(feed, world, ics(broken, no_title, backwards, bad_link))
    assert _unchanged(feed, report)
    found = {(p.uid, p.property, p.code) for p in report.problems}
    assert {("jarmark@skawina.pl", "DTSTART", "value_broken"), ("wyklad@skawina.pl", "SUMMARY", "value_missing"),
            ("warsztaty@skawina.pl", "DTEND", "end_before_start"),
            ("koncert-1@skawina.pl", "URL", "url_bad")} <= found, found
    assert report.counts["rejected"] == 4 and report.counts["created"] == 0


def test_uids_missing_or_twice_are_refused(world, feed):
    report = _run(feed, world, ics(CONCERT, CONCERT, FAIR.replace("UID:jarmark@skawina.pl\n", "")))
    assert _unchanged(feed, report)
    assert report.problems[0].code == "rows_rejected"
    assert {(p.uid, p.code) for p in report.problems[1:]} == {("koncert-1@skawina.pl", "uid_twice"),
                                                              ("#3", "uid_missing")}


def test_a_feed_of_another_gmina_is_refused_to_the_editor(world):
    other = EventFeed.objects.create(unit=world.wieliczka, name="Wieliczka", trusted=True)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_feed(feed=other, content=ics(CONCERT), user=world.users["editor"])
    assert not Event.objects.filter(feed=other).exists()


def test_a_bad_recurrence_rule_refuses_the_feed_naming_rrule(world, feed):
    report = _run(feed, world, ics(CONCERT + "\nRRULE:FREQ=SECONDLY;COUNT=3"))
    assert report.status == "refused" and not Event.objects.filter(feed=feed).exists()
    assert any(p.property == "RRULE" for p in report.problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.binary(max_size=300), lines=st.lists(st.sampled_from([
    "UID:x", "UID:y", "DTSTART:20250101T100000", "DTSTART;VALUE=DATE:2025", "DTEND:19990101T000000Z",
    "DURATION:PT-1H", "DURATION:zzz", "SUMMARY:a", "SEQUENCE:abc", "LAST-MODIFIED:nope", "STATUS:CANCELLED",
    "RRULE:FREQ=NOPE", "BEGIN:VEVENT", "END:VEVENT", "CATEGORIES:,,", "URL:ftp://x", "X-OBS-VENUE:" + "v" * 400,
]), max_size=25))
def test_no_feed_breaks_the_reader(noise, lines):
    """Whatever a feed holds, the reader answers with items and problems or refuses it, never with another error."""
    text = "BEGIN:VCALENDAR\r\n" + "\r\n".join(lines) + "\r\nEND:VCALENDAR\r\n"
    for content in (text.encode(), text.encode() + noise, b"BEGIN:VCALENDAR\r\n" + noise):
        try:
            read = read_feed(content, default_category="other")
        except FeedRefused as refusal:
            assert refusal.problem.message()
        else:
            assert all(problem.message() for problem in read.problems + read.notices)
