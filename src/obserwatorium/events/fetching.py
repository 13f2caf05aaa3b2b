"""Fetch a gmina's feed over HTTP: http/https only, no local-network address, timeouts, a size limit, redirects
followed by hand (each new address checked again), the transport injectable for tests.

A host name is checked after it is resolved, at the moment of connecting (`GuardedBackend`): every address the
name resolves to must be public, and the connection goes to the address that was checked, so a name that
resolves to a public address for the check and to a private one for the connection (DNS rebinding) gets nowhere.
Hosts named in OBS_EVENT_FEED_ALLOWED_HOSTS (e.g. a gmina's server in the association's own network) are
fetched wherever they point.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings

from obserwatorium import __version__
from obserwatorium.events.feed_problems import FeedRefused
from obserwatorium.events.ical_reader import MAX_FEED_BYTES

TIMEOUT_SECONDS = 20.0
MAX_REDIRECTS = 3
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


def allowed_hosts() -> frozenset[str]:
    """Hosts fetched even when they point into the local network (OBS_EVENT_FEED_ALLOWED_HOSTS)."""
    return frozenset(host.lower().rstrip(".") for host in getattr(settings, "OBS_EVENT_FEED_ALLOWED_HOSTS", ()))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def check_address(url: str) -> None:
    """Refuse anything but a public http(s) address (an IP literal of the local network or loopback included)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FeedRefused("address_scheme", url=url[:200])
    host = _host(url)
    if host in allowed_hosts():
        return
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host in LOCAL_NAMES or host.endswith(".localhost"):
            raise FeedRefused("address_local", url=url[:200]) from None
        return
    if not address.is_global:
        raise FeedRefused("address_local", url=url[:200])


def public_addresses(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, refused (FeedRefused) when any of them is not public."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise httpcore.ConnectError(f"{host}: {error}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    for text in addresses:
        address = ipaddress.ip_address(text.split("%", 1)[0])
        if not address.is_global or (address.version == 6 and address.ipv4_mapped is not None
                                     and not address.ipv4_mapped.is_global):
            raise FeedRefused("address_resolves_local", host=host[:200], address=text)
    if not addresses:
        raise httpcore.ConnectError(f"{host}: no address")
    return addresses


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend that resolves the host itself and connects only to a checked public address
    (TLS still names the host, for SNI and the certificate)."""

    def __init__(self, allowed: Iterable[str] = ()) -> None:
        self.allowed = frozenset(allowed)

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        target = host if host.lower().rstrip(".") in self.allowed else public_addresses(host, port)[0]
        return super().connect_tcp(target, port, timeout=timeout, local_address=local_address,
                                   socket_options=socket_options)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport over `GuardedBackend`, with no proxy from the environment (a proxy would connect
    on our behalf, past the check)."""

    def __init__(self, allowed: Iterable[str] = ()) -> None:
        super().__init__(retries=0)
        # httpx offers no argument for the network backend: the pool it built is replaced by the same pool
        # over the guarded backend.
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(), max_connections=1,
                                             network_backend=GuardedBackend(allowed))


def fetch_feed(url: str, *, transport: httpx.BaseTransport | None = None) -> bytes:
    """The body of the feed at `url`, or FeedRefused (timeout, unreachable, an error status, too large, an
    address in the local network)."""
    headers = {"Accept": "text/calendar, */*;q=0.5", "User-Agent": f"obserwatorium/{__version__}"}
    transport = transport or GuardedTransport(allowed_hosts())
    with httpx.Client(transport=transport, timeout=TIMEOUT_SECONDS, follow_redirects=False, trust_env=False,
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
