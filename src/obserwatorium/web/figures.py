"""Figures the pages show, from stored cells: metropolis values by period, headline values, formatted cells."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from obserwatorium.analytics import coverage
from obserwatorium.analytics.aggregate import Aggregate, Population, Rule, aggregate_one
from obserwatorium.analytics.trend import Change, change
from obserwatorium.dataversion.memo import digest, remembered_many
from obserwatorium.indicators.group_values import summed_aggregate
from obserwatorium.indicators.marks import FLAG_MARKS
from obserwatorium.indicators.models import Aggregation, Flag, Indicator
from obserwatorium.indicators.selectors import (
    Cell,
    CellIndex,
    GroupSums,
    group_weight,
    observation_cells,
    period_cells,
    stored_periods,
)
from obserwatorium.numbers import format_number, number_formatter
from obserwatorium.territory.models import Unit


@dataclass(frozen=True)
class MetropolisFigure:
    """The metropolis value of one period, its coverage and the weakest flag of its inputs."""

    aggregate: Aggregate

    @property
    def value(self) -> float | None:
        return self.aggregate.value

    @property
    def flag(self) -> str:
        return self.aggregate.flag

    @property
    def demo(self) -> bool:
        """Whether a shown value was computed from any demonstration input."""
        return self.aggregate.flag == Flag.DEMO and self.value is not None


FLAG_LABELS = {flag.value: flag.label for flag in Flag}  # lazy: translated when shown; Flag.values is rebuilt per call


@lru_cache(maxsize=64)
def _flag_text(flag: str, language: str | None) -> str:
    """A flag's label in `language` (the active one: its translation looked up once, not once per cell)."""
    label = FLAG_LABELS.get(flag)
    return str(label) if label is not None else flag


@dataclass(frozen=True)
class ShownValue:
    """A value as a table shows it: formatted text and its flag."""

    value: float | None
    text: str
    flag: str
    period: str = ""

    @property
    def flag_label(self) -> str:
        return _flag_text(self.flag, get_language())

    @property
    def demo(self) -> bool:
        return self.flag == Flag.DEMO

    @property
    def flag_mark(self) -> str:
        """Short mark shown beside a value whose flag is not "final"; "" for final or missing values."""
        return str(FLAG_MARKS.get(self.flag, "")) if self.value is not None else ""


def uniform_flag(values: Iterable[ShownValue | Cell]) -> str:
    """The flag every shown (or stored) value shares, or "" when they differ (then each value shows its own mark)."""
    return single_flag({value.flag for value in values if value.value is not None})


def single_flag(flags: Set[str]) -> str:
    """The one flag of `flags`, or "" when there are none or several."""
    return next(iter(flags)) if len(flags) == 1 else ""


def _weight_id(indicator: Indicator, population: Indicator | None) -> int | None:
    weight = group_weight(indicator, population)
    return weight.pk if weight is not None else None


def input_indicator_ids(indicators: Iterable[Indicator], population: Indicator | None) -> set[int]:
    """Ids of the indicators, of the weights their metropolis values are computed with and, for a mean or
    ratio, of population (the coverage rule weighs the units by it)."""
    ids: set[int] = set()
    for indicator in indicators:
        ids.add(indicator.pk)
        if (weight_id := _weight_id(indicator, population)) is not None:
            ids.add(weight_id)
            if population is not None:
                ids.add(population.pk)
    return ids


def _cells(cells: CellIndex, indicator_id: int | None, period: str, unit_ids: Sequence[int]) -> dict:
    by_unit = cells.get(indicator_id, {}) if indicator_id else {}
    return {uid: by_unit[uid][period] for uid in unit_ids if period in by_unit.get(uid, {})}


# period -> member id -> {period: that member's population by the coverage rule's `nearest`}
PopulationSizes = dict[str, Population]


def _population(cells: CellIndex, population: Indicator | None, period: str, unit_ids: Sequence[int],
                sizes: PopulationSizes | None) -> Population:
    """Each member's population in `period` as the coverage rule reads it (its `nearest` value), worked out once
    per period when `sizes` keeps them: the same figure the rule would find in the member's whole series."""
    if sizes is not None and period in sizes:
        return sizes[period]
    by_unit = cells.get(population.pk, {}) if population else {}
    found: Population = {uid: {period: coverage.nearest({p: cell.value for p, cell in by_unit[uid].items()}, period)}
             for uid in unit_ids if uid in by_unit}
    if sizes is not None:
        sizes[period] = found
    return found


class Keyed(Protocol):
    """A unit as a group value uses it: by its key (a `Unit`, or a unit of an analytics group)."""

    @property
    def pk(self) -> int: ...


def metropolis_figure(indicator: Indicator, cells: CellIndex, members: Sequence[Keyed], period: str,
                      population: Indicator | None, *, sizes: PopulationSizes | None = None) -> MetropolisFigure:
    """The metropolis value of `indicator` in `period` by its aggregation rule, from the same unit values the
    page shows (weighted where the rule says), with coverage and the weakest flag of what it used.

    `cells` needs the members' cells of `period` only (of the indicator and its weight) and, for a mean or
    ratio, their population over every period (the coverage rule takes the nearest known). `sizes`: a cache of
    the members' population by period, for a page that computes many figures over the same members."""
    unit_ids = [unit.pk for unit in members]
    rule = Rule(indicator.aggregation)
    own = _cells(cells, indicator.pk, period, unit_ids)
    weights = _cells(cells, _weight_id(indicator, population), period, unit_ids)
    result = aggregate_one(
        rule, members=unit_ids,
        values={uid: cell.value for uid, cell in own.items()}, flags={uid: cell.flag for uid, cell in own.items()},
        weights={uid: cell.value for uid, cell in weights.items()},
        weight_flags={uid: cell.flag for uid, cell in weights.items()},
        # Only a mean or ratio judges coverage by population (a sum needs every member, `none` gives no value).
        population=_population(cells, population, period, unit_ids, sizes) if rule.weighted else {},
        period=period,
    )
    return MetropolisFigure(result)


def summed_figure(indicator: Indicator, sums: GroupSums, total: int) -> MetropolisFigure:
    """The metropolis value of `indicator` from its members' values summed in the database
    (`indicators.group_values.summed_aggregate`): the same rule and coverage rule as `metropolis_figure`,
    `total` the number of members."""
    return MetropolisFigure(summed_aggregate(indicator, sums, total))


def periods_of(indicator: Indicator, cells: CellIndex, units: Sequence[Unit]) -> list[str]:
    """Every period with a value of `indicator` for these units, in order."""
    return sorted({period for unit in units for period in cells.get(indicator.pk, {}).get(unit.pk, {})})


def metropolis_series(indicator: Indicator, cells: CellIndex, members: Sequence[Unit],
                      population: Indicator | None, *, sizes: PopulationSizes | None = None,
                      ) -> dict[str, MetropolisFigure]:
    """The metropolis figure of every period with data (empty when the indicator is not aggregated).

    `sizes`: the members' population by period, kept across the series of one page (see `metropolis_figure`)."""
    if indicator.aggregation == Aggregation.NONE:
        return {}
    return {period: metropolis_figure(indicator, cells, members, period, population, sizes=sizes)
            for period in periods_of(indicator, cells, members)}


def shown(cell: Cell | None, *, decimals: int, language: str) -> ShownValue:
    """A stored cell (or its absence) as a table shows it."""
    if cell is None:
        return ShownValue(None, format_number(None), "")
    return ShownValue(cell.value, _formatter(language, decimals)(cell.value), cell.flag)


@lru_cache(maxsize=64)
def _formatter(language: str, decimals: int) -> Callable[[float | None], str]:
    """`format_number` bound to a language and decimals (`numbers.number_formatter`: the same text, held equal by
    a property test), for tables and maps of thousands of cells."""
    return number_formatter(language=language, decimals=decimals)


def latest_shown(cells: CellIndex, indicator: Indicator | None, unit: Unit, language: str) -> ShownValue:
    """The unit's value of `indicator` in its latest period with a value ("—" when none)."""
    series = cells.get(indicator.pk, {}).get(unit.pk, {}) if indicator else {}
    known = [period for period, cell in series.items() if cell.value is not None]
    if not known:
        return shown(None, decimals=0, language=language)
    value = shown(series[max(known)], decimals=indicator.decimals if indicator else 0, language=language)
    return replace(value, period=max(known))


def coverage_text(result: Aggregate) -> str:
    """"14 of 15 members" (translated); with the population share when that is what withholds the value."""
    text = _("%(covered)d of %(total)d members") % {"covered": result.covered, "total": result.total}
    if result.value is None and result.population_share is not None \
            and result.population_share < float(coverage.MIN_SHARE):
        text = _("%(coverage)s, %(share)d%% of the population") % {
            "coverage": text, "share": round(result.population_share * 100)}
    return text


@dataclass(frozen=True)
class Headline:
    """The latest metropolis value of a headline indicator and its change since the period before."""

    indicator: Indicator
    period: str | None
    text: str
    coverage: str
    complete: bool
    change: Change | None
    change_text: str
    assessment: str
    demo: bool


def headline(indicator: Indicator, cells: CellIndex, members: Sequence[Unit], population: Indicator | None,
             language: str, *, sizes: PopulationSizes | None = None) -> Headline:
    """The figure a home-page card shows: latest metropolis value, coverage and change."""
    return _headline_of(indicator, _valued(metropolis_series(indicator, cells, members, population, sizes=sizes)),
                        language)


def _valued(series: dict[str, MetropolisFigure]) -> dict[str, MetropolisFigure]:
    return {period: figure for period, figure in series.items() if figure.value is not None}


def _headline_of(indicator: Indicator, with_value: dict[str, MetropolisFigure], language: str) -> Headline:
    if not with_value:
        return Headline(indicator, None, format_number(None), "", False, None, "", "", False)
    period = max(with_value)
    figure = with_value[period]
    moved = change({p: f.value for p, f in with_value.items()})
    return Headline(
        indicator=indicator, period=period,
        text=format_number(figure.value, decimals=indicator.decimals, language=language),
        coverage=coverage_text(figure.aggregate), complete=figure.aggregate.complete, change=moved,
        change_text=format_number(moved.delta, decimals=indicator.decimals, language=language, signed=True)
        if moved else "",
        assessment=moved.assessment(indicator.polarity) if moved else "",
        demo=figure.demo or bool(moved and with_value[moved.start_period].demo),
    )


def headlines(indicators: Sequence[Indicator], members: Sequence[Unit], population: Indicator | None,
              language: str) -> dict[int, Headline]:
    """The headline of each indicator (by id), as `headline` computes it from `headline_cells`; the metropolis
    figures behind them are computed once per version of what they read (each indicator's values, its weight's
    and population's: `input_indicator_ids`) and kept (`dataversion.memo`), so a page whose headlines were all
    computed since the last write of those reads no member's value."""
    chosen = {indicator.pk: indicator for indicator in indicators}
    group = digest(sorted(unit.pk for unit in members))
    population_id = population.pk if population is not None else None

    def compute(missing: list[int]) -> dict[int, dict[str, MetropolisFigure]]:
        sizes: PopulationSizes = {}  # the members' population by period, worked out once for every card
        wanted = [chosen[pk] for pk in missing]
        cells = headline_cells(wanted, members, population, sizes=sizes)
        return {indicator.pk: _valued(metropolis_series(indicator, cells, members, population, sizes=sizes))
                for indicator in wanted}

    figures = remembered_many("headline", {pk: (pk, group, population_id) for pk in chosen}, compute,
                              reads=lambda pk: input_indicator_ids([chosen[pk]], population))
    return {pk: _headline_of(indicator, figures[pk], language) for pk, indicator in chosen.items()}


HEADLINE_PERIODS = 2  # a headline shows the latest metropolis value and the change from the one before


def headline_cells(indicators: Sequence[Indicator], members: Sequence[Unit], population: Indicator | None, *,
                   sizes: PopulationSizes | None = None) -> CellIndex:
    """What `headline` reads for these indicators: the members' cells of each indicator's latest periods only
    (and of its weight in those periods), with population over every period, as the coverage rule needs it.

    Each indicator's two latest periods with a stored cell are read first; its earlier ones only when fewer
    than two of those give a metropolis value (a recent year the members have not all reported yet), all at
    once. At most four queries: the periods, population, the latest periods, the rest for those still short."""
    unit_ids = [unit.pk for unit in members]
    cells: CellIndex = {}
    if population is not None:
        cells = observation_cells(indicator_ids=[population.pk], unit_ids=unit_ids)
    pending = list({indicator.pk: indicator for indicator in indicators
                    if indicator.aggregation != Aggregation.NONE
                    and (population is None or indicator.pk != population.pk)}.values())
    stored = stored_periods(indicator_ids=[indicator.pk for indicator in pending], unit_ids=unit_ids)
    absent = {None, population.pk if population is not None else None}

    def read(chosen: Sequence[Indicator], periods: slice) -> None:
        period_cells([(input_id, period) for indicator in chosen
                      for input_id in {indicator.pk, _weight_id(indicator, population)} - absent if input_id
                      for period in stored.get(indicator.pk, [])[periods]], unit_ids=unit_ids, into=cells)

    def with_value(indicator: Indicator) -> int:
        series = metropolis_series(indicator, cells, members, population, sizes=sizes)
        return sum(figure.value is not None for figure in series.values())

    read(pending, slice(-HEADLINE_PERIODS, None))
    read([indicator for indicator in pending if len(stored.get(indicator.pk, [])) > HEADLINE_PERIODS
          and with_value(indicator) < HEADLINE_PERIODS], slice(None, -HEADLINE_PERIODS))
    return cells
