"""Reads of the catalogue, observations, revisions and sources, shared by pages, the API and analytics."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypedDict, TypeVar

import polars as pl
from django.db import connection
from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from obserwatorium.analytics.flags import weakest
from obserwatorium.dataversion.memo import digest, remembered, remembered_many
from obserwatorium.indicators.models import Aggregation, Domain, Flag, ImportBatch, Indicator, Observation, Revision
from obserwatorium.indicators.periods import period_from_filter, period_to_filter
from obserwatorium.territory.models import Membership, Unit
from obserwatorium.vocabulary import fold

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


def search_catalogue(*, search: str = "", domain: str | None = None, headline: bool | None = None,
                     ) -> list[Indicator]:
    """Catalogue entries in catalogue order; every word of the search must occur in the code or a name (either
    language). The one catalogue search of the page and the API.

    The catalogue is small (hundreds of rows), so the text match runs in Python, identically on every engine.
    """
    words = fold(search).split()
    return [indicator for indicator in _catalogue_filtered(catalogue(), domain=domain, headline=headline)
            if _found(words, indicator.code, indicator.name_pl, indicator.name_en)]


def _catalogue_filtered(query: QuerySet[Indicator], *, domain: str | None, headline: bool | None
                        ) -> QuerySet[Indicator]:
    if domain:
        query = query.filter(domain__code=domain)
    if headline is not None:
        query = query.filter(headline=headline)
    return query


def _found(words: Sequence[str], code: str, name_pl: str, name_en: str) -> bool:
    """Whether every folded word of a catalogue search occurs in the code or a name (either language)."""
    return not words or all(word in fold(f"{code} {name_pl} {name_en}") for word in words)


def catalogue_by_domain(*, query: str = "", domain: str = "") -> list[tuple[Domain, list[Indicator]]]:
    """The catalogue grouped by domain (in domain order), filtered by a search text and a domain code."""
    groups: dict[int, tuple[Domain, list[Indicator]]] = {}
    for indicator in search_catalogue(search=query, domain=domain):
        groups.setdefault(indicator.domain_id, (indicator.domain, []))[1].append(indicator)
    return [groups[key] for key in sorted(groups, key=lambda key: (groups[key][0].order, key))]


def indicator_by_code(code: str) -> Indicator | None:
    """One catalogue indicator with its domain and ratio terms, or None."""
    return catalogue().filter(code=code).first()


class Named(Protocol):
    """A unit, or a short row of one, as `by_name` orders it."""

    @property
    def name(self) -> str: ...


NamedUnit = TypeVar("NamedUnit", bound=Named)


def by_name(units: Iterable[NamedUnit]) -> list[NamedUnit]:
    """Units in alphabetical order the same on every engine ("Świątniki" next to "Skawina", not after "Z")."""
    return sorted(units, key=lambda unit: (fold(unit.name), unit.name))


def comparison_units() -> list[Unit]:
    """The current member gminy, by name: the units every indicator is compared across."""
    return by_name(Unit.objects.members().current().select_related("parent"))


def comparison_unit_ids() -> list[int]:
    """The ids of `comparison_units`, for a page that needs only to count and sum over them (no objects)."""
    return list(Unit.objects.members().current().order_by("pk").values_list("pk", flat=True))


class GminaRow(NamedTuple):
    """A current gmina as a page lists it (a link to its page, whether a member): a row, not a model object."""

    pk: int
    name: str
    slug: str
    member: bool


def gmina_rows() -> list[GminaRow]:
    """Every current gmina in the order of `map_units`, as rows: a page of 2,477 gminy that links a few of them
    and draws its map from what it keeps builds no model object per gmina (8 ms here, against 38)."""
    return by_name(GminaRow(pk, name, slug, membership == Membership.MEMBER) for pk, name, slug, membership
                   in Unit.objects.gminy().current().values_list("pk", "name", "slug", "membership"))


def map_units(*, with_powiat: bool = False) -> list[Unit]:
    """Every current gmina (members and their non-member neighbours) with boundary and tile-grid position.

    `with_powiat`: each gmina's `parent` read too, in one more query whatever the number of gminy (its name only)."""
    gminy = Unit.objects.gminy().current()
    if with_powiat:
        gminy = gminy.prefetch_related(Prefetch("parent", queryset=Unit.objects.only("id", "name", "teryt")))
    return by_name(gminy)


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


def group_weight_id(indicator: Indicator, population_id: int | None) -> int | None:
    """The id of `group_weight` (without reading the denominator's row)."""
    if indicator.aggregation == Aggregation.RATIO_OF_SUMS:
        return indicator.denominator_id
    if indicator.aggregation == Aggregation.POPULATION_WEIGHTED_MEAN:
        return population_id
    return None


def _cell_index(query: QuerySet[Observation], index: CellIndex | None = None) -> CellIndex:
    index = {} if index is None else index
    for indicator_id, unit_id, period, value, flag, batch_id in query.values_list(
            "indicator_id", "unit_id", "period", "value", "flag", "batch_id"):
        index.setdefault(indicator_id, {}).setdefault(unit_id, {})[period] = Cell(value, flag, batch_id)
    return index


def observation_cells(*, indicator_ids: Iterable[int] | None, unit_ids: Iterable[int]) -> CellIndex:
    """Values, flags and batches of these indicators (None: all) for these units, in ONE query."""
    query = Observation.objects.filter(unit_id__in=list(unit_ids))
    if indicator_ids is not None:
        query = query.filter(indicator_id__in=list(indicator_ids))
    return _cell_index(query)


class StoredCount(NamedTuple):
    """How many cells of one (period, flag, batch) an indicator holds for a group of units, and how many of them
    have a value."""

    period: str
    flag: str
    batch_id: int
    stored: int
    valued: int


def stored_counts(*, indicator_id: int, unit_ids: Iterable[int]) -> list[StoredCount]:
    """The indicator's cells for these units counted by period, flag and batch, in ONE query: what a page says of
    every cell (its periods, flags and sources) is a few counts, not every unit's value."""
    rows = (Observation.objects.filter(indicator_id=indicator_id, unit_id__in=list(unit_ids)).order_by()
            .values_list("period", "flag", "batch_id").annotate(stored=Count("pk"), valued=Count("value")))
    return [StoredCount(*row) for row in rows]


def latest_cells(*, indicator_id: int, unit_ids: Iterable[int]) -> CellIndex:
    """Each unit's cell of the indicator in its latest period with a value, in ONE query: a list of units shows
    one value each, not every period of every unit (the periods compared as text, as `max` compares them)."""
    # A window over the units' rows, not a correlated subquery: one pass over the index on (unit, indicator).
    latest_first = Window(RowNumber(), partition_by=[F("unit_id")], order_by=F("period").desc())
    return _cell_index(Observation.objects.filter(indicator_id=indicator_id, unit_id__in=list(unit_ids),
                                                  value__isnull=False).annotate(latest=latest_first)
                       .filter(latest=1))


def period_cells(pairs: Iterable[tuple[int, str]], *, unit_ids: Iterable[int],
                 into: CellIndex | None = None) -> CellIndex:
    """The cells of these (indicator id, period) pairs only, for these units, in ONE query (none without pairs):
    what a page shows of a group is one period per indicator, not every period of every member.

    `into`: an index to add them to (e.g. one unit's own cells over every period)."""
    index: CellIndex = {} if into is None else into
    pairs = list(pairs)
    if not pairs:
        return index
    return _cell_index(Observation.objects.filter(pairs_condition(pairs), unit_id__in=list(unit_ids)), index)


def pairs_condition(pairs: Iterable[tuple[Any, str]], *, indicator_field: str = "indicator_id") -> Q:
    """The observations of these (indicator, period) pairs, one condition per period (matching nothing without
    pairs); `indicator_field` names what the pairs give of the indicator (its id, or `indicator__code`)."""
    by_period: dict[str, set[Any]] = {}
    for indicator, period in pairs:
        by_period.setdefault(period, set()).add(indicator)
    condition = Q(pk__in=[])
    for period, indicators in sorted(by_period.items()):
        condition |= Q(period=period, **{f"{indicator_field}__in": sorted(indicators)})
    return condition


def stored_periods(*, indicator_ids: Iterable[int] | None, unit_ids: Iterable[int]) -> dict[int, list[str]]:
    """Per indicator (None: all), every period in which any of these units has a stored cell, in order; one
    query that returns the distinct periods, not the cells.

    The units are a filter (`unit_id + 0`), not an index: SQLite then walks the (indicator, period) index and
    skips to the next period at the first row of one of the units, where an index on the units would read every
    row of every unit (2.6M at national scale)."""
    query = Observation.objects.alias(unit_key=F("unit_id") + 0).filter(unit_key__in=list(unit_ids))
    if indicator_ids is not None:
        query = query.filter(indicator_id__in=list(indicator_ids))
    found: dict[int, set[str]] = {}
    for indicator_id, period in query.order_by().values_list("indicator_id", "period").distinct():
        found.setdefault(indicator_id, set()).add(period)
    return {indicator_id: sorted(periods) for indicator_id, periods in found.items()}


def kept_periods(*, indicator_ids: Iterable[int], unit_ids: Iterable[int]) -> dict[int, list[str]]:
    """`stored_periods` of these indicators for these units, each computed once per version of its values and
    kept (`dataversion.memo`): every member's page draws its sparklines over the same periods."""
    units = sorted(set(unit_ids))
    group = digest(units)

    def compute(missing: list[int]) -> dict[int, list[str]]:
        found = stored_periods(indicator_ids=missing, unit_ids=units)
        return {pk: found.get(pk, []) for pk in missing}  # none stored: kept as such too

    return remembered_many("stored-periods", {pk: (pk, group) for pk in set(indicator_ids)}, compute,
                           reads=lambda pk: (pk,))


class GroupRequest(NamedTuple):
    """One group value a page shows: of `indicator_id` in `period`, weighted by `weight_id` (None: unweighted),
    with the count of values better than `own` (None: no position) in the direction `sense` (1: higher is
    better, -1: lower is better, as `analytics.ranking.rank_of` reads a polarity)."""

    indicator_id: int
    period: str
    weight_id: int | None = None
    own: float | None = None
    sense: int = 1
    population: bool = False  # whether the coverage rule weighs the units by population (a mean or ratio)


class GroupSums(NamedTuple):
    """The units' values of one (indicator, period) summed in the database, for `analytics.aggregate.finish`.

    `values`, `value_sum`, `value_flag`: how many units have a value, their sum and weakest flag; `better`: how
    many of them are better than the request's `own`. `pairs`, `weighted_sum`, `weight_sum`, `pair_flag`,
    `covered_population`: the same over the units with a value and a weight (value x weight, weight, the
    weakest flag of both, their population by the coverage rule's `nearest`); `group_population`: that of every
    unit with a known population (None: none known)."""

    values: int = 0
    value_sum: float = 0.0
    value_flag: str = "final"
    better: int = 0
    pairs: int = 0
    weighted_sum: float = 0.0
    weight_sum: float = 0.0
    pair_flag: str = "final"
    covered_population: float | None = None
    group_population: float | None = None


def _flag_rank(column: str) -> str:
    """SQL: the weakness rank of a flag column, as `analytics.flags.weakest` ranks it (unknown: the weakest)."""
    from obserwatorium.analytics.flags import FLAG_ORDER

    ranks = " ".join(f"WHEN '{flag}' THEN {rank}" for rank, flag in enumerate(FLAG_ORDER))
    return f"CASE {column} WHEN '' THEN 0 {ranks} ELSE {len(FLAG_ORDER) - 1} END"


def _flag_name(rank: int | None) -> str:
    from obserwatorium.analytics.flags import FLAG_ORDER

    return FLAG_ORDER[rank] if rank is not None else FLAG_ORDER[0]


def _product(a: str, b: str) -> str:
    """SQL: `a * b`, 0 where the product is below the smallest normal double (as Python's product is then 0 or a
    subnormal, never more than 2.3e-308): PostgreSQL refuses a product that underflows ("value out of range:
    underflow"), which values as small as 1e-200 give."""
    return f"CASE WHEN {a} = 0 OR {b} = 0 OR ABS({a}) < 2.3e-308 / ABS({b}) THEN 0.0 ELSE {a} * {b} END"


def _current_sql(query: QuerySet[Observation]) -> tuple[str, tuple]:
    """The SQL of current observations (the manager's rule, never written twice) with a value, as a subquery."""
    return query.filter(value__isnull=False).order_by().values(
        "indicator_id", "unit_id", "period", "value", "flag").query.sql_with_params()


def group_sums(requests: Sequence[GroupRequest], *, unit_ids: Iterable[int], population_id: int | None
               ) -> dict[tuple[int, str], GroupSums]:
    """For each request, the group's values summed in the database, in ONE query whatever the number of units:
    what a page needs of a group value and a position is a few sums, not every unit's value.

    `population_id`: the population indicator, whose `nearest` value per unit (the one the coverage rule takes)
    is summed over the units of each weighted request; the periods compared in SQL as text, as Python does.
    Every request gets an entry (no unit value: counts of 0); its populations are None unless it asks for them."""
    requests = list({(request.indicator_id, request.period): request for request in requests}.values())
    if not requests:
        return {}
    members = list(unit_ids)
    current_sql, current_params = _current_sql(Observation.objects.all())
    # `unit_id + 0`: the units are a filter on the rows of each (indicator, period), not 2,477 index seeks each.
    in_members = f"x.unit_id + 0 IN ({', '.join(['%s'] * len(members))})" if members else "1 = 0"

    def spec(chosen: list[GroupRequest]) -> tuple[str, list]:
        """The requests as rows (each branch its own copy: SQLite then reads it in place, not materialized)."""
        row = ("SELECT CAST(%s AS INTEGER) AS indicator_id, CAST(%s AS TEXT) AS period, CAST(%s AS INTEGER) AS"
               " weight_id, CAST(%s AS DOUBLE PRECISION) AS own, CAST(%s AS INTEGER) AS sense")
        return f"({' UNION ALL '.join([row] * len(chosen))}) spec", [field for r in chosen for field in r[:5]]

    asked = sorted({request.period for request in requests if request.population})
    sized = bool(asked) and population_id is not None
    ctes: list[str] = []
    params: list = []
    if sized and population_id is not None:
        population_sql, population_params = _current_sql(Observation.objects.filter(
            indicator_id=population_id, unit_id__in=members))
        periods = " UNION ALL ".join(["SELECT CAST(%s AS TEXT) AS period"] * len(asked))
        ctes += [f"known AS ({population_sql})", f"asked AS ({periods})",
                 # Each unit's nearest period with a population: the period itself where the unit has it (most
                 # units, found by one join), else the latest before it, else the earliest: only those units are
                 # compared with each of their periods (every unit x every period asked x every period known
                 # took 50 ms per period asked at 2,477 gminy x 20 years).
                 "exact AS (SELECT known.unit_id, asked.period, known.value AS size FROM asked JOIN known"
                 " ON known.period = asked.period)",
                 "missing AS (SELECT units.unit_id, asked.period FROM (SELECT DISTINCT unit_id FROM known) units"
                 " CROSS JOIN asked LEFT JOIN exact ON exact.unit_id = units.unit_id AND exact.period = asked.period"
                 " WHERE exact.unit_id IS NULL)",
                 "chosen AS (SELECT missing.unit_id, missing.period, COALESCE(MAX(CASE WHEN known.period <="
                 " missing.period THEN known.period END), MIN(known.period)) AS source FROM missing JOIN known"
                 " ON known.unit_id = missing.unit_id GROUP BY missing.unit_id, missing.period)",
                 "sizes AS (SELECT unit_id, period, size FROM exact UNION ALL SELECT chosen.unit_id, chosen.period,"
                 " known.value FROM chosen JOIN known ON known.unit_id = chosen.unit_id"
                 " AND known.period = chosen.source)"]
        params += [*population_params, *asked]
    better = ("CASE WHEN (spec.sense > 0 AND x.value > spec.own) OR (spec.sense < 0 AND x.value < spec.own)"
              " THEN 1 ELSE 0 END")
    paired = "w.unit_id IS NOT NULL"  # the unit has a weight too (never for a request without one)
    every_sql, every_params = spec(requests)
    # One pass over each request's values; CROSS JOIN keeps SQLite's join order (the requests, then the index on
    # indicator and period), other engines plan it as the same inner join. Each value's weight is looked up in
    # the same index, and its unit's size among `sizes`.
    branches = [
        f"SELECT 'values' AS kind, spec.indicator_id, spec.period, COUNT(*) AS n, SUM(x.value) AS total,"
        f" MAX({_flag_rank('x.flag')}) AS flag_rank, SUM({better}) AS better, COUNT(w.unit_id) AS pairs,"
        f" SUM({_product('x.value', 'w.value')}) AS weighted, SUM(w.value) AS weights,"
        f" MAX(CASE WHEN {paired} THEN {_flag_rank('x.flag')} END) AS pair_rank,"
        f" MAX(CASE WHEN {paired} THEN {_flag_rank('w.flag')} END) AS weight_rank,"
        f" {f'SUM(CASE WHEN {paired} THEN sizes.size END)' if sized else 'NULL'} AS sized"
        f" FROM {every_sql} CROSS JOIN ({current_sql}) x LEFT JOIN ({current_sql}) w"
        " ON w.indicator_id = spec.weight_id AND w.period = spec.period AND w.unit_id = x.unit_id"
        + (" LEFT JOIN sizes ON sizes.unit_id = x.unit_id AND sizes.period = spec.period" if sized else "")
        + f" WHERE x.indicator_id = spec.indicator_id AND x.period = spec.period AND {in_members}"
        " GROUP BY spec.indicator_id, spec.period"]
    params += [*every_params, *current_params, *current_params, *members]
    if sized:
        branches.append("SELECT 'group', NULL, period, COUNT(*), SUM(size), NULL, NULL, NULL, NULL, NULL, NULL,"
                        " NULL, NULL FROM sizes GROUP BY period")
    sql = (f"WITH {', '.join(ctes)} " if ctes else "") + " UNION ALL ".join(branches)
    summed: dict[tuple[int, str], GroupSums] = {}
    groups: dict[str, float] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for (kind, indicator_id, period, count, total, flag_rank, better_count, pairs, weighted_sum, weight_sum,
             pair_rank, weight_rank, sized_sum) in cursor.fetchall():
            if kind == "group":
                groups[period] = total
                continue
            summed[(indicator_id, period)] = GroupSums(
                values=count, value_sum=total, value_flag=_flag_name(flag_rank), better=int(better_count or 0),
                pairs=pairs, weighted_sum=weighted_sum or 0.0, weight_sum=weight_sum or 0.0,
                pair_flag=_flag_name(max(pair_rank, weight_rank)) if pairs else _flag_name(None),
                covered_population=sized_sum)
    found: dict[tuple[int, str], GroupSums] = {}
    for request in requests:
        key = (request.indicator_id, request.period)
        sums = summed.get(key, GroupSums())
        # The coverage rule's population: of the covered units and of the whole group (None, None: none known).
        group = groups.get(request.period) if request.population else None
        found[key] = sums._replace(group_population=group,
                                   covered_population=(sums.covered_population or 0.0) if group is not None else None)
    return found


class Ordered(NamedTuple):
    """The units' values of one (indicator, period), in ascending order, and the weakest of their flags."""

    values: tuple[float, ...] = ()
    flag: str = "final"


def kept_ordered_values(pairs: Iterable[tuple[int, str]], *, unit_ids: Iterable[int]
                        ) -> dict[tuple[int, str], Ordered]:
    """The units' values of each (indicator id, period) pair, in ascending order, computed once per version of
    the indicator's values and kept (`dataversion.memo`): every unit's position among them is found by bisection
    (`better_count`)."""
    members = sorted(set(unit_ids))
    group = digest(members)
    wanted = {pair: (pair[0], pair[1], group) for pair in set(pairs)}

    def compute(missing: list[tuple[int, str]]) -> dict[tuple[int, str], Ordered]:
        found: dict[tuple[int, str], list[float]] = {pair: [] for pair in missing}
        flags: dict[tuple[int, str], set[str]] = {pair: set() for pair in missing}
        sql, params = _current_sql(Observation.objects.filter(pairs_condition(missing), unit_id__in=members))
        with connection.cursor() as cursor:  # plain rows, in order: no cell objects for 2,477 units x pairs
            cursor.execute(f"SELECT indicator_id, period, value, flag FROM ({sql}) AS current ORDER BY value", params)
            for indicator_id, period, value, flag in cursor.fetchall():
                found[(indicator_id, period)].append(value)
                flags[(indicator_id, period)].add(flag)
        return {pair: Ordered(tuple(values), weakest(flags[pair])) for pair, values in found.items()}

    return remembered_many("ordered-values", wanted, compute, reads=lambda pair: (pair[0],))


def better_count(ordered: Sequence[float], own: float, sense: int) -> int:
    """How many of the `ordered` values are better than `own`, as `group_sums` counts them in the database:
    strictly higher, or strictly lower when `sense` < 0."""
    return bisect_left(ordered, own) if sense < 0 else len(ordered) - bisect_right(ordered, own)


def kept_group_sums(requests: Sequence[GroupRequest], *, unit_ids: Iterable[int], population_id: int | None
                    ) -> dict[tuple[int, str], GroupSums]:
    """`group_sums`, with what every unit's page shares computed once per version of the values it reads and
    kept (`dataversion.memo`): the sums of each (indicator, period), and its values in order (`kept_ordered_values`)
    among which each request's `better` is counted. While nothing is written, the page of any unit of the group
    reads no member's value."""
    by_key = {(r.indicator_id, r.period): r for r in requests}
    members = sorted(set(unit_ids))
    group = digest(members)
    wanted = {key: (*key, r.weight_id, r.population, group, population_id) for key, r in by_key.items()}

    def compute(missing: list[tuple[int, str]]) -> dict[tuple[int, str], GroupSums]:
        return group_sums([by_key[key]._replace(own=None) for key in missing], unit_ids=members,
                          population_id=population_id)

    def reads(key: tuple[int, str]) -> set[int]:
        """The indicator, its weight and, where the coverage rule weighs the units, population (`group_sums`)."""
        request = by_key[key]
        return {request.indicator_id} | ({request.weight_id} if request.weight_id is not None else set()) | (
            {population_id} if request.population and population_id is not None else set())

    kept = remembered_many("group-sums", wanted, compute, reads=reads)
    ranked = [key for key, request in by_key.items() if request.own is not None]
    ordered = kept_ordered_values(ranked, unit_ids=members)
    return {key: kept[key]._replace(better=better_count(ordered[key].values, request.own, request.sense)
                                    if request.own is not None else 0)
            for key, request in by_key.items()}


def batches(ids: Iterable[int]) -> list[ImportBatch]:
    """The import batches with these ids, newest first."""
    return list(ImportBatch.objects.filter(pk__in=list(ids)).order_by("-created_at", "-pk"))


def gmina_by_slug(slug: str) -> Unit | None:
    """A current gmina (member or not) by its slug, with its parent powiat, or None."""
    return Unit.objects.gminy().current().select_related("parent").filter(slug=slug).first()


# --- Reads shaped for the API: plain rows from values()/values_list(), never one ORM object per observation ----

INDICATOR_SUMMARY_FIELDS = ("code", "name_pl", "name_en", "unit_pl", "unit_en", "polarity", "decimals", "headline",
                            "bdl_variable_id")
INDICATOR_FIELDS = ("code", "domain__code", *INDICATOR_SUMMARY_FIELDS[1:],
                    "order", "definition_pl", "definition_en", "aggregation", "numerator__code", "denominator__code",
                    "scale", "min_value", "max_value", "source_pl", "source_en", "bdl_scale", "bdl_note_pl",
                    "bdl_note_en")
OBSERVATION_COLUMNS = ("indicator__code", "unit__teryt", "unit__name", "period", "value", "flag", "batch_id")
REVISION_COLUMNS = ("indicator__code", "unit__teryt", "unit__name", "period", "old_value", "new_value", "old_flag",
                    "new_flag", "old_batch_id", "batch_id", "user__first_name", "user__last_name",
                    "user__username", "changed_at")


def _blank_to_none(row: dict[str, Any], *fields: str) -> dict[str, Any]:
    for field in fields:
        if row.get(field) == "":
            row[field] = None
    return row


def _rename(row: Mapping[str, Any], **names: str) -> dict[str, Any]:
    renamed = dict(row)
    for old, new in names.items():
        renamed[new] = renamed.pop(old)
    return renamed


def domain_rows() -> list[dict[str, Any]]:
    """Domains in their order, with the number of indicators in each."""
    rows = Domain.objects.annotate(indicator_count=Count("indicators")).order_by("order", "code").values(
        "code", "order", "strategic", "name_pl", "name_en", "description_pl", "description_en", "color",
        "indicator_count")
    return [_rename(row, indicator_count="indicators") for row in rows]


def indicator_summaries(*, domain: str | None = None, headline: bool | None = None, search: str | None = None,
                        ) -> list[dict[str, Any]]:
    """Catalogue summaries found as `search_catalogue` finds them, in catalogue order, as rows of the fields they
    show (no model object: a national catalogue holds hundreds of indicators with long definitions)."""
    words = fold(search or "").split()
    rows = _catalogue_filtered(Indicator.objects.all(), domain=domain, headline=headline).values(
        *INDICATOR_SUMMARY_FIELDS, "domain__code")
    return [_rename(row, domain__code="domain") for row in rows
            if _found(words, row["code"], row["name_pl"], row["name_en"])]


def indicator_metadata(code: str) -> dict[str, Any] | None:
    """Full metadata of one indicator, with the coverage of its stored values."""
    row = Indicator.objects.filter(code=code).values("id", *INDICATOR_FIELDS).first()
    if row is None:
        return None
    row["coverage"] = coverage(row.pop("id"))
    return _rename(row, domain__code="domain", numerator__code="numerator", denominator__code="denominator")


def coverage(indicator_id: int) -> dict[str, Any]:
    """How many values an indicator holds, for how many units, over which periods, and whether any is demo data:
    counted over every stored value (21 ms at 2,477 gminy x 20 years), so kept until a write of its values."""

    def count() -> dict[str, Any]:
        values = Observation.objects.filter(indicator_id=indicator_id)
        found = values.aggregate(observations=Count("id"), units=Count("unit_id", distinct=True),
                                 first_period=Min("period"), last_period=Max("period"))
        found["demo"] = values.filter(flag=Flag.DEMO).exists()
        return found

    return dict(remembered("coverage", (indicator_id,), count, reads=(indicator_id,)))


def indicators_by_code(codes: Sequence[str]) -> dict[str, Indicator]:
    """The indicators with these codes (only id and code loaded), by code."""
    return {i.code: i for i in Indicator.objects.filter(code__in=list(codes)).only("id", "code")}


def domain_exists(code: str) -> bool:
    return Domain.objects.filter(code=code).exists()


def observation_summary(query: QuerySet[Observation]) -> tuple[int, bool]:
    """How many observations a query matches and whether any is demonstration data, in one query."""
    found = query.order_by().aggregate(count=Count("pk"), demo=Count("pk", filter=Q(flag=Flag.DEMO)))
    return found["count"], bool(found["demo"])


def sources(batch_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Provenance of the given import batches, by id."""
    rows = ImportBatch.objects.filter(pk__in=set(batch_ids)).order_by("id").values(
        "id", "kind", "source", "source_url", "licence", "retrieved_at", "created_at")
    return [_blank_to_none(_rename(row, id="batch"), "source_url", "licence") for row in rows]


def revisions(*, indicator_ids: Sequence[int] | None = None, unit_ids: Sequence[int] | None = None,
              period: str | None = None) -> QuerySet[Revision]:
    """Revision history, newest first, in a stable order."""
    query = Revision.objects.all()
    if indicator_ids is not None:
        query = query.filter(indicator_id__in=indicator_ids)
    if unit_ids is not None:
        query = query.filter(unit_id__in=unit_ids)
    if period:
        query = query.filter(period=period)
    return query.order_by("-changed_at", "-id")


def revision_row(row: tuple) -> dict[str, Any]:
    """One revision from a REVISION_COLUMNS tuple; the user is named by full name, else by user name."""
    (code, teryt, name, period, old_value, new_value, old_flag, new_flag, old_batch, batch,
     first_name, last_name, username, changed_at) = row
    user = f"{first_name or ''} {last_name or ''}".strip() or username or None
    return {"indicator": code, "teryt": teryt, "unit": name, "period": period, "old_value": old_value,
            "new_value": new_value, "old_flag": old_flag, "new_flag": new_flag, "old_batch": old_batch,
            "batch": batch, "user": user, "changed_at": changed_at}
