"""Event moderation: a gmina's editor drafts and submits, the office publishes or rejects with a reason, the
submitter is e-mailed (plain text and HTML, in their language), and only published events are public."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from obserwatorium.events import services
from obserwatorium.events.models import Event, Status
from obserwatorium.history.selectors import changes_of
from tests.registry_fixtures import when

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(world):
    user = world.users["editor"]
    user.email = "redakcja@skawina.example"
    user.first_name = "Ewa"
    user.save()
    return user


def _draft(world, title="Festyn rodzinny", unit=None) -> Event:
    return Event.objects.create(title=title, starts_at=when(20, 15, month=6, year=2030), unit=unit or world.skawina)


def test_an_editor_cannot_publish_through_the_form_any_more(world, client):
    """The old form had a pre-ticked "published" box: the editor's event went straight to the public calendar."""
    client.force_login(world.users["editor"])
    form = client.get(reverse("events:event-add")).context["form"]
    assert "published" not in form.fields and "status" not in form.fields
    response = client.post(reverse("events:event-add"), {
        "title": "Noc bibliotek", "category": "meeting", "starts_at": "2030-10-04T19:00", "unit": world.skawina.pk,
        "published": "on", "status": "published"})
    event = Event.objects.get(title="Noc bibliotek")
    assert response.status_code == 302
    assert (event.status, event.published) == (Status.DRAFT, False)
    client.logout()
    assert "Noc bibliotek" not in client.get(reverse("events:calendar")).content.decode()
    assert client.get(reverse("events:event", args=[event.pk])).status_code == 404


def test_editor_submits_office_publishes_and_the_submitter_is_told(world, client, editor,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(editor)
    response = client.post(reverse("events:event-add"), {
        "title": "Koncert w parku", "category": "concert", "starts_at": "2030-06-21T18:00", "unit": world.skawina.pk,
        "action": "submit"})
    event = Event.objects.get(title="Koncert w parku")
    assert response.status_code == 302 and event.status == Status.SUBMITTED and not event.published
    assert event.submitted_by == editor and event.submitted_at is not None and event.submitter_language == "pl"
    mine = client.get(reverse("events:mine")).content.decode()
    assert "Koncert w parku" in mine and "Przesłane do akceptacji" in mine
    # The editor may not publish it: not from the queue, not one by one.
    assert client.get(reverse("events:moderation")).status_code == 403
    assert client.post(reverse("events:event-publish", args=[event.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.publish_event(event=event, user=editor)
    event.refresh_from_db()
    assert event.status == Status.SUBMITTED

    client.force_login(world.users["office"])
    queue = client.get(reverse("events:moderation"))
    # Oldest first: the world's event submitted in 2024 waits longer.
    assert [row["event"].pk for row in queue.context["rows"]] == [world.event_skawina_submitted.pk, event.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:moderation-publish"), {"selected": [event.pk]})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.published, event.decided_by) == (Status.PUBLISHED, True, world.users["office"])
    assert "Koncert w parku" in client.get(reverse("events:calendar") + "?month=2030-06").content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["redakcja@skawina.example"]
    assert message.subject == "Twoje wydarzenie zostało opublikowane: Koncert w parku"
    assert "Ewa" in message.body and f"/events/{event.pk}/" in message.body
    html, media_type = message.alternatives[0]
    assert media_type == "text/html" and "opublikowane" in html and 'lang="pl"' in html
    history = changes_of(event).order_by("changed_at", "pk")
    assert [(c.user_id, c.after["status"]) for c in history] == [
        (editor.pk, "submitted"), (world.users["office"].pk, "published")]


def test_reject_needs_a_reason_and_tells_the_submitter_in_their_language(world, client, editor,
                                                                         django_capture_on_commit_callbacks):
    event = _draft(world)
    with services.translation.override("en"):
        services.submit_event(event=event, user=editor)
    client.force_login(world.users["office"])
    response = client.post(reverse("events:event-reject", args=[event.pk]), {f"reject-{event.pk}-reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'aria-invalid="true"' in html
    event.refresh_from_db()
    assert event.status == Status.SUBMITTED and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:event-reject", args=[event.pk]),
                               {f"reject-{event.pk}-reason": "Brak godziny zakończenia <b>i</b> adresu."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Status.REJECTED and event.rejection_reason.startswith("Brak godziny")
    message = mail.outbox[0]
    assert message.subject == "Your event was not accepted: Festyn rodzinny"
    assert "Brak godziny zakończenia <b>i</b> adresu." in message.body  # plain text is not HTML-escaped
    assert "&lt;b&gt;i&lt;/b&gt;" in message.alternatives[0][0]  # the HTML part escapes it
    # The editor sees the outcome, corrects the event and submits it again.
    client.force_login(editor)
    assert "Brak godziny" in client.get(reverse("events:mine")).content.decode()
    assert client.post(reverse("events:event-submit", args=[event.pk])).status_code == 302
    event.refresh_from_db()
    assert event.status == Status.SUBMITTED and event.rejection_reason == ""


def test_the_queue_is_oldest_first_and_publish_selected_publishes_only_the_selected(world, client):
    editor = world.users["editor"]
    first, second, third = (_draft(world, title) for title in ("Pierwsze", "Drugie", "Trzecie"))
    for event in (second, first, third):
        services.submit_event(event=event, user=editor)
    client.force_login(world.users["office"])
    assert [r["event"].title for r in client.get(reverse("events:moderation")).context["rows"]] == [
        "Zgłoszone w Skawinie", "Drugie", "Pierwsze", "Trzecie"]
    client.post(reverse("events:moderation-publish"), {"selected": [first.pk, third.pk, "x"]})
    statuses = dict(Event.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list("title", "status"))
    assert statuses == {"Pierwsze": "published", "Drugie": "submitted", "Trzecie": "published"}


def test_an_editor_cannot_submit_for_another_gmina_nor_change_a_published_event(world, client):
    editor = world.users["editor"]
    other = _draft(world, unit=world.wieliczka)
    with pytest.raises(PermissionDenied):
        services.submit_event(event=other, user=editor)
    with pytest.raises(PermissionDenied):
        services.save_event(event=Event(), values={"title": "X", "starts_at": when(1), "unit": world.wieliczka},
                            user=editor)
    # A published event is the office's: its gmina may withdraw (cancel) it, not rewrite it.
    published = world.event_skawina
    with pytest.raises(PermissionDenied):
        services.save_event(event=published, values={"venue": "Rynek"}, user=editor)
    client.force_login(editor)
    assert client.get(reverse("events:event-edit", args=[published.pk])).status_code == 403
    published.refresh_from_db()  # the refused save left its values on the object
    services.withdraw_event(event=published, user=editor)
    published.refresh_from_db()
    assert (published.status, published.published) == (Status.WITHDRAWN, False)


def test_no_step_out_of_order(world):
    office = world.users["office"]
    event = _draft(world)
    services.reject_event  # noqa: B018 — a draft was never submitted: nothing to reject
    with pytest.raises(ValidationError):
        services.reject_event(event=event, user=office, reason="?")
    services.publish_event(event=event, user=office)  # the office may publish its own draft
    with pytest.raises(ValidationError):
        services.submit_event(event=event, user=office)


def test_the_api_creates_drafts_and_moderates_through_its_own_endpoints(world, client):
    client.force_login(world.users["editor"])
    created = client.post("/api/events/events", {"title": "Z API", "starts_at": "2030-05-01T10:00:00+02:00",
                                                 "unit": world.skawina.pk, "published": True, "status": "published"},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "draft"
    pk = created.json()["id"]
    assert client.post(f"/api/events/events/{pk}/submit").json()["status"] == "submitted"
    assert client.post(f"/api/events/events/{pk}/publish").status_code == 403
    client.force_login(world.users["office"])
    assert client.post(f"/api/events/events/{pk}/reject", {"reason": ""}, content_type="application/json"
                       ).status_code == 422
    assert client.post(f"/api/events/events/{pk}/publish").json()["published"] is True


def test_image_needs_alt_text_and_a_real_image(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["editor"])
    data = {"title": "Wystawa", "category": "exhibition", "starts_at": "2030-06-01T10:00", "unit": world.skawina.pk}
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    response = client.post(reverse("events:event-add"), {**data, "image": SimpleUploadedFile("a.png", png)})
    assert response.status_code == 400 and "image_alt" in response.context["form"].errors
    fake = SimpleUploadedFile("a.png", b"<svg onload=alert(1)>")
    response = client.post(reverse("events:event-add"), {**data, "image": fake, "image_alt": "Plakat"})
    assert response.status_code == 400 and "image" in response.context["form"].errors
    assert not Event.objects.filter(title="Wystawa").exists()
    response = client.post(reverse("events:event-add"), {**data, "image": SimpleUploadedFile("a.png", png),
                                                         "image_alt": "Plakat wystawy"})
    event = Event.objects.get(title="Wystawa")
    image_url = event.image.url
    # A draft's image is the gmina's and the office's to see, not the public's, until it is published.
    assert client.get(image_url).status_code == 200
    client.logout()
    assert client.get(image_url).status_code == 404
    services.publish_event(event=event, user=world.users["office"])
    assert client.get(image_url).status_code == 200
