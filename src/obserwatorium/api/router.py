"""The JSON API (OpenAPI 3 at /api/docs, schema at /api/openapi.json); apps contribute routers."""

from __future__ import annotations

from importlib import import_module

from django.db import OperationalError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router

from obserwatorium.api.schemas import ErrorOut
from obserwatorium.web.database_busy import api_lock_error

api = NinjaAPI(
    title="Obserwatorium API",
    version="1.0.0",
    description="Open data of the observatory: territorial units, indicators, observations and registries.",
)
# ninja types a handler as taking the exception class too; it is only ever called with an instance.
api.add_exception_handler(OperationalError, api_lock_error)  # type: ignore[arg-type]

# (module with a `router`, URL prefix, OpenAPI tag)
ROUTERS: tuple[tuple[str, str, str], ...] = (
    ("obserwatorium.api.observatory", "/", "observatory"),
    ("obserwatorium.insights.api", "/analytics/", "analytics"),
    ("obserwatorium.strategy.api", "/strategy/", "strategy"),
    ("obserwatorium.cooperation.api", "/cooperation/", "cooperation"),
    ("obserwatorium.events.api", "/events/", "events"),
)

WRITES = {"POST", "PUT", "PATCH"}


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


for module_name, prefix, tag in ROUTERS:
    app_router = import_module(module_name).router
    document_errors(app_router)
    api.add_router(prefix, app_router, tags=[tag])


@csrf_exempt  # nothing is written here; a CSRF refusal would be an HTML page where the API speaks JSON
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other address under /api/ (e.g. a path value with a '/') is answered in JSON, as the API's own 404s."""
    return JsonResponse({"detail": "Not Found"}, status=404)
