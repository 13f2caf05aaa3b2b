"""Answers of the API's reads by data version: an ETag, 304s and a cache of encoded bodies.

The ETag is `W/"<data version>-<hash of the query>"`, known before the view runs, so a client that already holds
the answer gets a 304 for the price of one indexed read. The encoded 200 body is kept in Django's default cache
under the same key, so app servers that share that cache (Redis, the database) share the answers, and a write,
which bumps the version in its own transaction, makes every stored answer obsolete at once.

Signed-in users (and any request with credentials) are never served a stored body nor stored: what they see may
include records the public may not see. Their answers say `Cache-Control: private` and every answer varies on
the cookie, so no shared cache in front hands one person's answer to another.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from obserwatorium.dataversion.selectors import data_version

API_PREFIX = "/api/"
# The schema and the interactive documentation change with the code, not with the data.
UNCACHED = ("/api/docs", "/api/openapi.json")
CACHEABLE_TYPES = ("application/json",)
KEY_PREFIX = "obs:api:"


def _private(request: HttpRequest) -> bool:
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def query_hash(request: HttpRequest) -> str:
    """What the answer depends on besides the data: address (the page links are absolute), language, and the
    day (what is "upcoming" changes at midnight)."""
    parts = (request.build_absolute_uri(), get_language() or "", timezone.localdate().isoformat())
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=10).hexdigest()


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
        if request.method != "GET" or not request.path.startswith(API_PREFIX) or request.path.startswith(UNCACHED):
            return self.get_response(request)
        if _private(request):
            response = self.get_response(request)
            response["Cache-Control"] = "private, no-cache"
            patch_vary_headers(response, ("Cookie",))
            return response
        key = f"{data_version().token}-{query_hash(request)}"
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
