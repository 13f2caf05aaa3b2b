"""The statutory data annex of a member gmina ("Raport o stanie gminy — załącznik danych {rok}"): every indicator
of the observatory for the report year with its five-year trend, against the peer group and the metropolis, and
the gmina's part in the association's actions and projects (art. 28aa of the gmina act: the report is due by
31 May)."""

from __future__ import annotations

import datetime

from django.utils import translation
from django.utils.translation import gettext as _

from obserwatorium.indicators import selectors as indicators
from obserwatorium.numbers import format_number
from obserwatorium.reports.card import rank_text, trend_chart
from obserwatorium.reports.document import FootnoteBook, Paragraph, Report, Section, Table
from obserwatorium.reports.gmina import (
    TREND_YEARS,
    Comparison,
    GminaBatch,
    all_indicators,
    involvement_section,
    prepare,
)


class NotAMember(ValueError):
    """The annex is made for the association's member gminy only."""


def _row(row: Comparison, year: int, language: str) -> tuple[str, ...]:
    indicator = row.indicator
    decimals = indicator.decimals
    trend = [format_number(value, decimals=decimals, language=language) for _p, value in row.trend]
    shown_year = row.period == str(year)
    return (indicator.name, indicator.unit_of_measure or "—", *trend,
            format_number(row.peer if shown_year else None, decimals=decimals, language=language),
            format_number(row.metropolis if shown_year else None, decimals=decimals, language=language),
            rank_text(row) if shown_year else "—", ", ".join(str(n) for n in row.notes) or "—")


def build_annex(*, teryt: str, year: int, language: str, today: datetime.date | None = None,
                batch: GminaBatch | None = None) -> Report:
    """The data annex of the member gmina for `year`; NotAMember, UnknownGmina or NoDataForYear otherwise."""
    with translation.override(language):
        batch = batch or prepare(teryts=[teryt], compared=all_indicators(), year=year)
        unit = batch.unit(teryt)
        if not unit.is_member:
            raise NotAMember(teryt)
        year = batch.report_year(unit, year)
        book = FootnoteBook()
        peers = batch.peers(unit)
        years = [str(y) for y in range(year - TREND_YEARS + 1, year + 1)]
        columns = (_("Indicator"), _("Unit of measure"), *years, _("Peer group %(year)d") % {"year": year},
                   _("Metropolis %(year)d") % {"year": year}, _("Rank %(year)d") % {"year": year}, _("Source"))
        intro = Paragraph(_(
            "Data for the report on the state of %(gmina)s in %(year)d: every indicator of the observatory with its "
            "values of %(first)s–%(year)d, compared in %(year)d with the peer group %(peers)s (%(count)d gminy) and "
            "with the metropolis (the %(members)d member gminy). Rank 1 is the best value among the member gminy; "
            "a count is not ranked. A dash marks a year without a value.") % {
            "gmina": unit.name, "year": year, "first": years[0], "peers": peers.name, "count": len(peers.unit_ids),
            "members": len(batch.members)})
        sections = [Section(heading=_("About this annex"), key="introduction", paragraphs=(intro,))]
        compared = {i.pk for i in batch.compared}
        for domain, found in indicators.catalogue_by_domain():
            rows = [batch.compare(unit, i, year) for i in found if i.pk in compared]
            rows = [batch.cite(book, r) for r in rows if r.cell is not None]
            if not rows:
                continue
            table = Table(caption=_("%(domain)s: %(gmina)s, %(first)s–%(year)d") % {
                "domain": domain.name, "gmina": unit.name, "first": years[0], "year": year},
                columns=columns, rows=tuple(_row(r, year, language) for r in rows),
                footnotes=tuple(sorted({n for r in rows for n in r.notes})))
            trends = tuple(chart for r in rows if (chart := trend_chart(unit, r, language)))
            sections.append(Section(heading=domain.name, key=domain.code, tables=(table,), charts=trends))
        sections.append(involvement_section(batch, unit, year, book, language))
        return Report(
            kind="annex", language=language,
            title=_("Report on the state of the gmina — data annex %(year)d") % {"year": year},
            subtitle=_("%(gmina)s (TERYT %(teryt)s): the observatory's indicators, the comparison with the peer group "
                       "and the metropolis, and the gmina's part in the association's actions and projects") % {
                "gmina": unit.name, "teryt": unit.teryt},
            date=(today or datetime.date.today()).isoformat(),
            notice=_("Demonstration data, not official statistics.") if book.demo else "",
            sections=tuple(sections), footnotes=tuple(book.notes))
