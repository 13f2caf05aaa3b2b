"""Lock errors (`obserwatorium.lock_errors`) answered 503 with Retry-After on pages (mapped in `web.errors`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from obserwatorium.lock_errors import RETRY_AFTER_SECONDS, busy_json_response, busy_message


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON for the API, a small page (no database access) elsewhere."""
    if request.path.startswith("/api/"):
        return busy_json_response()
    response = HttpResponse(render_to_string("web/busy.html", {"message": busy_message()}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
