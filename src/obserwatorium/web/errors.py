"""The one place that turns domain errors into the answers of the pages (the API maps its own in `api/`).

PermissionDenied → the 403 page (Django's handler403, `403.html`); ObjectDoesNotExist → the 404 page; a
ValidationError that left a service (not caught by a form) → 400; another writer's lock → 503 with
Retry-After (`web.database_busy`); a failed CSRF check → the site's own 403 page.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.core.exceptions import BadRequest, ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

from obserwatorium.lock_errors import is_retryable_lock_error
from obserwatorium.web.database_busy import busy_response


class PageErrorMiddleware:
    """Maps an exception raised by a view to its HTTP answer (also under OBS_DEBUG, where handler500 is not used)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_retryable_lock_error(exception):
            return busy_response(request)
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, ObjectDoesNotExist):
            raise Http404(str(exception)) from exception  # Django answers with the 404 page (handler404)
        if isinstance(exception, ValidationError):
            raise BadRequest(" ".join(exception.messages)) from exception
        return None


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME) -> HttpResponse:
    """handler500: a lock error raised outside a view (a session saved by middleware) is a 503 too."""
    if is_retryable_lock_error(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request, template_name)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose security token is missing or stale: say why and what to do, in the page's language."""
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
