"""Reads of the culture-events calendar."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet

from obserwatorium.events.models import Event


def public_events(*, since: datetime | None = None, unit_teryt: str = "", category: str = "") -> QuerySet[Event]:
    """Published events still running or to come after `since` (all when None), earliest first."""
    query = Event.objects.public().select_related("unit")
    if since is not None:
        query = query.filter(Q(starts_at__gte=since) | Q(ends_at__gte=since))
    if unit_teryt:
        query = query.filter(unit__teryt=unit_teryt)
    if category:
        query = query.filter(category=category)
    return query.order_by("starts_at", "title")


def events_by_unit(unit_ids: list[int], *, years: set[int]) -> dict[int, list[Event]]:
    """Published calendar events of each of these gminy starting in one of `years`, earliest first (one query)."""
    found: dict[int, list[Event]] = {}
    query = (Event.objects.public().filter(unit_id__in=unit_ids, starts_at__year__in=sorted(years))
             .order_by("starts_at", "title"))
    for event in query:
        found.setdefault(event.unit_id, []).append(event)
    return found
