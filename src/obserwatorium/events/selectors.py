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
