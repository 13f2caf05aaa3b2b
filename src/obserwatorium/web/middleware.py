"""Security headers the framework does not set by itself, the idle session timeout and the log of refusals."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

security_log = logging.getLogger("obserwatorium.security")
LAST_SEEN_KEY = "obs_last_seen"

# Vega compiles its expression language with Function(); everything else is same-origin only. No inline style
# either: data-driven colours come from /domains.css and bars are SVG (attributes, not styles).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        return response


class IdleSessionMiddleware:
    """Ends a signed-in session unused for SESSION_IDLE_SECONDS and slides its expiry forward on use.

    The last-seen time is rewritten at most once a minute, so a busy user does not write the session on
    every request (a write waits for the database's write lock).
    """

    REFRESH_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if isinstance(last_seen, int) and now - last_seen > settings.SESSION_IDLE_SECONDS:
                security_log.info("session ended after %d idle minutes: user=%r address=%s",
                                  (now - last_seen) // 60, user.get_username(), request.META.get("REMOTE_ADDR"))
                logout(request)
            elif not isinstance(last_seen, int) or now - last_seen >= self.REFRESH_SECONDS:
                request.session[LAST_SEEN_KEY] = now  # saving renews the expiry (SESSION_COOKIE_AGE)
        return self.get_response(request)


class AccessDeniedLogMiddleware:
    """Logs every refused request (403, and 429 for a locked-out sign-in) with who, from where and what."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (403, 429):
            user = getattr(request, "user", None)
            security_log.warning("access denied (%d): %s %s user=%r address=%s", response.status_code,
                                 request.method, request.path,
                                 user.get_username() if user is not None and user.is_authenticated else "",
                                 request.META.get("REMOTE_ADDR"))
        return response
