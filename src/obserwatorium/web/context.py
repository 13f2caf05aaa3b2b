"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from obserwatorium.web.navigation import navigation_links

SITE_NAME = "Obserwatorium Metropolii Krakowskiej"


def site(request: HttpRequest) -> dict:
    return {
        "site_name": SITE_NAME,
        "navigation": navigation_links(request.path, getattr(request, "user", None)),
    }
