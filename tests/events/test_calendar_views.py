"""The calendar's views: the month (a table with headers), the upcoming list (paginated), per gmina and per
category, occurrences of recurring events, both languages, and event text never running as HTML or script."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from obserwatorium.events import services
from obserwatorium.events.models import Event
from obserwatorium.events.recurrence import WARSAW

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def october(world):
    weekly = Event.objects.create(title="Próby chóru", starts_at=datetime(2026, 10, 6, 18, tzinfo=WARSAW),
                                  ends_at=datetime(2026, 10, 6, 20, tzinfo=WARSAW), unit=world.skawina,
                                  category="concert", rrule="FREQ=WEEKLY;COUNT=6", exdates=["2026-10-20T18:00"],
                                  status="published")
    single = Event.objects.create(title="Wernisaż", starts_at=datetime(2026, 10, 9, 17, tzinfo=WARSAW),
                                  unit=world.wieliczka, category="exhibition", status="published")
    return weekly, single


def test_month_view_is_a_table_with_the_occurrences_on_their_days(client, october):
    response = client.get(reverse("events:calendar") + "?month=2026-10")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<table class="month"' in html and html.count('<th scope="col">') == 7
    days = {day["date"].day: [o.event.title for o in day["occurrences"]]
            for week in response.context["weeks"] for day in week if day["in_month"]}
    assert days[6] == days[13] == days[27] == ["Próby chóru"] and days[20] == []  # 20 October is an exception
    assert days[9] == ["Wernisaż"]
    # 27 October is after the change to winter time: still 18:00 on the page.
    late = next(o for o in response.context["occurrences"] if o.starts_at.day == 27)
    assert late.starts_at.isoformat() == "2026-10-27T18:00:00+01:00" and ">18:00 Próby chóru<" in html
    assert "paź" in html.lower() or "październik" in html.lower()
    november = client.get(reverse("events:calendar") + "?month=2026-11").context["occurrences"]
    assert [o.starts_at.day for o in november] == [3, 10]  # COUNT=6 from 6 October: the 5th and 6th dates
    assert client.get(reverse("events:calendar") + "?month=2026-13").status_code == 404


def test_per_gmina_and_per_category_views(client, world, october):
    gmina = client.get(reverse("events:gmina", args=[world.wieliczka.teryt]) + "?month=2026-10")
    assert {o.event.title for o in gmina.context["occurrences"]} == {"Wernisaż"}
    category = client.get(reverse("events:category", args=["concert"]) + "?month=2026-10")
    assert {o.event.title for o in category.context["occurrences"]} == {"Próby chóru"}
    assert client.get(reverse("events:category", args=["nope"])).status_code == 404
    assert client.get(reverse("events:gmina", args=["0000000"])).status_code == 404


def test_the_list_shows_upcoming_occurrences_paginated(client, world):
    start = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) + timedelta(days=1)
    Event.objects.create(title="Codziennie", starts_at=start, unit=world.skawina, rrule="FREQ=DAILY;COUNT=40",
                         status="published")
    first = client.get(reverse("events:calendar"))
    assert first.context["page"].paginator.count == 40 and len(first.context["occurrences"]) == 25
    second = client.get(reverse("events:calendar") + "?page=2")
    assert len(second.context["occurrences"]) == 15 and 'rel="prev"' in second.content.decode()


@pytest.mark.parametrize(("language", "words"), [("pl", ["Miesiąc", "Poprzedni miesiąc", "Pon", "października"]),
                                                 ("en", ["Month", "Previous month", "Mon", "October"])])
def test_month_view_in_both_languages(client, october, language, words):
    client.cookies["django_language"] = language
    html = client.get(reverse("events:calendar") + "?month=2026-10").content.decode()
    assert f'<html lang="{language}">' in html
    assert all(word in html for word in words)


def test_event_text_never_runs_as_html_or_script_on_any_page(client, world, django_capture_on_commit_callbacks):
    from django.core import mail

    editor = world.users["editor"]
    editor.email = "e@example.org"
    editor.save()
    values = {name: SCRIPT for name in ("title", "description", "venue", "address", "organiser")}
    event = Event.objects.create(starts_at=datetime(2026, 10, 8, 12, tzinfo=WARSAW), unit=world.skawina,
                                 category="film", **values)
    services.submit_event(event=event, user=editor)
    client.force_login(world.users["office"])
    pages = [reverse("events:moderation"), reverse("events:event", args=[event.pk])]
    client.force_login(editor)
    pages_editor = [reverse("events:mine"), reverse("events:event", args=[event.pk]),
                    reverse("events:event-edit", args=[event.pk])]
    for path in pages_editor:
        html = client.get(path).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, path
    client.force_login(world.users["office"])
    for path in pages:
        html = client.get(path).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, path
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_event(event=event, user=world.users["office"])
    assert "<script>alert" not in mail.outbox[0].alternatives[0][0]
    client.logout()
    for path in [reverse("events:calendar") + "?month=2026-10", reverse("events:calendar") + "?past=on",
                 reverse("events:gmina", args=[world.skawina.teryt]) + "?month=2026-10",
                 reverse("events:category", args=["film"]) + "?month=2026-10",
                 reverse("events:event", args=[event.pk])]:
        html = client.get(path).content.decode()
        assert "&lt;script&gt;alert" in html and "<script>alert" not in html and "<img src=x" not in html, path


def test_drafts_are_seen_by_their_gmina_and_the_office_only(client, world):
    draft = Event.objects.create(title="Szkic", starts_at=datetime(2026, 10, 8, 12, tzinfo=WARSAW),
                                 unit=world.skawina)
    url = reverse("events:event", args=[draft.pk])
    for role, status in (("editor", 200), ("office", 200), ("coordinator", 404), ("public", 404)):
        client.force_login(world.users[role])
        assert client.get(url).status_code == status, role
    client.logout()
    assert client.get(url).status_code == 404
    assert "Szkic" not in client.get(reverse("events:calendar") + "?month=2026-10").content.decode()
