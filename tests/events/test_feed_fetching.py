"""The feed fetch over the real network stack: host names are checked after DNS resolution and on every
redirect; OBS_EVENT_FEED_ALLOWED_HOSTS lets listed hosts through (a server on this machine's loopback here)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from obserwatorium.events import fetching
from obserwatorium.events.feed_problems import FeedRefused
from obserwatorium.events.models import Event, EventFeed
from obserwatorium.events.services import run_feed
from tests.events.feed_texts import CONCERT, ics

REAL_GETADDRINFO = socket.getaddrinfo


class FeedServer(ThreadingHTTPServer):
    """A gmina's server on 127.0.0.1: answers /k.ics with a feed, /moved with a redirect to `redirect_to`."""

    redirect_to = ""
    paths: list[str]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        server = self.server
        assert isinstance(server, FeedServer)
        server.paths.append(self.path)
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", server.redirect_to)
            self.end_headers()
            return
        body = ics(CONCERT)
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server() -> Iterator[FeedServer]:
    httpd = FeedServer(("127.0.0.1", 0), Handler)
    httpd.paths = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[str]]:
    """Names of the test resolved to the addresses given here (nothing is ever sent to them but loopback)."""
    names: dict[str, list[str]] = {}

    def resolve(host, port, *args, **kwargs):
        if host in names:
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                    for a in names[host]]
        return REAL_GETADDRINFO(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return names


def _port(server: FeedServer) -> int:
    return server.server_address[1]


@pytest.mark.parametrize("addresses", [["10.1.2.3"], ["192.168.0.10"], ["127.0.0.1"], ["169.254.169.254"],
                                       ["::1"], ["fd00::5"], ["::ffff:10.0.0.1"], ["93.184.216.34", "10.0.0.7"]])
def test_a_name_that_resolves_into_the_local_network_is_refused_before_connecting(dns, settings, addresses):
    settings.OBS_EVENT_FEED_ALLOWED_HOSTS = []
    dns["kalendarz.gmina.test"] = addresses
    with pytest.raises(FeedRefused) as refused:
        fetching.fetch_feed("https://kalendarz.gmina.test/k.ics")
    problem = refused.value.problem
    assert problem.code == "address_resolves_local" and problem.params["host"] == "kalendarz.gmina.test"
    assert problem.params["address"] in addresses and "kalendarz.gmina.test" in problem.message()


def test_loopback_is_refused_unless_the_host_is_allowed(server, settings):
    settings.OBS_EVENT_FEED_ALLOWED_HOSTS = []
    url = f"http://127.0.0.1:{_port(server)}/k.ics"
    with pytest.raises(FeedRefused) as refused:
        fetching.fetch_feed(url)
    assert refused.value.problem.code == "address_local"
    assert server.paths == []
    settings.OBS_EVENT_FEED_ALLOWED_HOSTS = ["127.0.0.1"]
    assert b"Koncert na Rynku" in fetching.fetch_feed(url) and server.paths == ["/k.ics"]


def test_an_allowed_name_is_fetched_wherever_it_points(server, dns, settings):
    dns["kalendarz.gmina.test"] = ["127.0.0.1"]
    settings.OBS_EVENT_FEED_ALLOWED_HOSTS = ["kalendarz.gmina.test"]
    assert b"BEGIN:VCALENDAR" in fetching.fetch_feed(f"http://kalendarz.gmina.test:{_port(server)}/k.ics")


def test_a_redirect_into_the_local_network_is_refused_after_resolution(server, dns, settings):
    dns["intranet.gmina.test"] = ["10.20.30.40"]
    settings.OBS_EVENT_FEED_ALLOWED_HOSTS = ["127.0.0.1"]
    server.redirect_to = "http://intranet.gmina.test/admin"
    with pytest.raises(FeedRefused) as refused:
        fetching.fetch_feed(f"http://127.0.0.1:{_port(server)}/moved")
    assert refused.value.problem.code == "address_resolves_local" and server.paths == ["/moved"]


def test_a_name_that_does_not_resolve_is_unreachable(dns, settings):
    settings.OBS_EVENT_FEED_ALLOWED_HOSTS = []
    with pytest.raises(FeedRefused) as refused:
        fetching.fetch_feed("https://nie-ma-takiej-gminy.invalid/k.ics")
    assert refused.value.problem.code == "fetch_unreachable"


def test_the_connection_goes_to_the_address_that_was_checked(monkeypatch):
    """The backend connects to the checked address, not to the name (resolved again, it could point elsewhere)."""
    seen: list[str] = []
    monkeypatch.setattr(fetching, "public_addresses", lambda host, port: ["93.184.216.34"])
    monkeypatch.setattr(fetching.httpcore.SyncBackend, "connect_tcp", lambda self, host, port, **kw: seen.append(host))
    fetching.GuardedBackend().connect_tcp("kalendarz.gmina.test", 443)
    assert seen == ["93.184.216.34"]


@pytest.mark.django_db
def test_a_run_refused_for_its_address_says_so_and_changes_nothing(world, dns, settings):
    settings.OBS_EVENT_FEED_ALLOWED_HOSTS = []
    dns["kalendarz.skawina.test"] = ["172.16.0.9"]
    feed = EventFeed.objects.create(unit=world.skawina, name="Skawina", url="https://kalendarz.skawina.test/k.ics",
                                    trusted=True, added_by=world.users["editor"])
    report = run_feed(feed=feed, user=world.users["editor"])
    assert report.status == "refused" and report.problems[0].code == "address_resolves_local"
    assert "172.16.0.9" in report.problems[0].message() and not Event.objects.filter(feed=feed).exists()
