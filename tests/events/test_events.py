"""The culture-events calendar: public list and iCalendar feed of published events; municipal editors write
their own gmina's events only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from obserwatorium.events.models import Event
from tests.form_checks import assert_errors_beside_their_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def upcoming(world):
    start = timezone.localtime() + datetime.timedelta(days=3)
    Event.objects.create(title="Dni Skawiny", starts_at=start, unit=world.skawina, category="festival",
                         status="published")
    Event.objects.create(title="Szkic", starts_at=start, unit=world.skawina)
    Event.objects.create(title="Dawno temu", starts_at=start - datetime.timedelta(days=400), unit=world.wieliczka,
                         status="published")
    return start


def test_calendar_shows_upcoming_published_events_with_filters(world, client, upcoming):
    html = client.get(reverse("events:calendar")).content.decode()
    assert "Dni Skawiny" in html and "Szkic" not in html and "Dawno temu" not in html
    assert "Dawno temu" in client.get(reverse("events:calendar") + "?past=on").content.decode()
    filtered = client.get(reverse("events:calendar") + f"?unit={world.wieliczka.teryt}").content.decode()
    assert "Dni Skawiny" not in filtered


def test_ical_feed_of_events(world, client, upcoming):
    calendar = Calendar.from_ical(client.get(reverse("events:calendar-ical")).content)
    titles = {str(e["summary"]) for e in calendar.walk("VEVENT")}
    assert "Dni Skawiny" in titles and "Szkic" not in titles
    one_gmina = Calendar.from_ical(client.get(reverse("events:calendar-ical") + "?gmina=1219053").content)
    assert {str(e["summary"]) for e in one_gmina.walk("VEVENT")} == {"Wystawa w Wieliczce", "Dawno temu"}


def test_an_editor_adds_an_event_for_their_gmina_preselected(world, client):
    client.force_login(world.users["editor"])
    form = client.get(reverse("events:event-add"))
    assert form.status_code == 200 and form.context["form"].initial["unit"] == world.skawina.pk
    response = client.post(reverse("events:event-add"), {
        "title": "Noc bibliotek", "category": "meeting", "starts_at": "2024-10-04T19:00", "unit": world.skawina.pk,
        "published": "on"})
    event = Event.objects.get(title="Noc bibliotek")
    assert response.status_code == 302 and event.unit == world.skawina
    assert client.get(reverse("events:event", args=[event.pk])).status_code == 200


def test_api_lists_events_with_filters(world, client, upcoming):
    items = client.get("/api/events/events?gmina=1206113").json()["items"]
    assert {e["title"] for e in items} == {"Koncert w Skawinie", "Dni Skawiny"}


def test_an_event_sent_without_its_title_and_start_says_so_on_top_and_beside_each_field(world, client):
    client.force_login(world.users["editor"])
    response = client.post(reverse("events:event-add"), {"title": "", "category": "meeting", "starts_at": "",
                                                         "unit": world.skawina.pk}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code in (200, 400) and not Event.objects.filter(title="").exists()
    heading = assert_errors_beside_their_fields(response.content.decode(), {"id_title", "id_starts_at"})
    assert heading.startswith("Popraw ")
