"""Everything a municipality page shows: each indicator of one gmina against the metropolis, in one read."""

from __future__ import annotations

from dataclasses import dataclass

from obserwatorium.analytics.aggregate import Rule
from obserwatorium.analytics.trend import Change, change
from obserwatorium.indicators import selectors
from obserwatorium.indicators.models import Domain, Flag, Indicator
from obserwatorium.indicators.selectors import CellIndex, GroupRequest, GroupSums
from obserwatorium.numbers import format_number
from obserwatorium.territory.models import Unit
from obserwatorium.web.charts import sparkline_path
from obserwatorium.web.figures import ShownValue, coverage_text, shown, summed_figure, uniform_flag


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


def _request(indicator: Indicator, unit: Unit, cells: CellIndex, population: Indicator | None) -> GroupRequest | None:
    """What a row asks of the members, summed in the database: its group value in the gmina's latest period with
    a value and, for a member's row of a comparable indicator, how many members do better (its position)."""
    known = {p: c for p, c in cells.get(indicator.pk, {}).get(unit.pk, {}).items() if c.value is not None}
    if not known:
        return None
    period = max(known)
    weight = selectors.group_weight(indicator, population)
    ranked = unit.is_member and indicator.comparable  # a count is not ranked between gminy of different size
    return GroupRequest(indicator.pk, period, weight.pk if weight is not None else None,
                        own=known[period].value if ranked else None, sense=-1 if indicator.polarity == "lower" else 1,
                        population=Rule(indicator.aggregation).weighted)


def _row(indicator: Indicator, unit: Unit, cells: CellIndex, sums: dict[tuple[int, str], GroupSums], total: int,
         timeline: list[str], language: str) -> ProfileRow:
    series = cells.get(indicator.pk, {}).get(unit.pk, {})
    known = {p: c for p, c in series.items() if c.value is not None}
    period = max(known) if known else None
    value = shown(known.get(period) if period else None, decimals=indicator.decimals, language=language)
    metropolis_text, coverage, complete, position = format_number(None), "", False, None
    metropolis_flag, metropolis_value = "", None
    if period:
        summed = sums.get((indicator.pk, period), GroupSums())
        figure = summed_figure(indicator, summed, total)
        if figure.value is not None or figure.aggregate.covered:
            metropolis_text = format_number(figure.value, decimals=indicator.decimals, language=language)
            coverage, complete = coverage_text(figure.aggregate), figure.aggregate.complete
            metropolis_flag, metropolis_value = figure.flag, figure.value
        if unit.is_member and indicator.comparable and summed.values:  # as `analytics.ranking.rank_of` counts
            position = (summed.better + 1, summed.values)
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


def build(unit: Unit, *, language: str) -> dict:
    """The page context: the gmina's facts and one profile table per domain.

    It reads the gmina's own cells over every period and, of the members, only sums: per row, the group value's
    inputs and the count of members better than the gmina, in one query whatever the number of members
    (`selectors.kept_group_sums`), finished by the aggregation rule (`analytics.aggregate.finish`)."""
    member_ids = selectors.comparison_unit_ids()
    population = selectors.population_indicator()
    by_domain = selectors.catalogue_by_domain()
    cells = selectors.observation_cells(indicator_ids=None, unit_ids=[unit.pk])
    requests = [found for _, indicators in by_domain for indicator in indicators
                if (found := _request(indicator, unit, cells, population)) is not None]
    sums = selectors.kept_group_sums(requests, unit_ids=member_ids,
                                     population_id=population.pk if population is not None else None)
    # A row's sparkline is drawn over every period in which the gmina or any member has a value.
    timelines = selectors.kept_periods(indicator_ids=[i.pk for _, indicators in by_domain for i in indicators],
                                       unit_ids={*member_ids, unit.pk})
    profiles = [DomainProfile(domain, [_row(i, unit, cells, sums, len(member_ids), timelines.get(i.pk, []), language)
                                       for i in indicators])
                for domain, indicators in by_domain]
    years = [int(row.period) for profile in profiles for row in profile.rows if row.period and row.period.isdigit()]
    return {
        "unit": unit, "profiles": profiles, "members_count": len(member_ids),
        "report_year": max(years) if years else None,  # the latest year of its card and data annex
        "has_demo_data": any(profile.demo for profile in profiles),
        "area_text": format_number(unit.area_km2, decimals=3, trim=True, language=language) if unit.area_km2 else "",
    }
