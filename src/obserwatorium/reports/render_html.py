"""A report as an accessible HTML page in the site's base template: one h1, headings in order, figures with
their captions, tables with captions and header scopes, footnotes as an ordered list with back-links.

A sparkline titled like a table row's header (a card's or an annex's trend per indicator) is drawn in its row, a
small SVG hidden from assistive technology with its text alternative beside it, instead of a figure of its own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from obserwatorium.reports.document import Chart, Report, Section, Table
from obserwatorium.web import charts

Refs = tuple[tuple[int, str], ...]  # (footnote number, the id of this reference or "" after the first)


@dataclass
class _Anchors:
    """Gives the first reference to each footnote an id, the target of the footnote's back-link."""

    first: dict[int, str] = field(default_factory=dict)
    charts: int = 0

    def refs(self, numbers: Iterable[int | None]) -> Refs:
        result = []
        for number in numbers:
            if number is None:
                continue
            anchor = "" if number in self.first else f"ref-{number}"
            self.first.setdefault(number, anchor)
            result.append((number, anchor))
        return tuple(result)

    def chart_id(self) -> str:
        self.charts += 1
        return f"report-chart-{self.charts}"


@dataclass(frozen=True)
class ShownSection:
    """A section as the page shows it: heading level (2, then 3 …), each part with its footnote references."""

    heading: str
    key: str
    level: int
    editorial: list[str]  # the office's paragraphs, shown at the top of the section and marked as editorial
    figures: list[tuple[Any, Refs]]
    paragraphs: list[tuple[str, Refs]]
    charts: list[tuple[Any, str, Refs]]
    tables: list[ShownTable]
    children: list[ShownSection]


@dataclass(frozen=True)
class ShownTable:
    """A table with its footnote references and, when the section has a sparkline titled like a row's header,
    a last "Trend" column (`trend`): each row with its line's SVG path ("" without one) and text alternative."""

    table: Any
    refs: Refs
    trend: bool
    rows: list[tuple[tuple[str, ...], str, str]]


def _inline_trends(section: Section) -> dict[str, Chart]:
    """The section's sparklines by the row header they belong to (the chart titled like it), drawn in the row."""
    headers = {row[0] for t in section.tables for row in t.rows if row}
    return {c.title: c for c in section.charts
            if c.spec.get("usermeta", {}).get("print") == "sparkline" and c.title in headers}


def _table(table: Table, inline: dict[str, Chart], anchors: _Anchors) -> ShownTable:
    rows = [(row, charts.sparkline_spec_path(c.spec), c.alt) if (c := inline.get(row[0])) else (row, "", "")
            for row in table.rows]
    return ShownTable(table, anchors.refs(table.footnotes), any(path for _r, path, _a in rows), rows)


def _shown(sections: Iterable[Section], level: int, anchors: _Anchors) -> list[ShownSection]:
    shown = []
    for s in sections:
        inline = _inline_trends(s)
        shown.append(ShownSection(
            heading=s.heading, key=s.key, level=min(level, 6),
            editorial=[p.text for p in s.paragraphs if p.editorial],
            figures=[(f, anchors.refs([f.footnote])) for f in s.key_figures],
            paragraphs=[(p.text, anchors.refs(p.footnotes)) for p in s.paragraphs if not p.editorial],
            charts=[(c, anchors.chart_id(), anchors.refs([c.footnote])) for c in s.charts if c.title not in inline],
            tables=[_table(t, inline, anchors) for t in s.tables],
            children=_shown(s.subsections, level + 1, anchors),
        ))
    return shown


def report_context(report: Report, *, pdf_url: str = "", **extra: Any) -> dict:
    """The template context of a report page (`extra`: e.g. the edition or live-preview notice)."""
    anchors = _Anchors()
    sections = _shown(report.sections, 2, anchors)
    return {
        "report": report, "sections": sections, "pdf_url": pdf_url, "has_demo_data": bool(report.notice),
        "footnotes": [(note, anchors.first.get(note.number, "")) for note in report.footnotes],
        "chart_options": charts.embed_options(save_svg=_("Save as SVG"), save_png=_("Save as PNG"),
                                              menu=_("Chart actions")),
        **extra,
    }


def render_html(report: Report, *, request: HttpRequest | None = None, pdf_url: str = "") -> str:
    """The report as a page of the site."""
    return render_to_string("reports/report.html", report_context(report, pdf_url=pdf_url), request=request)
