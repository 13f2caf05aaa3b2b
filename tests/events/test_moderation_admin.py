"""Moderation from the admin: "publish" and "reject with the reason" as actions on the selected events, through
events.services (history, the submitter told by e-mail); only submitted events are moderated."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from obserwatorium.events import services
from obserwatorium.events.models import Event, Status
from obserwatorium.history.selectors import changes_of
from tests.registry_fixtures import when

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:events_event_changelist"


@pytest.fixture
def submitted(world):
    editor = world.users["editor"]
    editor.email = "redakcja@skawina.example"
    editor.save()
    events = [Event.objects.create(title=f"Festyn {n}", starts_at=when(20, 15, month=6, year=2030),
                                   unit=world.skawina) for n in range(3)]
    for event in events:
        services.submit_event(event=event, user=editor)
    return events


def _post(client, action, events, **extra):
    return client.post(reverse(CHANGELIST), {"action": action, "index": 0,
                                             "_selected_action": [e.pk for e in events], **extra})


def test_publish_selected_from_the_admin(world, client, submitted, django_capture_on_commit_callbacks):
    client.force_login(world.users["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, "publish_selected", submitted[:2])
    assert response.status_code == 302
    statuses = [Event.objects.get(pk=e.pk).status for e in submitted]
    assert statuses == [Status.PUBLISHED, Status.PUBLISHED, Status.SUBMITTED]
    assert len(mail.outbox) == 2 and all(m.to == ["redakcja@skawina.example"] for m in mail.outbox)
    assert changes_of(Event.objects.get(pk=submitted[0].pk))[0].via == "admin"


def test_reject_selected_asks_for_the_reason_then_rejects_and_tells(world, client, submitted,
                                                                    django_capture_on_commit_callbacks):
    client.force_login(world.users["office"])
    page = _post(client, "reject_selected", submitted[:2])
    html = page.content.decode()
    assert page.status_code == 200 and "Festyn 0" in html and "Festyn 2" not in html and 'name="reason"' in html
    empty = _post(client, "reject_selected", submitted[:2], apply="1", reason="  ")
    assert empty.status_code == 400 and 'aria-invalid="true"' in empty.content.decode()
    assert Event.objects.filter(status=Status.REJECTED).count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        done = _post(client, "reject_selected", submitted[:2], apply="1", reason="Brak adresu.")
    assert done.status_code == 302
    rejected = Event.objects.filter(status=Status.REJECTED).order_by("pk")
    assert [e.title for e in rejected] == ["Festyn 0", "Festyn 1"]
    assert all(e.rejection_reason == "Brak adresu." for e in rejected)
    assert len(mail.outbox) == 2 and "Brak adresu." in mail.outbox[0].body


def test_only_submitted_events_are_moderated_from_the_admin(world, client, submitted):
    services.publish_event(event=submitted[0], user=world.users["office"])
    draft = Event.objects.create(title="Szkic", starts_at=when(20, 15, month=6, year=2030), unit=world.skawina)
    client.force_login(world.users["office"])
    response = _post(client, "reject_selected", [submitted[0], draft], apply="1", reason="Nie.")
    assert response.status_code == 302
    assert Event.objects.get(pk=submitted[0].pk).status == Status.PUBLISHED
    assert Event.objects.get(pk=draft.pk).status == Status.DRAFT
    followed = client.get(response["Location"])
    assert "None of the selected events" in followed.content.decode() or "Żadne" in followed.content.decode()


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_reason_page_in_both_languages(world, client, submitted, language):
    client.force_login(world.users["office"])
    client.cookies["django_language"] = language
    html = _post(client, "reject_selected", submitted[:1]).content.decode()
    assert ("Powód odrzucenia" if language == "pl" else "Reason for the rejection") in html
