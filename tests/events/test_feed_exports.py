"""The calendar's feeds for partner portals: iCalendar that reads back (and imports back unchanged), schema.org
JSON valid against its OpenAPI schema, Atom that feedparser reads, and 304 while nothing changed."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import feedparser
import jsonschema
import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from obserwatorium.events.models import Event, EventFeed
from obserwatorium.events.services import import_feed

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
COMPARED = ("title", "description", "category", "starts_at", "ends_at", "venue", "address", "organiser", "url",
            "free_entry", "all_day", "rrule", "exdates")


@pytest.fixture
def calendar_events(world):
    soon = timezone.localtime().replace(hour=18, minute=30, second=0, microsecond=0) + datetime.timedelta(days=5)
    day = soon.replace(hour=0, minute=30)
    made = [
        Event.objects.create(title="Koncert <script>alert(1)</script>", status="published",
                             description="Linia 1\nLinia 2, z przecinkiem; i średnikiem", category="concert",
                             starts_at=soon, ends_at=soon + datetime.timedelta(hours=2),
                             unit=world.skawina, venue="Rynek, scena główna", address="ul. Mickiewicza 1",
                             organiser="Centrum Kultury", url="https://skawina.pl/k", free_entry=True),
        Event.objects.create(title="Dni Wieliczki", status="published", category="festival", unit=world.wieliczka,
                             all_day=True,
                             starts_at=day.replace(minute=0),
                             ends_at=day.replace(minute=0) + datetime.timedelta(days=2),
                             url="https://wieliczka.eu/dni"),
    ]
    return made


def _ics(client, url=None):
    return client.get(url or reverse("events:calendar-ical"))


def test_our_icalendar_reads_back_with_icalendar(world, client, calendar_events):
    calendar = Calendar.from_ical(_ics(client).content)
    by_title = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    concert = by_title["Koncert <script>alert(1)</script>"]
    assert concert.start == calendar_events[0].starts_at and str(concert["X-OBS-VENUE"]) == "Rynek, scena główna"
    festival = by_title["Dni Wieliczki"]
    assert festival.start == calendar_events[1].starts_at.astimezone(WARSAW).date()
    assert str(festival["CATEGORIES"].cats[0]) == "festival"


def test_stable_addresses_per_gmina_and_per_category(world, client, calendar_events):
    def titles(url):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        return {str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}

    assert titles(reverse("events:gmina-ical", args=[world.wieliczka.teryt])) == {"Dni Wieliczki",
                                                                                   "Wystawa w Wieliczce"}
    assert titles(reverse("events:category-ical", args=["festival"])) == {"Dni Wieliczki"}
    assert client.get(reverse("events:category-ical", args=["nonsense"])).status_code == 404
    assert client.get(reverse("events:gmina-ical", args=["9999999"])).status_code == 404


def test_round_trip_our_export_imported_into_an_empty_feed_gives_equal_events(world, client, calendar_events,
                                                                              settings):
    settings.ALLOWED_HOSTS = ["obserwatorium.example.org"]  # the links of events without a page of their own
    soon = calendar_events[0].starts_at
    Event.objects.create(title="Próby orkiestry", status="published", unit=world.skawina, starts_at=soon,
                         rrule="FREQ=WEEKLY;COUNT=6;BYDAY=TU",  # in RFC 5545's usual order, as icalendar writes it
                         exdates=[(soon + datetime.timedelta(days=14)).astimezone(WARSAW).replace(tzinfo=None)
                                  .isoformat(timespec="minutes")])
    exported = client.get(reverse("events:calendar-ical"), HTTP_HOST="obserwatorium.example.org").content
    originals = {e.title: e for e in Event.objects.public()}
    feed = EventFeed.objects.create(unit=world.skawina, name="Kopia", trusted=True)
    first = import_feed(feed=feed, content=exported, user=world.users["office"])
    assert first.status == "imported" and first.counts["created"] == len(originals), first.as_json()["problems"]
    for copy in Event.objects.filter(feed=feed):
        original = originals[copy.title]
        values = {name: getattr(copy, name) for name in COMPARED}
        expected = {name: getattr(original, name) for name in COMPARED}
        assert values == expected, copy.title
    second = import_feed(feed=feed, content=exported, user=world.users["office"])
    assert second.counts == {"created": 0, "updated": 0, "withdrawn": 0, "unchanged": len(originals),
                             "rejected": 0}


def _schema_of_partner_feed(client) -> dict:
    openapi = client.get("/api/openapi.json").json()
    operation = openapi["paths"]["/api/events/schema-org"]["get"]
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return {**body, "components": openapi["components"]}


def test_partner_json_is_schema_org_and_valid_against_its_openapi_schema(world, client, calendar_events):
    response = client.get("/api/events/schema-org")
    assert response.status_code == 200
    items = response.json()
    jsonschema.validate(items, _schema_of_partner_feed(client))
    concert = next(item for item in items if item["name"].startswith("Koncert"))
    assert concert["@context"] == "https://schema.org" and concert["@type"] == "Event"
    assert concert["location"]["@type"] == "Place" and concert["location"]["name"] == "Rynek, scena główna"
    assert concert["location"]["address"]["addressLocality"] == "Skawina"
    assert concert["organizer"] == {"@type": "Organization", "name": "Centrum Kultury"}
    assert concert["isAccessibleForFree"] is True and concert["inLanguage"] in ("pl", "en")
    assert datetime.datetime.fromisoformat(concert["startDate"]) == calendar_events[0].starts_at
    festival = next(item for item in items if item["name"] == "Dni Wieliczki")
    assert festival["startDate"] == calendar_events[1].starts_at.astimezone(WARSAW).date().isoformat()
    # Past events are left out unless asked for; a gmina narrows the list.
    assert "Koncert w Skawinie" not in {item["name"] for item in items}
    older = client.get("/api/events/schema-org?since=2024-01-01&gmina=1206113").json()
    assert {item["name"] for item in older} == {"Koncert w Skawinie", calendar_events[0].title}
    assert client.get("/api/events/schema-org?gmina=<x>").status_code == 422


def test_atom_of_upcoming_events_reads_with_feedparser_and_neutralises_markup(world, client, calendar_events):
    response = client.get(reverse("events:upcoming-atom"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    titles = {entry.title for entry in parsed.entries}
    assert titles == {"Koncert <script>alert(1)</script>", "Dni Wieliczki"}  # the past ones are not upcoming
    concert = next(entry for entry in parsed.entries if entry.title.startswith("Koncert"))
    assert "<script" not in response.content.decode().split("<summary")[1].split("</summary>")[0].replace("&lt;", "")
    assert concert.link.endswith(f"/events/{calendar_events[0].pk}/")


@pytest.mark.parametrize("url", ["/events/calendar.ics", "/events/gmina/1206113/calendar.ics",
                                 "/events/category/concert/calendar.ics", "/events/upcoming.atom",
                                 "/api/events/schema-org"])
def test_every_feed_answers_304_until_the_calendar_changes(world, client, calendar_events, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    event = calendar_events[0]
    event.title = "Koncert przeniesiony"
    event.save()
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_recurring_event_is_exported_with_its_rule_and_exceptions(world, client):
    start = timezone.now().astimezone(WARSAW).replace(hour=18, minute=0, second=0, microsecond=0) \
        + datetime.timedelta(days=2)
    skipped = (start + datetime.timedelta(days=7)).replace(tzinfo=None).isoformat(timespec="minutes")
    Event.objects.create(title="Próby chóru", status="published", unit=world.skawina, starts_at=start,
                         rrule="FREQ=WEEKLY;COUNT=5", exdates=[skipped])
    calendar = Calendar.from_ical(_ics(client).content)
    event = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Próby chóru")
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=5"
    assert [d.dt.astimezone(WARSAW).replace(tzinfo=None).isoformat(timespec="minutes")
            for d in event["EXDATE"].dts] == [skipped]


def test_partner_json_is_paginated_in_a_stable_order_with_links(world, client):
    start = timezone.now().astimezone(WARSAW).replace(hour=18, minute=0, second=0, microsecond=0) \
        + datetime.timedelta(days=3)
    Event.objects.bulk_create([Event(title=f"Wieczór {n % 3}", status="published", published=True, unit=world.skawina,
                                     starts_at=start + datetime.timedelta(hours=n // 2)) for n in range(7)])
    seen: list[str] = []
    url = "/api/events/schema-org?page_size=3&gmina=1206113"
    pages = 0
    while url:
        response = client.get(url)
        assert response.status_code == 200 and response["X-Total-Count"] == "7"
        seen += [item["identifier"] for item in response.json()]
        links = {rel: address for address, rel in
                 (part.split("; rel=") for part in response["Link"].split(", "))}
        assert links['"first"'].endswith("page=1>") and links['"last"'].endswith("page=3>")
        url = links.get('"next"', "").strip("<>").replace("http://testserver", "")
        pages += 1
    assert pages == 3 and len(seen) == len(set(seen)) == 7
    again = [item["identifier"] for p in (1, 2, 3)
             for item in client.get(f"/api/events/schema-org?page_size=3&gmina=1206113&page={p}").json()]
    assert again == seen  # the same order every time (start, title, id)
    assert client.get("/api/events/schema-org?page=4&page_size=3&gmina=1206113").json() == []
    assert client.get("/api/events/schema-org?page_size=1001").status_code == 422
    operation = client.get("/api/openapi.json").json()["paths"]["/api/events/schema-org"]["get"]
    assert {"Link", "X-Total-Count"} <= operation["responses"]["200"]["headers"].keys()
    assert {"page", "page_size"} <= {p["name"] for p in operation["parameters"]}


def test_a_moved_occurrence_is_rescheduled_in_the_partner_json(world, client):
    start = timezone.now().astimezone(WARSAW).replace(hour=18, minute=0, second=0, microsecond=0) \
        + datetime.timedelta(days=2)
    series = Event.objects.create(title="Próby", status="published", unit=world.skawina, starts_at=start,
                                  rrule="FREQ=WEEKLY;COUNT=3")
    Event.objects.create(title="Próby później", status="published", unit=world.skawina, recurrence_of=series,
                         recurrence_id=start + datetime.timedelta(days=7),
                         starts_at=start + datetime.timedelta(days=7, hours=1))
    items = {item["name"]: item for item in client.get("/api/events/schema-org").json()}
    jsonschema.validate(list(items.values()), _schema_of_partner_feed(client))
    moved = items["Próby później"]
    assert moved["eventStatus"] == "https://schema.org/EventRescheduled"
    assert datetime.datetime.fromisoformat(moved["previousStartDate"]) == start + datetime.timedelta(days=7)
    assert moved["identifier"] != items["Próby"]["identifier"] and moved["@id"].endswith("/")
    assert items["Próby"]["eventStatus"] == "https://schema.org/EventScheduled"
    assert items["Próby"]["previousStartDate"] is None
