"""The site's main navigation, declared as data; an entry whose page is not installed is left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


@dataclass(frozen=True)
class NavEntry:
    url_name: str
    label: str | Promise
    staff_only: bool = False  # Django staff: the admin
    writers_only: bool = False  # holders of a role (staff or not): the site's write pages


MAIN_NAVIGATION: tuple[NavEntry, ...] = (
    NavEntry("web:home", _("Home")),
    NavEntry("web:indicators", _("Indicators")),
    NavEntry("web:units", _("Municipalities")),
    NavEntry("insights:rankings", _("Rankings")),
    NavEntry("strategy:tree", _("Strategy 2030")),
    NavEntry("cooperation:forums", _("Forums")),
    NavEntry("cooperation:projects", _("Projects")),
    NavEntry("cooperation:partners", _("Partners")),
    NavEntry("cooperation:documents", _("Documents")),
    NavEntry("events:calendar", _("Events")),
    NavEntry("news:list", _("News")),
    NavEntry("reports:index", _("Reports")),
    NavEntry("search:search", _("Search")),
    NavEntry("insights:open-data", _("Open data")),
    NavEntry("browse:index", _("Browse data")),
    NavEntry("api-1.0.0:openapi-view", _("API")),
    NavEntry("ingest:upload", _("Import data"), writers_only=True),
    NavEntry("collection:requests", _("Data requests"), writers_only=True),
    NavEntry("admin:index", _("Administration"), staff_only=True),
)


def navigation_links(current_path: str, user: Actor | None = None) -> list[dict]:
    """Links of the main navigation for this user; the admin only for staff, write pages only for role holders."""
    from obserwatorium.access.rules import scope_of

    is_staff = bool(user is not None and user.is_authenticated and user.is_staff)
    links = []
    for entry in MAIN_NAVIGATION:
        if entry.staff_only and not is_staff:
            continue
        if entry.writers_only and not scope_of(user).any:
            continue
        url = reverse(entry.url_name)
        active = current_path == url if url == "/" else current_path.startswith(url)
        links.append({"url": url, "label": entry.label, "active": active})
    return links
