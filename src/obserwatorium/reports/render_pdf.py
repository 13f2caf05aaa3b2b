"""A report as an accessible PDF (PDF/UA-1: tagged, with its language, title and the alt text of every chart),
typeset by typst from its wheel with the wheel's own fonts; charts as SVG by vl-convert from the same
Vega-Lite specs the site draws, except the charts a card repeats (a row's sparkline, the location's tile grid),
which are drawn from their specs directly (`web.charts.sparkline_svg`, `web.maps.location_svg`).

Typst reads the document (with each chart's SVG) as JSON from `sys.inputs`: no temporary files. One compiler per
thread keeps the wheel's fonts loaded and the template parsed from one PDF to the next, and `render_pdfs`
typesets a batch in a pool of one process per core."""

from __future__ import annotations

import collections
import io
import itertools
import json
import os
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import fields, is_dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pikepdf
import typst
import vl_convert
from django.utils import translation
from django.utils.translation import gettext as _

from obserwatorium.reports.document import Chart, Report
from obserwatorium.web import charts, maps

TEMPLATE = Path(__file__).with_name("typst") / "report.typ"
# A compact variant for the reports of one gmina: trend charts inside the rows of their tables.
TEMPLATES = {"card": TEMPLATE.with_name("card.typ"), "annex": TEMPLATE.with_name("card.typ")}
PRINT_WIDTH = 460  # points of chart width: the text block of an A4 page at the template's margins
PRINT_FONT = "DejaVu Sans, Libertinus Serif, sans-serif"
POOL_MIN = 32  # a batch of fewer PDFs is typeset in this process: starting the workers (about a second each:
# a new interpreter, its imports, typst's fonts) costs more than they save on the 15 members' cards


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
    states its printed width keeps it (a sparkline in a table cell, a location map); those two are drawn from their
    specs without Vega (`usermeta.print`)."""
    width = spec.get("usermeta", {}).get("print_width", PRINT_WIDTH)
    drawn = spec.get("usermeta", {}).get("print")
    if drawn == "sparkline":
        return charts.sparkline_svg(spec, width)
    printed = {**spec, "width": width, "autosize": {"type": "fit", "contains": "padding"}}
    printed["config"] = {**spec.get("config", {}), "font": PRINT_FONT}
    if drawn == "tile-grid":
        return maps.location_svg(printed, width)
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


def _plain(value: Any) -> Any:
    """The document as JSON-ready data for the template: each chart with its SVG instead of its Vega-Lite spec
    (cheaper than `dataclasses.asdict`, which deep-copies every spec)."""
    if isinstance(value, Chart):
        return {"title": value.title, "alt": value.alt, "footnote": value.footnote, "svg": chart_svg(value.spec)}
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


def typst_sources(report: Report) -> tuple[Path, dict[str, str]]:
    """The template of the report's kind and its `sys.inputs`: the document (with the charts' SVG) as JSON."""
    with translation.override(report.language):
        texts = {"sources_heading": _("Sources"), "author": _("Obserwatorium"), "trend_heading": _("Trend"),
                 "editorial_label": _("From the editors"),
                 "dated": _("Figures as the registries held them on %(date)s.") % {"date": report.date}}
    data = {**_plain(report), **texts}
    return TEMPLATES.get(report.kind, TEMPLATE), {"report": json.dumps(data, ensure_ascii=False)}


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


_compilers = threading.local()


def compile_pdf(template: Path, inputs: dict[str, str]) -> bytes:
    """Typst's PDF/UA-1 output of the template with these inputs, with the wheel's fonts only (no system fonts).

    The thread's compiler is made once (loading the fonts) and reused: typst keeps what did not change between
    two PDFs (the fonts, the parsed template)."""
    compiler = getattr(_compilers, "compiler", None)
    if compiler is None:
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True)
        compiler = _compilers.compiler = typst.Compiler(root=template.parent, font_paths=fonts)
    return compiler.compile(input=template, root=template.parent, format="pdf",  # type: ignore[return-value]
                            sys_inputs=inputs, pdf_standards=["ua-1"])


def _typeset(template: Path, inputs: dict[str, str]) -> bytes:
    return tag_row_headers(compile_pdf(template, inputs))


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    return _typeset(*typst_sources(report))


def render_pdfs(reports: Iterable[Report], *, workers: int | None = None) -> Iterator[bytes]:
    """The reports' PDFs in their order, typeset in a pool of `workers` processes (default: one per core) when the
    batch is large enough to pay for starting them. The sources (JSON and SVG) are made here, a few PDFs ahead of
    the one handed out, so a worker needs neither Django nor the database, only typst and pikepdf, and a batch of
    thousands never holds more than a few sources in memory."""
    pending = iter(reports)
    first = list(itertools.islice(pending, POOL_MIN))
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(first) < POOL_MIN:
        for report in itertools.chain(first, pending):
            yield render_pdf(report)
        return
    # "spawn": a forked child would inherit the parent's threads (vl-convert's runtime) and its database connection
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        window: collections.deque[Future[bytes]] = collections.deque()
        for report in itertools.chain(first, pending):
            window.append(pool.submit(_typeset, *typst_sources(report)))
            if len(window) >= 2 * workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
