"""The one place where domain errors become the API's HTTP answers, and where the answers are documented.

Endpoints raise what the services raise (PermissionDenied, a model's ValidationError, DoesNotExist, a lock
error) and never translate it themselves; `add_error_handlers` installs the translation on the NinjaAPI:

| raised | answer |
|---|---|
| `PermissionDenied` (and `DeletionRefused`) | 403, `detail`: the reason |
| Django's `ValidationError` | 422, `detail`: one entry per field, `loc` `["body", field]` |
| `ObjectDoesNotExist`, `Http404` | 404, `detail`: "Not Found" |
| a lock error or timeout (`lock_errors`) | 503 with `Retry-After` |

django-ninja answers its own `ValidationError` (422) and `HttpError` (its status) as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router
from pydantic import BaseModel

from obserwatorium.lock_errors import busy_json_response, is_retryable_lock_error

WRITES = {"POST", "PUT", "PATCH"}


class ErrorOut(BaseModel):
    detail: str | list[dict[str, Any]]


def field_errors(error: ValidationError) -> list[dict[str, Any]]:
    """A model's validation error as the API's list of field errors (`__all__` for the record as a whole)."""
    details = getattr(error, "message_dict", {"__all__": error.messages})
    return [{"loc": ["body", field], "msg": " ".join(map(str, messages)), "type": "invalid"}
            for field, messages in details.items()]


def add_error_handlers(api: NinjaAPI) -> None:
    """Answer the domain's errors on every endpoint of the API (see the table above)."""

    def refused(request: HttpRequest, error: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": str(error) or "Forbidden"}, status=403)

    def invalid(request: HttpRequest, error: Exception) -> HttpResponse:
        assert isinstance(error, ValidationError)
        return api.create_response(request, {"detail": field_errors(error)}, status=422)

    def not_found(request: HttpRequest, error: Exception) -> HttpResponse:
        detail = f"Not Found: {error}" if settings.DEBUG else "Not Found"
        return api.create_response(request, {"detail": detail}, status=404)

    def busy(request: HttpRequest, error: Exception) -> HttpResponse:
        if is_retryable_lock_error(error):
            return busy_json_response()
        raise error

    handlers: dict[type[Exception], Callable[[HttpRequest, Exception], HttpResponse]] = {
        PermissionDenied: refused, ValidationError: invalid, ObjectDoesNotExist: not_found, Http404: not_found,
        OperationalError: busy,
    }
    for error_class, handler in handlers.items():
        # ninja types a handler as taking the exception class too; it is only ever called with an instance.
        api.add_exception_handler(error_class, handler)  # type: ignore[arg-type]


def document_errors(router: Router) -> None:
    """Declare on every operation the errors the shared layers answer with, so that the published schema lists
    every status a client can get: 422 (a malformed parameter or body), 404 (a record named in the path that does
    not exist or is not public), 401/403 (not signed in, CSRF or role), 400 (a body that is not JSON) and 413 (a
    body over the limit)."""
    for path, path_view in router.path_operations.items():
        for operation in path_view.operations:
            codes = [422]
            if "{" in path:
                codes.append(404)
            if operation.auth_callbacks:
                codes += [401, 403]
            if WRITES & set(operation.methods):
                codes += [400, 413]
            for code in codes:
                if code not in operation.response_models:
                    operation.response_models[code] = operation._create_response_model(ErrorOut)
