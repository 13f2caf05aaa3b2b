"""The CSRF failure page in the site's layout (Django's own renders without the request, so without the layout)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose security token is missing or stale: say why and what to do, in the page's language."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
