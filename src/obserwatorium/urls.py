"""Root URL map: each app contributes its own `urls` module, mounted at the prefix declared here."""

from __future__ import annotations

from importlib import import_module

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from obserwatorium.api.router import api, not_found
from obserwatorium.web.files import media_file

# (app, URL prefix); the order is the order of matching.
APP_URLS: tuple[tuple[str, str], ...] = (
    ("ingest", "import/"),
    ("strategy", "strategy/"),
    ("cooperation", ""),
    ("events", "events/"),
    ("insights", "analytics/"),
    ("web", ""),
)


def _app_patterns() -> list:
    return [path(prefix, include(import_module(f"obserwatorium.{app}.urls"))) for app, prefix in APP_URLS]


# A write that met another writer's lock is answered 503 with Retry-After, wherever it was raised.
handler500 = "obserwatorium.web.errors.server_error"

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
    path("media/<path:path>", media_file, name="media"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    re_path(r"^api/", not_found),
    path("admin/", admin.site.urls),
    *_app_patterns(),
]
