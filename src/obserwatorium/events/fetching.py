"""Fetch a gmina's feed over HTTP: http/https only, no local-network address, timeouts, a size limit, redirects
followed by hand (each new address checked again), the transport injectable for tests."""

from __future__ import annotations

import ipaddress
from urllib.parse import urljoin, urlsplit

import httpx

from obserwatorium import __version__
from obserwatorium.events.feed_problems import FeedRefused
from obserwatorium.events.ical_reader import MAX_FEED_BYTES

TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 3
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


def check_address(url: str) -> None:
    """Refuse anything but a public http(s) address (an IP literal of the local network or loopback included)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FeedRefused("address_scheme", url=url[:200])
    host = parts.hostname.lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host in LOCAL_NAMES or host.endswith(".localhost"):
            raise FeedRefused("address_local", url=url[:200]) from None
        return
    if not address.is_global:
        raise FeedRefused("address_local", url=url[:200])


def fetch_feed(url: str, *, transport: httpx.BaseTransport | None = None) -> bytes:
    """The body of the feed at `url`, or FeedRefused (timeout, unreachable, an error status, too large)."""
    headers = {"Accept": "text/calendar, */*;q=0.5", "User-Agent": f"obserwatorium/{__version__}"}
    with httpx.Client(transport=transport, timeout=TIMEOUT_SECONDS, follow_redirects=False,
                      headers=headers) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            check_address(url)
            try:
                with client.stream("GET", url) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise FeedRefused("fetch_status", url=url[:200], status=response.status_code)
                    return _body(response)
            except httpx.TimeoutException:
                raise FeedRefused("fetch_timeout", url=url[:200], seconds=int(TIMEOUT_SECONDS)) from None
            except httpx.HTTPError as error:
                raise FeedRefused("fetch_unreachable", url=url[:200], detail=str(error)[:200]) from None
    raise FeedRefused("fetch_redirects", url=url[:200], limit=MAX_REDIRECTS)


def _too_large() -> FeedRefused:
    return FeedRefused("feed_too_large", limit=MAX_FEED_BYTES // (1024 * 1024))


def _body(response: httpx.Response) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FEED_BYTES:
        raise _too_large()
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > MAX_FEED_BYTES:
            raise _too_large()
    return bytes(body)
