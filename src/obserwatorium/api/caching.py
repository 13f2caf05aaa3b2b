"""Answers of the API's reads by data version: an ETag, 304s and a cache of encoded bodies.

The ETag is `W/"<data version>-<hash of the query>"`, known before the view runs, so a client that already holds
the answer gets a 304 for the price of one indexed read. The encoded 200 body is kept in Django's default cache
under the same key, so app servers that share that cache (Redis, the database) share the answers, and a write,
which bumps the version in its own transaction, makes every stored answer obsolete at once.

Signed-in users (and any request with credentials) are never served a stored body nor stored: what they see may
include records the public may not see. Their answers say `Cache-Control: private` and every answer varies on
the cookie, so no shared cache in front hands one person's answer to another.

`StoredAnswerMiddleware`, near the top of the stack, keeps the finished answer as it went out (compressed, with
every header the inner middleware set) for a visitor who carries neither a session nor credentials, and serves it
again after one read of the data version, without the session, sign-in, CSRF and compression layers: at national
scale a stored one-year page (291 KB of JSON) would otherwise be compressed anew for every request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, get_language_from_request

from obserwatorium.dataversion.models import DataVersion
from obserwatorium.dataversion.selectors import data_version

API_PREFIX = "/api/"
# The schema and the interactive documentation change with the code, not with the data.
UNCACHED = ("/api/docs", "/api/openapi.json")
CACHEABLE_TYPES = ("application/json",)
KEY_PREFIX = "obs:api:"
WIRE_KEY_PREFIX = "obs:apiwire:"
# Headers of the answer itself; a 304 made from a stored answer carries the others (RFC 9110 15.4.5).
BODY_HEADERS = frozenset({"content-type", "content-length", "content-encoding"})


def _private(request: HttpRequest) -> bool:
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def query_hash(request: HttpRequest, language: str | None = None) -> str:
    """What the answer depends on besides the data: address (the page links are absolute), language (the active
    one unless given), and the day (what is "upcoming" changes at midnight)."""
    parts = (request.build_absolute_uri(), (get_language() if language is None else language) or "",
             timezone.localdate().isoformat())
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=10).hexdigest()


def _version(request: HttpRequest) -> DataVersion:
    """The data version of this request: read once, by the outermost layer that needs it, so the stored answer
    and the ETag name the same version."""
    version = getattr(request, "obs_data_version", None)
    if version is None:
        version = data_version()
        request.obs_data_version = version  # type: ignore[attr-defined]
    return version


def _api_read(request: HttpRequest) -> bool:
    return request.method == "GET" and request.path.startswith(API_PREFIX) and not request.path.startswith(UNCACHED)


def _matches(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    # Weak comparison (RFC 9110 13.1.2): W/"x" and "x" match.
    wanted = etag.removeprefix("W/")
    return header.strip() == "*" or any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


class APICacheMiddleware:
    """ETags, 304s and the shared body cache for GET requests under /api/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not _api_read(request):
            return self.get_response(request)
        if _private(request):
            response = self.get_response(request)
            response["Cache-Control"] = "private, no-cache"
            patch_vary_headers(response, ("Cookie",))
            return response
        key = f"{_version(request).token}-{query_hash(request)}"
        etag = f'W/"{key}"'
        if _matches(request, etag):
            return self._finish(HttpResponseNotModified(), etag)
        seconds = settings.OBS_API_CACHE_SECONDS
        stored = cache.get(KEY_PREFIX + key) if seconds else None
        if stored is not None:
            content_type, body = stored
            return self._finish(HttpResponse(body, content_type=content_type), etag)
        response = self.get_response(request)
        if not self._cacheable(response) or response.has_header("ETag") or response.has_header("Last-Modified"):
            # A view with validators of its own (feeds, analytics answers) answers its conditional requests
            # itself: its body is not stored, and its ETag and Last-Modified are not replaced.
            return response
        if seconds:
            assert isinstance(response, HttpResponse)
            cache.set(KEY_PREFIX + key, (response["Content-Type"], response.content), seconds)
        return self._finish(response, etag)

    @staticmethod
    def _cacheable(response: HttpResponseBase) -> bool:
        return (response.status_code == 200 and not response.streaming and not response.cookies
                and response.get("Content-Type", "").split(";")[0] in CACHEABLE_TYPES)

    @staticmethod
    def _finish(response: HttpResponseBase, etag: str) -> HttpResponseBase:
        response["ETag"] = etag
        response["Cache-Control"] = "public, no-cache"  # may be stored, but asked about (ETag) before each use
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response


def wire_key(etag: str, accept_encoding: str) -> str:
    """Where `StoredAnswerMiddleware` keeps the finished answer of this tag for this Accept-Encoding header."""
    return WIRE_KEY_PREFIX + hashlib.blake2b(f"{etag}\n{accept_encoding}".encode(), digest_size=16).hexdigest()


def _has_body(request: HttpRequest) -> bool:
    return request.META.get("CONTENT_LENGTH", "") not in ("", "0") or "HTTP_TRANSFER_ENCODING" in request.META


class StoredAnswerMiddleware:
    """Finished API answers for visitors without a session or credentials, stored by data version, language,
    address, day and Accept-Encoding, and served again after one read of the data version.

    It stands outside the session, locale, sign-in, CSRF and compression layers and inside the security headers
    (set afresh on every answer) and the replica router (so the version it reads comes from the copy the answer
    is read from). An answer is stored only when the inner `APICacheMiddleware` tagged it with this request's
    version and language, so a write between the two reads, or a language the locale layer chose otherwise,
    stores nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        seconds = settings.OBS_API_CACHE_SECONDS
        if (not seconds or not _api_read(request) or "HTTP_AUTHORIZATION" in request.META
                or settings.SESSION_COOKIE_NAME in request.COOKIES or _has_body(request)):
            # A request with a body goes the whole way, through the one path that limits bodies.
            return self.get_response(request)
        language = get_language_from_request(request)
        version = _version(request)
        etag = f'W/"{version.token}-{query_hash(request, language)}"'
        key = wire_key(etag, request.META.get("HTTP_ACCEPT_ENCODING", ""))
        stored = cache.get(key)
        if stored is not None:
            return self._replay(request, etag, *stored)
        response = self.get_response(request)
        if (response.status_code == 200 and not response.streaming and not response.cookies
                and response.get("ETag") == etag and response.get("Content-Language") == language
                and response.get("Cache-Control") == "public, no-cache"):
            assert isinstance(response, HttpResponse)
            cache.set(key, (list(response.items()), response.content), seconds)
        return response

    @staticmethod
    def _replay(request: HttpRequest, etag: str, headers: list[tuple[str, str]], body: bytes) -> HttpResponseBase:
        response: HttpResponseBase
        if _matches(request, etag):
            response = HttpResponseNotModified()
            headers = [(name, value) for name, value in headers if name.lower() not in BODY_HEADERS]
        else:
            response = HttpResponse(body)
            headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
            response["Content-Length"] = str(len(body))  # of the body itself, whatever the store holds
        for name, value in headers:
            response[name] = value
        return response
