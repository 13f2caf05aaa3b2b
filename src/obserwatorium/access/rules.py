"""Who may write what. Every write path (admin, pages, API, CLI) asks these functions."""

from __future__ import annotations

from django.db.models import QuerySet

from obserwatorium.territory.models import Unit


def units_editable_for_observations(user) -> QuerySet[Unit]:
    """Units whose observations the user may write: all for office staff, none for anyone else."""
    if user is not None and user.is_active and (user.is_superuser or user.is_staff):
        return Unit.objects.all()
    return Unit.objects.none()
