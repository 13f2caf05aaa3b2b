"""Root URL map: each app contributes its own `urls` module, mounted at the prefix declared here."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from obserwatorium.api.router import api, not_found
from obserwatorium.insights.views import catalog
from obserwatorium.web.files import media_file

# (app, URL prefix); the order is the order of matching.
APP_URLS: tuple[tuple[str, str], ...] = (
    ("ingest", "import/"),
    ("history", "history/"),
    ("strategy", "strategy/"),
    ("cooperation", ""),
    ("events", "events/"),
    ("collection", "collection/"),
    ("notifications", "my/e-mails/"),
    ("workspace", "my/"),
    ("news", "news/"),
    ("insights", "analytics/"),
    ("reports", "reports/"),
    ("search", "search/"),
    ("browse", "browse/"),
    ("web", ""),
)


def _app_patterns() -> list:
    return [path(prefix, include(import_module(f"obserwatorium.{app}.urls"))) for app, prefix in APP_URLS]


# Where each registry app mounted the history page before it had one address (/history/<app>/<model>/<pk>/):
# pages and feeds elsewhere link the old addresses, so they answer with a permanent redirect.
MOVED_HISTORY = (("strategy", "strategy/history/"), ("events", "events/history/"), ("cooperation", "registry-history/"))


def _moved_history_patterns() -> list:
    moved = RedirectView.as_view(pattern_name="history:record", permanent=True, query_string=True)
    return [path(f"{prefix}<str:model>/<int:pk>/", moved, {"app_label": app}) for app, prefix in MOVED_HISTORY]


# A write that met another writer's lock is answered 503 with Retry-After, wherever it was raised.
handler500 = "obserwatorium.web.errors.server_error"

urlpatterns = [
    # A permanent redirect is kept by browsers for good: to the icon's plain name, not to a hashed one that the
    # next version of the icon replaces.
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "web/favicon.svg", permanent=True)),
    path("media/<path:path>", media_file, name="media"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    re_path(r"^api/", not_found),
    path("admin/", admin.site.urls),
    # The open-data catalogue (DCAT-AP) at stable addresses: by suffix, or negotiated at /catalog.
    path("catalog", catalog, name="catalog"),
    re_path(r"^catalog\.(?P<fmt>ttl|rdf|jsonld)$", catalog, name="catalog-file"),
    *_moved_history_patterns(),
    *_app_patterns(),
]
