"""Everything the indicator page shows, gathered in a fixed number of queries (not one per cell)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence, Set
from dataclasses import dataclass

from django.utils.translation import gettext as _

from obserwatorium.dataversion.memo import digest, remembered
from obserwatorium.indicators import selectors
from obserwatorium.indicators.group_values import kept_group_series
from obserwatorium.indicators.models import Aggregation, Flag, ImportBatch, Indicator, Polarity
from obserwatorium.indicators.selectors import Cell, GminaRow
from obserwatorium.numbers import d3_locale, format_number
from obserwatorium.territory.models import Unit
from obserwatorium.web import charts, maps
from obserwatorium.web.context import SITE_NAME
from obserwatorium.web.figures import (
    MetropolisFigure,
    ShownValue,
    coverage_text,
    input_indicator_ids,
    shown,
    single_flag,
)
from obserwatorium.web.paging import TablePage, page_of


@dataclass(frozen=True)
class TableRow:
    unit: GminaRow
    cells: list[ShownValue]


@dataclass(frozen=True)
class MetropolisCell:
    text: str
    coverage: str
    complete: bool
    demo: bool
    value: float | None = None
    flag: str = ""


@dataclass(frozen=True)
class RankedRow:
    unit: GminaRow
    cell: ShownValue
    position: int | None


@dataclass(frozen=True)
class BatchUse:
    batch: ImportBatch
    values: int


def chart_labels(indicator: Indicator) -> dict[str, str]:
    return {
        "members": _("Member gminy"), "metropolis": _("Metropolis"), "highlight": _("Highlight a gmina:"),
        "period": _("Year"), "value": _("Value"), "unit": _("Gmina"), "flag": _("Flag"),
        "coverage": _("Coverage"), "axis": indicator.unit_of_measure, "outside": _("Not a member"),
        "missing": _("no value"),
        "legend": f"{indicator.unit_of_measure} · {Polarity(indicator.polarity).label}",
    }


def _demo_notice(demo: bool) -> str:
    return _("Demonstration data, not official statistics.") if demo else ""


# Above this many members the members × years table is shown in pages of ROWS_PER_PAGE rows (and the chart draws
# only the members of the page shown): a national observatory's 2,477 gminy × 20 years are a download, not a page.
PAGED_ABOVE = 50
ROWS_PER_PAGE = 50


@dataclass(frozen=True)
class Summary:
    """What the page shows of every member's every period of the indicator: computed from all of them once per
    version of the values it reads (the indicator's, its weight's, population's) and kept (`dataversion.memo`),
    so a visitor of one page of the table reads only that page's members and the map's year."""

    periods: list[str]
    metropolis: dict[str, MetropolisFigure]
    flags: frozenset[str]  # of every stored cell
    valued_flags: frozenset[str]  # of the cells with a value
    batches: dict[int, int]  # batch id -> how many of the cells it brought


def summary(indicator: Indicator, members: Sequence[Unit | GminaRow], population: Indicator | None) -> Summary:
    """The indicator's periods, metropolis series, flags and source batches over every member and period.

    Computed from counts and sums in the database, never from every member's cells: the cells counted by period,
    flag and batch (`selectors.stored_counts`), and each period's group value from its members' values summed
    (`selectors.kept_group_sums`, which the municipality pages share, finished by the same aggregation rule as
    `figures.metropolis_figure`). Two queries whatever the number of members, so the first visitor after an
    import of the indicator does not wait for 50,000 cells to be read."""
    member_ids = [unit.pk for unit in members]

    def compute() -> Summary:
        counts = selectors.stored_counts(indicator_id=indicator.pk, unit_ids=member_ids)
        periods = sorted({count.period for count in counts})
        batches: Counter[int] = Counter()
        for count in counts:
            batches[count.batch_id] += count.stored
        return Summary(
            periods=periods, metropolis=_metropolis(indicator, periods, member_ids, population),
            flags=frozenset(count.flag for count in counts),
            valued_flags=frozenset(count.flag for count in counts if count.valued),
            batches=dict(batches))

    return remembered("indicator-summary", (indicator.pk, digest(sorted(member_ids)),
                                            population.pk if population else None), compute,
                      reads=input_indicator_ids([indicator], population))


def _metropolis(indicator: Indicator, periods: list[str], member_ids: list[int], population: Indicator | None,
                ) -> dict[str, MetropolisFigure]:
    """The metropolis figure of each period (none when the indicator is not aggregated), from sums."""
    return {period: MetropolisFigure(aggregate) for period, aggregate in
            kept_group_series(indicator, periods, unit_ids=member_ids, population=population).items()}


def build(indicator: Indicator, *, year: str | None, language: str, highlight: str = "",
          page: str | None = None) -> dict:
    """The page context: table, metropolis row, chart and map specs, metadata and provenance.

    `page`: the page of the members × years table asked for (`?page=`), used only above PAGED_ABOVE members; a
    page that is not a number or is out of range is the first or the last (as Django's `Paginator.get_page`).
    Of the members' values it reads the summary (`summary`, kept per data version), the shown rows' every
    period and the map's year."""
    gminy = selectors.gmina_rows()
    members = [gmina for gmina in gminy if gmina.member]
    population = selectors.population_indicator()
    whole = summary(indicator, members, population)
    periods = whole.periods
    year = year if year in periods else None
    table_page, shown_members = _table_page(members, page, year=year, highlight=highlight)
    year = year or (periods[-1] if periods else None)
    own = selectors.observation_cells(indicator_ids=[indicator.pk],
                                      unit_ids=[unit.pk for unit in shown_members]).get(indicator.pk, {})
    rows = [TableRow(unit, [shown(own.get(unit.pk, {}).get(p), decimals=indicator.decimals, language=language)
                            for p in periods]) for unit in shown_members]
    metropolis = whole.metropolis
    metropolis_row = [metropolis_cell(metropolis.get(p), indicator.decimals, language) for p in periods] \
        if indicator.aggregation != Aggregation.NONE else []
    demo_shown = Flag.DEMO in whole.flags or any(c.demo for c in metropolis_row)
    metropolis_rows = aggregate_rows(indicator, metropolis)
    labels, number_locale = chart_labels(indicator), d3_locale(language)
    source = source_of(indicator, whole.valued_flags)
    credit = credit_line(source)
    line_spec = _line_spec(indicator, rows, periods, metropolis_rows, demo_shown, labels, number_locale, credit,
                           highlight, members=len(members)) if periods else None
    return {
        "indicator": indicator, "periods": periods, "rows": rows, "metropolis_row": metropolis_row,
        "table_page": table_page,
        "uniform_flag": _flag_label(single_flag(whole.valued_flags)),
        "line_spec": line_spec, "aggregate_on_chart": bool(line_spec and metropolis_rows),
        "chart_options": charts.embed_options(save_svg=_("Save as SVG"), save_png=_("Save as PNG"),
                                              menu=_("Chart actions")),
        **_kept_map(indicator, year, gminy, members, labels, number_locale, credit, language,
                    paged=table_page is not None),
        "highlight": highlight if any(row.unit.name == highlight for row in rows) else "",
        "line_filename": f"{indicator.code}-{periods[0]}-{periods[-1]}" if periods else indicator.code,
        "map_filename": f"{indicator.code}-{year}" if year else indicator.code,
        "has_demo_data": demo_shown, "members_count": len(members),
        "batch_uses": [BatchUse(batch, whole.batches[batch.pk]) for batch in selectors.batches(whole.batches)],
        "source_line": source,
    }


def _table_page(members: list[GminaRow], page: str | None, *, year: str | None,
                highlight: str) -> tuple[TablePage | None, list[GminaRow]]:
    """The members the table shows: all of them up to PAGED_ABOVE, else one page of ROWS_PER_PAGE (in order)."""
    if len(members) <= PAGED_ABOVE:
        return None, members
    return page_of(members, page, per_page=ROWS_PER_PAGE, kept={"year": year or "", "highlight": highlight})


def source_line(indicator: Indicator, cells: Sequence[ShownValue | Cell]) -> str:
    """The catalogue's source, never credited for demonstration values: a series of demo values says so."""
    return source_of(indicator, {cell.flag for cell in cells if cell.value is not None})


def source_of(indicator: Indicator, flags: Set[str]) -> str:
    """`source_line` of values with these flags."""
    if flags and flags <= {Flag.DEMO}:
        return _("Demonstration data, not official statistics.")
    if Flag.DEMO in flags:
        return _("%(source)s; some values: demonstration data, not official statistics") % {
            "source": indicator.source or "—"}
    return indicator.source


def credit_line(source: str) -> str:
    """The line an exported chart carries: its source and the site's name."""
    return _("Source: %(source)s · %(site)s") % {"source": source or "—", "site": SITE_NAME}


def _line_spec(indicator: Indicator, rows: list[TableRow], periods: list[str], aggregate_rows: list[dict],
               demo: bool, labels: dict, number_locale: dict, credit: str, highlight: str, *, members: int) -> dict:
    """Every member's line (`rows`: the table's, one page of them when the table is paged) and the metropolis."""
    words = {"indicator": indicator.name, "count": len(rows), "first": periods[0], "last": periods[-1]}
    description = _("Line chart of %(indicator)s for each of the %(count)d member gminy, %(first)s–%(last)s.") \
        % words if len(rows) == members else \
        _("Line chart of %(indicator)s for the %(count)d member gminy on this page of the table (of %(total)d), "
          "%(first)s–%(last)s.") % {**words, "total": members}
    text = charts.ChartText(
        title=indicator.name, subtitle=[_line_subtitle(indicator, len(rows))], notice=_demo_notice(demo),
        labels=labels, credit=credit, description=description)
    values = [{"unit": row.unit.name, "period": period, "value": cell.value, "flag": cell.flag_label}
              for row in rows for period, cell in zip(periods, row.cells, strict=True) if cell.value is not None]
    return charts.line_chart(text=text, rows=values, aggregate_rows=aggregate_rows, decimals=indicator.decimals,
                             number_locale=number_locale, highlight=highlight)


def _kept_map(indicator: Indicator, year: str | None, gminy: list[GminaRow], members: list[GminaRow],
              labels: dict, number_locale: dict, credit: str, language: str, *, paged: bool) -> dict:
    """`_map_of_year` from the members' values of the year and every gmina's boundary or tile (two queries),
    kept until a write of the indicator's values (`dataversion.memo`; units, membership and the catalogue bump
    every figure): at national scale the map of 2,477 gminy and its ranking are built once per version, not on
    every request."""
    member_ids = [gmina.pk for gmina in members]

    def compute() -> dict:
        own = selectors.period_cells([(indicator.pk, year)], unit_ids=member_ids).get(indicator.pk, {}) \
            if year else {}
        return _map_of_year(indicator, year, selectors.map_units(), members, own, labels, number_locale, credit,
                            language, paged=paged)

    return remembered("indicator-map", (indicator.pk, year, language, paged, credit,
                                        digest((gmina.pk, gmina.member) for gmina in gminy)), compute,
                      reads=(indicator.pk,))


def _map_of_year(indicator: Indicator, year: str | None, gminy: list[Unit], members: list[GminaRow], own: dict,
                 labels: dict, number_locale: dict, credit: str, language: str, *, paged: bool) -> dict:
    """The choropleth of one year (boundaries or tile grid) and the ranking table beside it.

    `paged` (many members): the ranking table holds its first ROWS_PER_PAGE positions; the map shows them all."""
    year_cells = {unit.pk: shown(own.get(unit.pk, {}).get(year), decimals=indicator.decimals, language=language)
                  for unit in members} if year else {}
    areas = [maps.MapArea(
        name=unit.name, member=unit.is_member, boundary=unit.boundary, grid_row=unit.grid_row,
        grid_col=unit.grid_col, value=cell.value if cell is not None else None,
        value_label=cell.text if cell is not None else "", flag=cell.flag_label if cell is not None else "",
    ) for unit in gminy for cell in [year_cells.get(unit.pk)]]
    position = _positions([cell.value for cell in year_cells.values()], indicator.polarity)
    ranked = sorted(
        (RankedRow(unit, year_cells[unit.pk], position(year_cells[unit.pk].value) if indicator.comparable else None)
         for unit in members if unit.pk in year_cells),
        key=lambda r: (r.position is None, r.position or 0))  # stable: ties stay in name order
    demo = any(cell.demo for cell in year_cells.values())
    boundaries = maps.can_draw_boundaries(areas)
    spec = None
    if year:
        text = charts.ChartText(
            title=indicator.name, subtitle=[_map_subtitle(year, year_cells, len(members))],
            notice=_demo_notice(demo), labels=labels, credit=credit,
            description=_("Map of %(indicator)s in %(year)s for the member gminy; the same values are in the "
                          "table beside it.") % {"indicator": indicator.name, "year": year})
        draw = maps.boundary_map if boundaries else maps.tile_grid_map
        spec = draw(areas=areas, text=text, polarity=indicator.polarity, decimals=indicator.decimals,
                    number_locale=number_locale)
    return {"year": year, "ranked": ranked[:ROWS_PER_PAGE] if paged else ranked, "ranked_total": len(ranked),
            "ranking_cut": paged and len(ranked) > ROWS_PER_PAGE, "year_demo": demo, "map_spec": spec,
            "map_kind": "boundaries" if boundaries else "tile-grid"}


def _positions(values: list[float | None], polarity: str) -> Callable[[float | None], int | None]:
    """Each value's competition rank among `values` (1 = best), as `rank_of` gives it, by bisection: `rank_of`
    for every row of 2,477 gminy would compare each with all the others."""
    known = sorted(v for v in values if v is not None and v == v)
    sense = -1 if polarity == "lower" else 1

    def position(value: float | None) -> int | None:
        if value is None or value != value or not known:
            return None
        return selectors.better_count(known, value, sense) + 1

    return position


def _flag_label(flag: str) -> str:
    return str(Flag(flag).label) if flag and flag != Flag.FINAL else ""


def metropolis_cell(figure: MetropolisFigure | None, decimals: int, language: str) -> MetropolisCell:
    if figure is None:
        return MetropolisCell(format_number(None), "", False, False)
    return MetropolisCell(format_number(figure.value, decimals=decimals, language=language),
                          coverage_text(figure.aggregate), figure.aggregate.complete, figure.demo,
                          figure.value, figure.flag)


def aggregate_rows(indicator: Indicator, metropolis: dict[str, MetropolisFigure]) -> list[dict]:
    """The metropolis line of the indicator's chart: drawn for a mean or a ratio, not for a sum."""
    # A sum lives on another scale than its members (the metropolis would flatten every member line), so
    # only means and ratios are drawn; the table always has the metropolis row.
    if indicator.aggregation not in (Aggregation.POPULATION_WEIGHTED_MEAN, Aggregation.RATIO_OF_SUMS):
        return []
    return [{"period": period, "value": figure.value, "coverage": coverage_text(figure.aggregate)}
            for period, figure in sorted(metropolis.items()) if figure.value is not None]


def _line_subtitle(indicator: Indicator, members: int) -> str:
    return _("%(unit)s · %(count)d member gminy · %(polarity)s") % {
        "unit": indicator.unit_of_measure, "count": members, "polarity": Polarity(indicator.polarity).label}


def _map_subtitle(year: str, year_cells: dict, members: int) -> str:
    covered = sum(1 for cell in year_cells.values() if cell.value is not None)
    return _("%(year)s · values for %(covered)d of %(total)d members") % {
        "year": year, "covered": covered, "total": members}
