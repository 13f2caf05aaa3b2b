"""The JSON API (OpenAPI 3 at /api/docs, schema at /api/openapi.json); apps contribute routers."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.db import OperationalError
from ninja import NinjaAPI

from obserwatorium.web.database_busy import api_lock_error

api = NinjaAPI(
    title="Obserwatorium API",
    version="1.0.0",
    description="Open data of the observatory: territorial units, indicators, observations and registries.",
)
api.add_exception_handler(OperationalError, api_lock_error)

# (module with a `router`, URL prefix, OpenAPI tag)
ROUTERS: tuple[tuple[str, str, str], ...] = (
    ("obserwatorium.api.observatory", "/", "observatory"),
    ("obserwatorium.insights.api", "/analytics/", "analytics"),
    ("obserwatorium.strategy.api", "/strategy/", "strategy"),
    ("obserwatorium.cooperation.api", "/cooperation/", "cooperation"),
    ("obserwatorium.events.api", "/events/", "events"),
    ("obserwatorium.news.api", "/news/", "news"),
)

for module_name, prefix, tag in ROUTERS:
    if find_spec(module_name) is not None:
        api.add_router(prefix, import_module(module_name).router, tags=[tag])
