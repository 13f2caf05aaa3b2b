"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from obserwatorium.web.navigation import navigation_links

SITE_NAME = "Obserwatorium Metropolii Krakowskiej"


def site(request: HttpRequest) -> dict:
    return {
        # Not "site_name": Django's auth views put the request's host under that name, and a view's context wins
        # over a context processor's, so the sign-in page was headed "127.0.0.1:8000".
        "observatory_name": SITE_NAME,
        "navigation": navigation_links(request.path, getattr(request, "user", None)),
    }
