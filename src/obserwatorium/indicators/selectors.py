"""Reads of the catalogue and observations, shared by pages, the API and analytics."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
from django.db.models import QuerySet

from obserwatorium.indicators.models import Flag, Indicator, Observation
from obserwatorium.indicators.periods import period_from_filter, period_to_filter

OBSERVATION_SCHEMA = {
    "indicator": pl.Utf8, "teryt": pl.Utf8, "unit": pl.Utf8, "period": pl.Utf8, "value": pl.Float64,
    "flag": pl.Utf8,
}


def catalogue() -> QuerySet[Indicator]:
    """Every indicator with its domain, in catalogue order."""
    return Indicator.objects.select_related("domain", "numerator", "denominator")


def observations(
    *, indicators: Sequence[Indicator] | None = None, unit_ids: Sequence[int] | None = None,
    period_from: str | None = None, period_to: str | None = None,
) -> QuerySet[Observation]:
    """Observations filtered by indicator, unit and an inclusive period range, in a stable order."""
    query = Observation.objects.all()
    if indicators is not None:
        query = query.filter(indicator__in=[i.pk for i in indicators])
    if unit_ids is not None:
        query = query.filter(unit_id__in=unit_ids)
    if period_from:
        query = query.filter(period_from_filter(period_from))
    if period_to:
        query = query.filter(period_to_filter(period_to))
    return query.order_by("indicator__code", "unit__teryt", "period", "pk")


def observation_frame(**filters) -> pl.DataFrame:
    """The same observations as a polars frame (indicator code, TERYT, unit name, period, value, flag)."""
    rows = observations(**filters).values_list(
        "indicator__code", "unit__teryt", "unit__name", "period", "value", "flag")
    return pl.DataFrame(list(rows), schema=OBSERVATION_SCHEMA, orient="row")


def has_demo_values(*, indicators: Sequence[Indicator] | None = None, unit_ids: Sequence[int] | None = None) -> bool:
    """Whether anything shown for these indicators/units is demonstration data."""
    return observations(indicators=indicators, unit_ids=unit_ids).filter(flag=Flag.DEMO).exists()
