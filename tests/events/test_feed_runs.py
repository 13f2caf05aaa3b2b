"""Fetching a feed (served through httpx.MockTransport), the feed pages and the scheduled command."""

from __future__ import annotations

import httpx
import pytest
from django.core.management import call_command
from django.urls import reverse

from obserwatorium.events import feed_views
from obserwatorium.events.feed_problems import FeedRefused
from obserwatorium.events.fetching import check_address
from obserwatorium.events.management.commands.events import Command as EventsCommand
from obserwatorium.events.models import Event, EventFeed
from obserwatorium.events.services import run_feed
from obserwatorium.history.models import ChangeRecord
from tests.events.feed_texts import CONCERT, FAIR, ics

pytestmark = pytest.mark.django_db
FEED_URL = "https://skawina.pl/kalendarz.ics"


class GminaServer:
    """The gmina's web server: answers by address; `requests` logs what was asked."""

    def __init__(self, answers: dict[str, httpx.Response | Exception]):
        self.answers = answers
        self.requests: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(str(request.url))
        answer = self.answers.get(str(request.url), httpx.Response(404))
        if isinstance(answer, Exception):
            raise answer
        return answer

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)


@pytest.fixture
def feed(world):
    return EventFeed.objects.create(unit=world.skawina, name="Kalendarz Skawiny", url=FEED_URL, trusted=True,
                                    added_by=world.users["editor"])


def test_a_feed_is_fetched_and_imported(world, feed):
    server = GminaServer({FEED_URL: httpx.Response(200, content=ics(CONCERT, FAIR))})
    report = run_feed(feed=feed, user=world.users["editor"], transport=server.transport)
    assert report.counts["created"] == 2 and server.requests == [FEED_URL]
    feed.refresh_from_db()
    assert feed.last_status == "imported" and feed.last_run_at is not None


@pytest.mark.parametrize(("answer", "code"), [
    (httpx.ReadTimeout("slow"), "fetch_timeout"),
    (httpx.ConnectError("no route"), "fetch_unreachable"),
    (httpx.Response(500), "fetch_status"),
    (httpx.Response(200, content=b"x" * (5 * 1024 * 1024 + 1)), "feed_too_large"),
    (httpx.Response(200, content=b"<html>404</html>"), "feed_not_icalendar"),
    (httpx.Response(302, headers={"Location": "file:///etc/passwd"}), "address_scheme"),
    (httpx.Response(301, headers={"Location": "http://127.0.0.1:8000/admin/"}), "address_local"),
    (httpx.Response(302, headers={"Location": FEED_URL}), "fetch_redirects"),
])
def test_a_feed_that_cannot_be_fetched_changes_nothing(world, feed, answer, code):
    run_feed(feed=feed, user=world.users["editor"],
             transport=GminaServer({FEED_URL: httpx.Response(200, content=ics(CONCERT))}).transport)
    before = list(Event.objects.filter(feed=feed).values())
    report = run_feed(feed=feed, user=world.users["editor"], transport=GminaServer({FEED_URL: answer}).transport)
    assert report.status == "refused" and report.problems[0].code == code and report.problems[0].message()
    assert list(Event.objects.filter(feed=feed).values()) == before  # not withdrawn for a failed fetch


def test_a_redirect_to_another_public_address_is_followed(world, feed):
    moved = "https://kultura.skawina.pl/k.ics"
    server = GminaServer({FEED_URL: httpx.Response(301, headers={"Location": moved}),
                          moved: httpx.Response(200, content=ics(CONCERT))})
    assert run_feed(feed=feed, user=world.users["editor"], transport=server.transport).counts["created"] == 1


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://skawina.pl/k.ics", "http://localhost/k.ics",
                                 "http://10.0.0.5/k.ics", "http://[::1]/k.ics", "http://169.254.169.254/latest"])
def test_only_public_http_addresses_are_fetched(url):
    with pytest.raises(FeedRefused):
        check_address(url)


def test_the_office_page_adds_a_feed_runs_it_and_shows_the_report(world, client, monkeypatch):
    monkeypatch.setattr(feed_views, "TRANSPORT", GminaServer(
        {FEED_URL: httpx.Response(200, content=ics(CONCERT, FAIR.replace("DTSTART;VALUE=DATE:20250705",
                                                                           "DTSTART:zepsute")))}).transport)
    client.force_login(world.users["office"])
    response = client.post(reverse("events:feeds"), {"unit": world.skawina.pk, "name": "Skawina", "url": FEED_URL,
                                                     "default_category": "other", "trusted": "on", "active": "on"})
    feed = EventFeed.objects.get(name="Skawina")
    assert response.status_code == 302 and feed.added_by == world.users["office"] and feed.trusted
    page = client.post(reverse("events:feed-run", args=[feed.pk]))
    html = page.content.decode()
    assert page.status_code == 400 and "jarmark@skawina.pl" in html and "DTSTART" in html
    assert not Event.objects.filter(feed=feed).exists()
    upload = client.post(reverse("events:feed-run", args=[feed.pk]),
                         {"file": _file(ics(CONCERT))})
    assert upload.status_code == 200 and Event.objects.filter(feed=feed).count() == 1
    assert "Koncert na Rynku" in client.get(reverse("events:feed", args=[feed.pk])).content.decode()


def _file(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("kalendarz.ics", content, content_type="text/calendar")


def test_an_editor_adds_their_gminas_feed_untrusted_and_sees_no_other(world, client):
    EventFeed.objects.create(unit=world.wieliczka, name="Wieliczka")
    client.force_login(world.users["editor"])
    page = client.get(reverse("events:feeds"))
    assert "trusted" not in page.context["form"].fields and "Wieliczka" not in page.content.decode()
    response = client.post(reverse("events:feeds"), {"unit": world.skawina.pk, "name": "Nasz", "url": FEED_URL,
                                                     "default_category": "other", "trusted": "on", "active": "on"})
    assert response.status_code == 302 and EventFeed.objects.get(name="Nasz").trusted is False
    other = EventFeed.objects.get(name="Wieliczka")
    assert client.get(reverse("events:feed", args=[other.pk])).status_code == 403
    refused = client.post(reverse("events:feeds"), {"unit": world.wieliczka.pk, "name": "Obcy",
                                                    "default_category": "other"})
    assert refused.status_code == 400 and not EventFeed.objects.filter(name="Obcy").exists()


def test_a_feed_address_into_the_local_network_is_refused_on_the_form(world, client):
    client.force_login(world.users["office"])
    response = client.post(reverse("events:feeds"), {"unit": world.skawina.pk, "name": "Zły",
                                                     "url": "http://127.0.0.1/k.ics", "default_category": "other"})
    assert response.status_code == 400 and "url" in response.context["form"].errors


def test_the_public_and_other_roles_have_no_feed_pages(world, client):
    for role in ("public", "coordinator", "staff"):
        client.force_login(world.users[role])
        assert client.get(reverse("events:feeds")).status_code == 403


def test_the_scheduled_command_imports_every_active_feed_as_its_owner(world, feed, monkeypatch, capsys, tmp_path):
    EventFeed.objects.create(unit=world.skawina, name="Nieaktywny", url="https://x.skawina.pl/k.ics", active=False,
                             added_by=world.users["editor"])
    server = GminaServer({FEED_URL: httpx.Response(200, content=ics(CONCERT))})
    monkeypatch.setattr(EventsCommand, "transport", server.transport)
    call_command("events", "import-feeds")
    assert "1 created" in capsys.readouterr().out and server.requests == [FEED_URL]
    created = Event.objects.get(feed=feed)  # through the write path, as the account that added the feed
    assert ChangeRecord.objects.filter(object_id=str(created.pk), user=world.users["editor"], via="bulk").exists()
    path = tmp_path / "wieliczka.ics"
    path.write_bytes(ics(FAIR))
    call_command("events", "import-feeds", "--file", str(path), "--gmina", world.wieliczka.teryt, "--user", "office")
    files_feed = EventFeed.objects.get(unit=world.wieliczka, url="")
    assert Event.objects.filter(feed=files_feed, unit=world.wieliczka).count() == 1
    path.write_bytes(b"garbage")
    with pytest.raises(SystemExit):
        call_command("events", "import-feeds", "--file", str(path), "--gmina", world.wieliczka.teryt)
    assert "BEGIN:VCALENDAR" in capsys.readouterr().out
    assert Event.objects.filter(feed=files_feed).count() == 1
