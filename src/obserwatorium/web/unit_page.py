"""Everything a municipality page shows: each indicator of one gmina against the metropolis, in one read."""

from __future__ import annotations

from dataclasses import dataclass

from obserwatorium.analytics.ranking import rank_of
from obserwatorium.analytics.trend import Change, change
from obserwatorium.indicators import selectors
from obserwatorium.indicators.models import Domain, Flag, Indicator
from obserwatorium.indicators.selectors import CellIndex
from obserwatorium.numbers import format_number
from obserwatorium.territory.models import Unit
from obserwatorium.web.charts import sparkline_path
from obserwatorium.web.figures import (
    PopulationSizes,
    ShownValue,
    coverage_text,
    metropolis_figure,
    shown,
    uniform_flag,
)


@dataclass(frozen=True)
class ProfileRow:
    indicator: Indicator
    period: str | None
    value: ShownValue
    metropolis_text: str
    metropolis_flag: str
    metropolis_value: float | None
    metropolis_coverage: str
    metropolis_complete: bool
    position: tuple[int, int] | None
    sparkline: str
    change: Change | None
    change_text: str
    assessment: str

    @property
    def demo(self) -> bool:
        """Whether the row shows a demonstration value: the gmina's or the metropolis'."""
        return self.value.demo or (self.metropolis_flag == Flag.DEMO and self.metropolis_value is not None)


@dataclass(frozen=True)
class DomainProfile:
    domain: Domain
    rows: list[ProfileRow]

    @property
    def demo(self) -> bool:
        return any(row.demo for row in self.rows)

    @property
    def uniform_flag(self) -> str:
        flag = uniform_flag(row.value for row in self.rows)
        return str(Flag(flag).label) if flag and flag != Flag.FINAL else ""


def _row(indicator: Indicator, unit: Unit, cells: CellIndex, members: list[Unit], population: Indicator | None,
         timeline: list[str], sizes: PopulationSizes, language: str) -> ProfileRow:
    series = cells.get(indicator.pk, {}).get(unit.pk, {})
    known = {p: c for p, c in series.items() if c.value is not None}
    period = max(known) if known else None
    value = shown(known.get(period) if period else None, decimals=indicator.decimals, language=language)
    metropolis_text, coverage, complete, position = format_number(None), "", False, None
    metropolis_flag, metropolis_value = "", None
    if period:
        figure = metropolis_figure(indicator, cells, members, period, population, sizes=sizes)
        if figure.value is not None or figure.aggregate.covered:
            metropolis_text = format_number(figure.value, decimals=indicator.decimals, language=language)
            coverage, complete = coverage_text(figure.aggregate), figure.aggregate.complete
            metropolis_flag, metropolis_value = figure.flag, figure.value
        if unit.is_member and indicator.comparable:  # a count is not ranked between gminy of different size
            peers = [cells.get(indicator.pk, {}).get(m.pk, {}).get(period) for m in members]
            position = rank_of(value.value, [c.value if c else None for c in peers], indicator.polarity)
    moved = change({p: c.value for p, c in known.items()}, from_first=True)
    return ProfileRow(
        indicator=indicator, period=period, value=value, metropolis_text=metropolis_text,
        metropolis_flag=metropolis_flag, metropolis_value=metropolis_value,
        metropolis_coverage=coverage, metropolis_complete=complete, position=position,
        sparkline=sparkline_path([known[p].value if p in known else None for p in timeline]),
        change=moved, assessment=moved.assessment(indicator.polarity) if moved else "",
        change_text=format_number(moved.delta, decimals=indicator.decimals, language=language, signed=True)
        if moved else "",
    )


def _latest_known(cells: CellIndex, indicator: Indicator, unit: Unit) -> str | None:
    known = [p for p, cell in cells.get(indicator.pk, {}).get(unit.pk, {}).items() if cell.value is not None]
    return max(known) if known else None


def _cells(unit: Unit, members: list[Unit], catalogue: list[Indicator], population: Indicator | None) -> CellIndex:
    """What the page shows, in three queries whatever the number of members, indicators and periods: the gmina's
    own cells over every period; the members' cells of the one period each row compares (the gmina's latest), of
    the indicator and of its weight; and, when a row is a mean or ratio, the members' population over every
    period (the coverage rule takes each member's nearest)."""
    cells = selectors.observation_cells(indicator_ids=None, unit_ids=[unit.pk])
    pairs: set[tuple[int, str]] = set()
    weighted = False
    for indicator in catalogue:
        if (period := _latest_known(cells, indicator, unit)) is None:
            continue
        pairs.add((indicator.pk, period))
        if (weight := selectors.group_weight(indicator, population)) is not None:
            pairs.add((weight.pk, period))
            weighted = True
    member_ids = [m.pk for m in members if m.pk != unit.pk]
    if weighted and population is not None:
        pairs -= {pair for pair in pairs if pair[0] == population.pk}
        own = cells.pop(population.pk, {})
        cells = selectors.period_cells(pairs, unit_ids=member_ids, into=cells)
        read = selectors.observation_cells(indicator_ids=[population.pk], unit_ids=member_ids)
        cells[population.pk] = {**read.get(population.pk, {}), **own}
        return cells
    return selectors.period_cells(pairs, unit_ids=member_ids, into=cells)


def build(unit: Unit, *, language: str) -> dict:
    """The page context: the gmina's facts and one profile table per domain."""
    members = selectors.comparison_units()
    population = selectors.population_indicator()
    by_domain = selectors.catalogue_by_domain()
    cells = _cells(unit, members, [i for _, indicators in by_domain for i in indicators], population)
    # A row's sparkline is drawn over every period in which the gmina or any member has a value.
    timelines = selectors.stored_periods(indicator_ids=None, unit_ids={m.pk for m in members} | {unit.pk})
    sizes: PopulationSizes = {}
    profiles = [DomainProfile(domain, [_row(i, unit, cells, members, population, timelines.get(i.pk, []), sizes,
                                            language) for i in indicators])
                for domain, indicators in by_domain]
    years = [int(row.period) for profile in profiles for row in profile.rows if row.period and row.period.isdigit()]
    return {
        "unit": unit, "profiles": profiles, "members_count": len(members),
        "report_year": max(years) if years else None,  # the latest year of its card and data annex
        "has_demo_data": any(profile.demo for profile in profiles),
        "area_text": format_number(unit.area_km2, decimals=3, trim=True, language=language) if unit.area_km2 else "",
    }
