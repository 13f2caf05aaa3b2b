"""The municipality card: a gmina's key indicators against the metropolis and its peer group, its rank, trends,
its location and its part in the cooperation, on one or two pages."""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from obserwatorium.indicators.models import Indicator
from obserwatorium.numbers import d3_locale, format_number
from obserwatorium.reports.document import Chart, FootnoteBook, KeyFigure, Paragraph, Report, Section, Table
from obserwatorium.reports.gmina import Comparison, GminaBatch, involvement_section, key_indicators, prepare
from obserwatorium.territory.models import Unit
from obserwatorium.web import charts, maps

KEY_FIGURES = 3


def _number(value: float | None, indicator: Indicator, language: str) -> str:
    return format_number(value, decimals=indicator.decimals, language=language)


def rank_text(row: Comparison) -> str:
    """"3 / 15" (position / gminy ranked); "—" without a rank."""
    return f"{row.rank[0]} / {row.rank[1]}" if row.rank else "—"


def trend_chart(unit: Unit, row: Comparison, language: str) -> Chart | None:
    """The row's trend as a sparkline (the site's spec builder), with a text alternative naming its ends."""
    known = [(p, v) for p, v in row.trend if v is not None]
    if len(known) < 2:
        return None
    indicator = row.indicator
    alt = _("Trend of %(indicator)s in %(gmina)s, %(first)s–%(last)s: from %(start)s to %(end)s %(unit)s.") % {
        "indicator": indicator.name, "gmina": unit.name, "first": known[0][0], "last": known[-1][0],
        "start": _number(known[0][1], indicator, language), "end": _number(known[-1][1], indicator, language),
        "unit": indicator.unit_of_measure}
    points = [{"period": p, "value": v} for p, v in known]
    text = charts.ChartText(title=indicator.name, description=alt,
                            labels={"period": _("Year"), "value": indicator.unit_of_measure or _("Value")})
    spec = charts.sparkline(text=text, points=points, decimals=indicator.decimals,
                            number_locale=d3_locale(language))
    return Chart(title=indicator.name, alt=alt, spec=spec, footnote=row.note)


def comparison_columns(unit: Unit) -> tuple[str, ...]:
    return (_("Indicator"), _("Year"), unit.name, _("Peer group"), _("Metropolis"), _("Rank"), _("Source"))


def comparison_row(row: Comparison, language: str) -> tuple[str, ...]:
    indicator = row.indicator
    unit = f" {indicator.unit_of_measure}" if indicator.unit_of_measure else ""
    return (indicator.name, row.period or "—", _number(row.cell.value if row.cell else None, indicator, language)
            + (unit if row.cell and row.cell.value is not None else ""),
            _number(row.peer, indicator, language), _number(row.metropolis, indicator, language), rank_text(row),
            ", ".join(str(n) for n in row.notes) or "—")


def _sentence(unit: Unit, row: Comparison, language: str) -> Paragraph:
    indicator = row.indicator
    values = {"indicator": indicator.name, "gmina": unit.name, "period": row.period,
              "value": _number(row.cell.value if row.cell else None, indicator, language),
              "unit": indicator.unit_of_measure, "metropolis": _number(row.metropolis, indicator, language),
              "peer": _number(row.peer, indicator, language)}
    text = _("%(indicator)s: %(value)s %(unit)s in %(gmina)s in %(period)s (peer group %(peer)s, "
             "metropolis %(metropolis)s)") % values
    if row.rank:
        text += _("; rank %(rank)d of %(count)d") % {"rank": row.rank[0], "count": row.rank[1]}
    return Paragraph(text + ".", row.notes)


def _facts(unit: Unit, batch: GminaBatch, year: int) -> Paragraph:
    kind = str(unit.get_gmina_type_display()) if unit.gmina_type else ""
    where = unit.parent.name if unit.parent else ""
    membership = (_("a member of the association since %(date)s") % {"date": unit.member_since.isoformat()}
                  if unit.is_member and unit.member_since else
                  _("a member of the association") if unit.is_member else _("not a member of the association"))
    peers = batch.peers(unit)
    text = _("%(gmina)s (TERYT %(teryt)s; %(kind)s gmina, %(powiat)s) is %(membership)s. The card compares its "
             "values of %(year)d with the metropolis (the %(members)d member gminy) and with its peer group: "
             "%(peers)s (%(count)d gminy).") % {
        "gmina": unit.name, "teryt": unit.teryt, "kind": kind or "—", "powiat": where or "—",
        "membership": membership, "year": year, "members": len(batch.members), "peers": peers.name,
        "count": len(peers.unit_ids)}
    return Paragraph(text)


def location_section(unit: Unit, batch: GminaBatch, language: str) -> Section | None:
    """The gmina on the tile grid of the metropolis and its neighbours; None when it has no place on it."""
    if unit.grid_row is None or unit.grid_col is None:
        return None
    areas = [maps.MapArea(name=g.name, member=g.is_member, grid_row=g.grid_row, grid_col=g.grid_col)
             for g in batch.gminy.values() if g.grid_row is not None and g.grid_col is not None]
    alt = _("Map of the gminy of the metropolis and their neighbours as equal tiles; %(gmina)s is the dark tile, "
            "the other member gminy grey, the neighbours outside the association pale.") % {"gmina": unit.name}
    text = charts.ChartText(title=_("Location"), description=alt,
                            labels={"unit": _("Gmina"), "here": _("this card's gmina")})
    spec = maps.location_map(areas=areas, highlighted=unit.name, text=text, number_locale=d3_locale(language))
    spec.pop("title", None)  # the figure's caption and the section's heading name it
    spec["usermeta"] = {**spec.get("usermeta", {}), "print_width": 380}
    return Section(heading=_("Location"), key="location", charts=(Chart(title=_("Location"), alt=alt, spec=spec),))


def build_card(*, teryt: str, language: str, year: int | None = None, today: datetime.date | None = None,
               batch: GminaBatch | None = None) -> Report:
    """The card of the gmina in `year` (its latest year with data when None), in `language` ("pl" or "en").

    `batch`: what `prepare` read for many cards at once. UnknownGmina / NoDataForYear when there is nothing
    to show."""
    with translation.override(language):
        batch = batch or prepare(teryts=[teryt], compared=key_indicators(), year=year)
        unit = batch.unit(teryt)
        year = batch.report_year(unit, year)
        book = FootnoteBook()
        rows = [batch.compare(unit, indicator, year) for indicator in batch.compared]
        rows = [batch.cite(book, row) for row in rows]
        shown = [row for row in rows if row.cell is not None]
        figures = tuple(KeyFigure(f"{_number(r.cell.value if r.cell else None, r.indicator, language)} "
                                  f"{r.indicator.unit_of_measure}".strip(),
                                  f"{r.indicator.name} ({r.period})", r.note) for r in shown[:KEY_FIGURES])
        table = Table(caption=_("%(gmina)s against its peer group and the metropolis") % {"gmina": unit.name},
                      columns=comparison_columns(unit), rows=tuple(comparison_row(r, language) for r in rows),
                      footnotes=tuple(sorted({n for r in rows for n in r.notes})))
        trends = tuple(chart for r in rows if (chart := trend_chart(unit, r, language)))
        sections = [Section(heading=_("Key indicators"), key="indicators", key_figures=figures,
                            paragraphs=(_facts(unit, batch, year), *(_sentence(unit, r, language)
                                                                      for r in shown[:KEY_FIGURES])),
                            tables=(table,), charts=trends)]
        location = location_section(unit, batch, language)
        if location:
            sections.append(location)
        sections.append(involvement_section(batch, unit, year, book, language))
        return Report(
            kind="card", language=language,
            title=_("%(gmina)s: municipality card %(year)d") % {"gmina": unit.name, "year": year},
            subtitle=(_("Key indicators, rank, trends and the gmina's part in the association's cooperation")
                      if unit.is_member else _("Key indicators, rank and trends against the metropolis")),
            date=(today or datetime.date.today()).isoformat(),
            notice=_("Demonstration data, not official statistics.") if book.demo else "",
            sections=tuple(sections), footnotes=tuple(book.notes))
