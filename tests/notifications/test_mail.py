"""Every e-mail of the product: in the recipient's language (Polish and English asserted for each kind), not
sent to whoever declined its kind, with a signed one-click unsubscribe link that works and cannot be forged."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from obserwatorium.collection import services as collection
from obserwatorium.cooperation.invitations import send_invitations
from obserwatorium.cooperation.meeting_services import save_agenda
from obserwatorium.cooperation.models import Meeting
from obserwatorium.events import services as events
from obserwatorium.history.models import ChangeRecord
from obserwatorium.notifications.mail import Letter, Recipient, compose
from obserwatorium.notifications.models import Kind, MailPreference
from obserwatorium.notifications.tokens import make_token

pytestmark = pytest.mark.django_db
BASE = "https://obs.example.org/"

# Per kind and language: the subject's start and a sentence of the text.
EXPECTED = {
    Kind.DATA_REQUEST: {"pl": ("Nowa prośba o dane: Piece", "prosi gminę Skawina o wartości"),
                        "en": ("New data request: Piece", "asks Skawina for the values of")},
    Kind.REMINDER: {"pl": ("Przypomnienie: Piece", "Nie zostały jeszcze przesłane."),
                    "en": ("Reminder: Piece", "They have not been submitted yet.")},
    Kind.MODERATION: {"pl": ("Twoje wydarzenie zostało opublikowane", "zostało opublikowane w kalendarzu"),
                      "en": ("Your event was published", "was published in the culture-events calendar")},
    Kind.INVITATION: {"pl": ("Zaproszenie: spotkanie – Forum B", "Zapraszamy na spotkanie Forum B."),
                      "en": ("Invitation: meeting of Forum B", "You are invited to a meeting of Forum B.")},
}
FOOTER = {"pl": "Rodzaj wiadomości:", "en": "Kind of e-mail:"}


def _editor(world, language: str):
    editor = world.users["editor"]
    type(editor).objects.filter(pk=editor.pk).update(email="redakcja@skawina.example", first_name="Ewa")
    editor.refresh_from_db()
    MailPreference.objects.create(user=editor, language=language)
    return editor


def _send(kind: Kind, world, asked, editor, capture) -> None:
    if kind is Kind.DATA_REQUEST:
        with capture(execute=True):
            collection.open_request(title=asked.request.title, indicators=[asked.stoves], periods=[2024],
                                    gminy=[world.skawina], deadline=datetime.date(2025, 3, 31),
                                    user=world.users["office"], base_url=BASE)
    elif kind is Kind.REMINDER:
        collection.send_reminders(request=asked.request, user=world.users["office"], base_url=BASE)
    elif kind is Kind.MODERATION:
        with capture(execute=True):
            events.publish_event(event=world.event_skawina_submitted, user=world.users["office"], site_url=BASE)
    else:
        coming = timezone.now() + timedelta(days=10)
        Meeting.objects.filter(pk=world.meeting_b.pk).update(starts_at=coming)
        world.meeting_b.refresh_from_db()
        world.forum_b.member_units.add(world.skawina)
        save_agenda(meeting=world.meeting_b, titles=["Otwarcie"], user=world.users["office"])
        send_invitations(meeting=world.meeting_b, user=world.users["office"], base_url=BASE)


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("kind", list(Kind))
def test_every_message_is_in_the_language_of_its_recipient(kind, language, world, asked,
                                                           django_capture_on_commit_callbacks):
    editor = _editor(world, language)
    mail.outbox.clear()
    _send(kind, world, asked, editor, django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if m.to == [editor.email]]
    subject, sentence = EXPECTED[kind][language]
    other = "en" if language == "pl" else "pl"
    assert message.subject.startswith(subject), message.subject
    assert sentence in message.body and EXPECTED[kind][other][1] not in message.body
    assert FOOTER[language] in message.body and FOOTER[other] not in message.body
    assert message.extra_headers["Content-Language"] == language
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith(BASE + "my/e-mails/unsubscribe/") and link in message.body
    for html, _media_type in getattr(message, "alternatives", []):
        assert link in html and FOOTER[language] in html


@pytest.mark.parametrize("kind", list(Kind))
def test_a_declined_kind_is_not_sent_and_the_others_still_are(kind, world, asked, django_capture_on_commit_callbacks):
    editor = _editor(world, "pl")
    MailPreference.objects.filter(user=editor).update(declined=[kind.value])
    mail.outbox.clear()
    _send(kind, world, asked, editor, django_capture_on_commit_callbacks)
    assert [m for m in mail.outbox if m.to == [editor.email]] == []
    other = Kind.REMINDER if kind is not Kind.REMINDER else Kind.DATA_REQUEST
    mail.outbox.clear()
    _send(other, world, asked, editor, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox if m.to == [editor.email]] == [[editor.email]]


def test_the_language_falls_back_to_the_one_last_used_on_the_site(world, client):
    editor = world.users["editor"]
    client.post(reverse("web:sign-in"), {"username": "x", "password": "y"})  # no effect: not signed in
    editor.set_password("s3cret-pass!")
    editor.save()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.post(reverse("web:sign-in"), {"username": "editor", "password": "s3cret-pass!"})
    assert MailPreference.objects.get(user=editor).site_language == "en"
    letters = compose(kind=Kind.REMINDER, recipients=[Recipient(email="e@example.org", user=editor)],
                      write=lambda language: Letter(subject=language, text=language), base_url=BASE)
    assert letters[0].subject == "en"


def test_the_preferences_of_many_recipients_are_read_in_one_query(world, django_assert_num_queries):
    people = [Recipient(email=f"p{n}@example.org") for n in range(30)] + [
        Recipient(email=f"{u.username}@example.org", user=u) for u in world.users.values()]
    with django_assert_num_queries(1):
        messages = compose(kind=Kind.INVITATION, recipients=people, write=lambda language: Letter("s", "t"),
                           base_url=BASE)
    assert len(messages) == len(people)


def test_the_unsubscribe_link_asks_then_unsubscribes_in_one_click_without_a_session(world, client):
    editor = world.users["editor"]
    token = make_token(kind=Kind.REMINDER, user_id=editor.pk)
    url = reverse("notifications:unsubscribe", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and not MailPreference.objects.filter(user=editor).exists()  # a GET only asks
    csrf_client = type(client)(enforce_csrf_checks=True)
    before = ChangeRecord.objects.count()
    # RFC 8058: the mail program posts "List-Unsubscribe=One-Click" without the site's cookies.
    response = csrf_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert MailPreference.objects.get(user=editor).declined == [Kind.REMINDER]
    assert ChangeRecord.objects.count() > before
    assert csrf_client.post(url).status_code == 200  # twice: still declined once
    assert MailPreference.objects.get(user=editor).declined == [Kind.REMINDER]


def test_an_address_without_an_account_unsubscribes_too(world, client):
    url = reverse("notifications:unsubscribe", args=[make_token(kind=Kind.INVITATION, user_id=None,
                                                                address="KBF@example.org")])
    assert client.post(url).status_code == 200
    assert MailPreference.objects.get(address="kbf@example.org").declined == [Kind.INVITATION]
    assert compose(kind=Kind.INVITATION, recipients=[Recipient(email="kbf@example.org")],
                   write=lambda language: Letter("s", "t"), base_url=BASE) == []


@pytest.mark.parametrize("token", [
    "nonsense",
    signing.dumps({"k": "reminder", "u": 1}, salt="another-salt"),
    make_token(kind="reminder", user_id=1)[:-3] + "abc",
    make_token(kind="no-such-kind", user_id=1),
])
def test_a_forged_or_broken_token_is_refused_with_400_and_nothing_changes(token, world, client):
    before = (MailPreference.objects.count(), ChangeRecord.objects.count())
    for response in (client.get(reverse("notifications:unsubscribe", args=[token])),
                     client.post(reverse("notifications:unsubscribe", args=[token]))):
        assert response.status_code == 400 and "nieprawidłowy" in response.content.decode()
    assert (MailPreference.objects.count(), ChangeRecord.objects.count()) == before
