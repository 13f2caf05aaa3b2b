"""The JSON API (OpenAPI 3 at /api/docs, schema at /api/openapi.json): the apps' routers mounted in one place."""

from __future__ import annotations

from importlib import import_module

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI

from obserwatorium.api.errors import add_error_handlers, document_errors

api = NinjaAPI(
    title="Obserwatorium API",
    version="1.0.0",
    description="Open data of the observatory: territorial units, indicators, observations and registries.",
)
add_error_handlers(api)

# (module with a `router`, URL prefix, OpenAPI tag)
ROUTERS: tuple[tuple[str, str, str], ...] = (
    ("obserwatorium.territory.api", "/", "observatory"),
    ("obserwatorium.indicators.api", "/", "observatory"),
    ("obserwatorium.insights.api", "/analytics/", "analytics"),
    ("obserwatorium.strategy.api", "/strategy/", "strategy"),
    ("obserwatorium.cooperation.api", "/cooperation/", "cooperation"),
    ("obserwatorium.events.api", "/events/", "events"),
    ("obserwatorium.news.api", "/news/", "news"),
)

for module_name, prefix, tag in ROUTERS:
    app_router = import_module(module_name).router
    document_errors(app_router)
    api.add_router(prefix, app_router, tags=[tag])


@csrf_exempt  # nothing is written here; a CSRF refusal would be an HTML page where the API speaks JSON
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other address under /api/ (e.g. a path value with a '/') is answered in JSON, as the API's own 404s."""
    return JsonResponse({"detail": "Not Found"}, status=404)
