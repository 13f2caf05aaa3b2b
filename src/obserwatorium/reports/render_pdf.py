"""A report as an accessible PDF (PDF/UA-1: tagged, with its language, title and the alt text of every chart),
typeset by typst from its wheel with the wheel's own fonts; charts as SVG by vl-convert from the same
Vega-Lite specs the site draws."""

from __future__ import annotations

import io
import json
import tempfile
from dataclasses import asdict
from pathlib import Path

import pikepdf
import typst
import vl_convert
from django.utils import translation
from django.utils.translation import gettext as _

from obserwatorium.reports.document import Report

TEMPLATE = Path(__file__).with_name("typst") / "report.typ"
# A compact variant for the reports of one gmina: trend charts inside the rows of their tables.
TEMPLATES = {"card": TEMPLATE.with_name("card.typ"), "annex": TEMPLATE.with_name("card.typ")}
PRINT_WIDTH = 460  # points of chart width: the text block of an A4 page at the template's margins
PRINT_FONT = "DejaVu Sans, Libertinus Serif, sans-serif"


def _axis_titles(spec: dict) -> set[str]:
    """The titles of the spec's axes, in every layer."""
    titles = set()
    for part in [spec, *spec.get("layer", [])]:
        for channel in ("x", "y"):
            title = part.get("encoding", {}).get(channel, {}).get("title")
            if isinstance(title, str):
                titles.add(title)
    return titles


def chart_svg(spec: dict) -> str:
    """The chart as SVG, sized for the printed page.

    The printed figure is headed by its typst caption, which names the indicator (a long name would run off the
    chart), so the chart drops its own title; of its subtitle lines it keeps those no axis already says (the unit
    is the value axis's title) and the demonstration-data notice, as a small line above the plot. A chart that
    states its printed width keeps it (a sparkline in a table cell, a location map)."""
    width = spec.get("usermeta", {}).get("print_width", PRINT_WIDTH)
    printed = {**spec, "width": width, "autosize": {"type": "fit", "contains": "padding"}}
    printed["config"] = {**spec.get("config", {}), "font": PRINT_FONT}
    title = spec.get("title")
    if title is not None:
        subtitle = title.get("subtitle", []) if isinstance(title, dict) else []
        lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
        axes = _axis_titles(spec)
        kept = [line for line in lines if line and line not in axes]
        printed.pop("title")
        if kept:
            printed["title"] = {"text": kept[0], "anchor": "start", "fontSize": 11, "fontWeight": "normal",
                                **({"subtitle": kept[1:]} if len(kept) > 1 else {})}
    return vl_convert.vegalite_to_svg(printed)


def write_sources(report: Report, folder: Path) -> Path:
    """The typst project of the report in `folder` (template, data, charts); the main file's path."""
    with translation.override(report.language):
        texts = {"sources_heading": _("Sources"), "author": _("Obserwatorium"), "trend_heading": _("Trend"),
                 "editorial_label": _("From the editors"),
                 "dated": _("Figures as the registries held them on %(date)s.") % {"date": report.date}}
    files: dict[str, str] = {}
    for section in report.walk():
        for chart in section.charts:
            name = f"chart-{len(files) + 1}.svg"
            (folder / name).write_text(chart_svg(chart.spec), encoding="utf-8")
            files[f"{chart.title}|{chart.alt}"] = name
    (folder / "report.json").write_text(json.dumps({**asdict(report), **texts}, ensure_ascii=False),
                                        encoding="utf-8")
    (folder / "charts.json").write_text(json.dumps(files, ensure_ascii=False), encoding="utf-8")
    main = folder / "main.typ"
    main.write_text(TEMPLATES.get(report.kind, TEMPLATE).read_text(encoding="utf-8"), encoding="utf-8")
    return main


def _kids(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    kids = node.get("/K")
    items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _table_attributes(cell: pikepdf.Dictionary) -> pikepdf.Dictionary:
    """The cell's attribute dictionary owned by /Table (made when it has none)."""
    attributes = cell.get("/A")
    if isinstance(attributes, pikepdf.Dictionary):
        attributes = cell.A = pikepdf.Array([attributes])
    elif not isinstance(attributes, pikepdf.Array):
        attributes = cell.A = pikepdf.Array()
    for entry in attributes:
        if isinstance(entry, pikepdf.Dictionary) and entry.get("/O") == "/Table":
            return entry
    entry = pikepdf.Dictionary(O=pikepdf.Name.Table)
    attributes.append(entry)
    return entry


def tag_row_headers(pdf: bytes) -> bytes:
    """The PDF with the first cell of every body row of every table tagged TH with /Scope /Row.

    Typst tags the cells of `table.header` as column headers (TH, /Scope /Column, repeated on each page) but the
    wheel has no way to mark a header column (its `pdf.header-cell` needs a feature flag the wheel is built
    without), and a report table's first column names its row. So the structure tree is finished here: each such
    cell becomes a TH with row scope and an /ID, and the other cells of its row list that ID in /Headers beside
    their column header, as PDF/UA asks of a table whose cells name their headers."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = document.Root.get("/StructTreeRoot")
        if tree is None:
            return pdf
        ids = pikepdf.NameTree(tree.IDTree) if "/IDTree" in tree else None
        tables: list[pikepdf.Dictionary] = []
        pending = [tree]
        while pending:
            node = pending.pop()
            for kid in _kids(node):
                (tables if kid.S == "/Table" else pending).append(kid)
        for number, table in enumerate(tables, start=1):
            rows = [row for part in _kids(table) if part.S in ("/TBody", "/TFoot") for row in _kids(part)
                    if row.S == "/TR"] + [row for row in _kids(table) if row.S == "/TR"]
            for y, row in enumerate(rows, start=1):
                cells = [cell for cell in _kids(row) if cell.S in ("/TD", "/TH")]
                if not cells or cells[0].S != "/TD":
                    continue
                head = cells[0]
                head.S = pikepdf.Name.TH
                _table_attributes(head).Scope = pikepdf.Name.Row
                if ids is None:
                    continue
                identifier = pikepdf.String(f"Row{number}y{y}")
                head.ID = identifier
                ids[str(identifier)] = head
                for cell in cells[1:]:
                    attributes = _table_attributes(cell)
                    headers = attributes.get("/Headers")
                    if not isinstance(headers, pikepdf.Array):
                        headers = attributes.Headers = pikepdf.Array()
                    headers.append(identifier)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def compile_pdf(main: Path) -> bytes:
    """Typst's PDF/UA-1 output of a prepared project, with the wheel's fonts only (no system fonts)."""
    compiler = typst.Compiler(main, root=main.parent, ignore_system_fonts=True)
    return compiler.compile(format="pdf", pdf_standards=["ua-1"])  # type: ignore[return-value]


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    with tempfile.TemporaryDirectory(prefix="obs-report-") as folder:
        return tag_row_headers(compile_pdf(write_sources(report, Path(folder))))
