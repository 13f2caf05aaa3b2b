"""Reads of the catalogue and observations, shared by pages, the API and analytics."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple, TypedDict

import polars as pl
from django.db.models import Prefetch, QuerySet

from obserwatorium.indicators.models import Aggregation, Domain, ImportBatch, Indicator, Observation
from obserwatorium.indicators.periods import period_from_filter, period_to_filter
from obserwatorium.territory.models import Unit

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

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


# --- Reads for the public pages ---------------------------------------------------------------------------

POPULATION_CODE = "population"


class Cell(NamedTuple):
    """One stored value as the pages need it."""

    value: float | None
    flag: str
    batch_id: int


# indicator id -> unit id -> period -> cell
CellIndex = dict[int, dict[int, dict[str, Cell]]]


class HeadlinePrefetch(TypedDict):
    """What `strategy_domains` adds to each domain."""

    headline_indicators: list[Indicator]


def strategy_domains() -> QuerySet[WithAnnotations[Domain, HeadlinePrefetch]]:
    """The strategy domains in order, each with its headline indicators prefetched (catalogue order)."""
    headlines = Indicator.objects.filter(headline=True).select_related("numerator", "denominator")
    return Domain.objects.filter(strategic=True).prefetch_related(
        Prefetch("indicators", queryset=headlines, to_attr="headline_indicators"))


def domains() -> QuerySet[Domain]:
    """Every domain in order."""
    return Domain.objects.all()


def _folded(text: str) -> str:
    # Search without case or Polish diacritics: "ludnosc" finds "Ludność" (ł has no decomposition).
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ł", "l"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def catalogue_by_domain(*, query: str = "", domain: str = "") -> list[tuple[Domain, list[Indicator]]]:
    """The catalogue grouped by domain, filtered by a search text (both languages) and a domain code.

    The catalogue is small (hundreds of rows), so the text match runs in Python, identically on every engine.
    """
    needle = _folded(query.strip())
    groups: dict[int, tuple[Domain, list[Indicator]]] = {}
    for indicator in catalogue():
        if domain and indicator.domain.code != domain:
            continue
        if needle:
            haystack = _folded(" ".join((indicator.code, indicator.name_pl, indicator.name_en,
                                         indicator.definition_pl, indicator.definition_en)))
            if needle not in haystack:
                continue
        groups.setdefault(indicator.domain_id, (indicator.domain, []))[1].append(indicator)
    return [groups[key] for key in sorted(groups, key=lambda key: (groups[key][0].order, key))]


def indicator_by_code(code: str) -> Indicator | None:
    """One catalogue indicator with its domain and ratio terms, or None."""
    return catalogue().filter(code=code).first()


def by_name(units: Iterable[Unit]) -> list[Unit]:
    """Units in alphabetical order the same on every engine ("Świątniki" next to "Skawina", not after "Z")."""
    return sorted(units, key=lambda unit: (_folded(unit.name), unit.name))


def comparison_units() -> list[Unit]:
    """The current member gminy, by name: the units every indicator is compared across."""
    return by_name(Unit.objects.members().current().select_related("parent"))


def map_units() -> list[Unit]:
    """Every current gmina (members and their non-member neighbours) with boundary and tile-grid position."""
    return by_name(Unit.objects.gminy().current())


def population_indicator() -> Indicator | None:
    """The population indicator, the weight of population-weighted means."""
    return Indicator.objects.filter(code=POPULATION_CODE).first()


def home_gmina() -> Unit | None:
    """The member gmina a page shows when none is chosen: the most populous at its latest stated year (the core
    city of a metropolis), else the first member by name; None without members. Nothing names a city in code."""
    members = {unit.pk: unit for unit in comparison_units()}
    population = population_indicator()
    latest: dict[int, tuple[str, float]] = {}
    if population is not None and members:
        for unit_id, period, value in (Observation.objects.filter(indicator=population, unit_id__in=members)
                                       .exclude(value=None).order_by("period").values_list("unit_id", "period",
                                                                                           "value")):
            latest[unit_id] = (period, value or 0.0)
    if latest:
        return members[max(latest, key=lambda unit_id: latest[unit_id][1])]
    return next(iter(members.values()), None)


def group_weight(indicator: Indicator, population: Indicator | None) -> Indicator | None:
    """The indicator whose values weight `indicator`'s unit values in a group value: the ratio's denominator for
    a ratio of sums, population for a population-weighted mean, none otherwise (see analytics.aggregate)."""
    if indicator.aggregation == Aggregation.RATIO_OF_SUMS:
        return indicator.denominator
    if indicator.aggregation == Aggregation.POPULATION_WEIGHTED_MEAN:
        return population
    return None


def observation_cells(*, indicator_ids: Iterable[int] | None, unit_ids: Iterable[int]) -> CellIndex:
    """Values, flags and batches of these indicators (None: all) for these units, in ONE query."""
    query = Observation.objects.filter(unit_id__in=list(unit_ids))
    if indicator_ids is not None:
        query = query.filter(indicator_id__in=list(indicator_ids))
    index: CellIndex = {}
    for indicator_id, unit_id, period, value, flag, batch_id in query.values_list(
            "indicator_id", "unit_id", "period", "value", "flag", "batch_id"):
        index.setdefault(indicator_id, {}).setdefault(unit_id, {})[period] = Cell(value, flag, batch_id)
    return index


def batches(ids: Iterable[int]) -> list[ImportBatch]:
    """The import batches with these ids, newest first."""
    return list(ImportBatch.objects.filter(pk__in=list(ids)).order_by("-created_at", "-pk"))


def gmina_by_slug(slug: str) -> Unit | None:
    """A current gmina (member or not) by its slug, with its parent powiat, or None."""
    return Unit.objects.gminy().current().select_related("parent").filter(slug=slug).first()
