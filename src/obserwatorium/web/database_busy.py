"""A write that met another writer's lock is answered 503 with Retry-After, never 500 (pages: `web.errors`; the API).

SQLite reports "database is locked" once its busy timeout has passed; PostgreSQL cancels a statement at its
lock or statement timeout (and reports deadlocks and serialisation failures). Each time nothing was saved, and
the same request succeeds once the other writer is done, so the user is told to try again.
"""

from __future__ import annotations

from typing import TypeGuard

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 10
# lock_not_available, query_canceled (statement/lock timeout), deadlock_detected, serialization_failure
RETRYABLE_SQLSTATES = frozenset({"55P03", "57014", "40P01", "40001"})
SQLITE_LOCK_MESSAGES = ("database is locked", "database table is locked", "database schema is locked")


def is_retryable_lock_error(error: BaseException | None) -> TypeGuard[OperationalError]:
    """Whether the error is another writer's lock or a timeout: nothing was saved and a retry may succeed."""
    if not isinstance(error, OperationalError):
        return False
    for candidate in (error, error.__cause__):
        if getattr(candidate, "retryable", False) or getattr(candidate, "sqlstate", None) in RETRYABLE_SQLSTATES:
            return True
    return any(text in str(error).lower() for text in SQLITE_LOCK_MESSAGES)


def busy_message() -> str:
    return _("The database is busy with another change (for example a large import). Nothing was saved: "
             "please try again in a moment.")


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: JSON for the API, a small page (no database access) elsewhere."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": busy_message()}, status=503)
    else:
        response = HttpResponse(render_to_string("web/busy.html", {"message": busy_message()}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def api_lock_error(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Exception handler for the API: lock errors become 503; anything else goes on as before."""
    if is_retryable_lock_error(exception):
        return busy_response(request)
    raise exception
