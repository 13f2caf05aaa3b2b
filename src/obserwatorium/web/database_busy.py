"""Lock errors (`obserwatorium.lock_errors`) answered 503 with Retry-After on pages: middleware and handler500."""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

from obserwatorium.lock_errors import RETRY_AFTER_SECONDS, busy_json_response, busy_message, is_retryable_lock_error


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON for the API, a small page (no database access) elsewhere."""
    if request.path.startswith("/api/"):
        return busy_json_response()
    response = HttpResponse(render_to_string("web/busy.html", {"message": busy_message()}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """Turns a lock error raised by a view into a 503 (also under OBS_DEBUG, where handler500 is not used)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_response(request) if is_retryable_lock_error(exception) else None


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    """handler500: a lock error raised outside a view (a session saved by middleware) is a 503 too."""
    if is_retryable_lock_error(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request, template_name)
