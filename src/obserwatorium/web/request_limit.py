"""The one request body limit (OBS_MAX_UPLOAD_MB), checked from the declared length before anything reads the
body: JSON for the API, the site's page for everything else, in the visitor's language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

STATUS = 413


def declared_length(request: HttpRequest) -> int:
    """The body length the client declared (a server that de-chunks a body declares what it received)."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def limit_megabytes() -> str:
    """The limit as shown to people, in the active language's number format."""
    megabytes = settings.MAX_REQUEST_BODY / (1024 * 1024)
    return number_format(megabytes, decimal_pos=0 if megabytes.is_integer() else 1)


def refusal(request: HttpRequest) -> HttpResponse:
    """The 413 answer (the server closes the connection: the unread body is never received)."""
    message = _("The request is larger than %(size)s MB, the limit of this site; nothing was read or saved.") % {
        "size": limit_megabytes()}
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=STATUS)
    else:
        response = render(request, "web/too_large.html", {"message": message}, status=STATUS)
    return response


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if declared_length(request) > settings.MAX_REQUEST_BODY:
            return refusal(request)
        return self.get_response(request)
