"""A report as an accessible PDF (PDF/UA-1: tagged, with its language, title and the alt text of every chart),
typeset by typst from its wheel with the wheel's own fonts; charts as SVG by vl-convert from the same
Vega-Lite specs the site draws."""

from __future__ import annotations

import json
import tempfile
from dataclasses import asdict
from pathlib import Path

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


def chart_svg(spec: dict) -> str:
    """The chart as SVG, sized for the printed page."""
    # A chart that states its printed width keeps it (a sparkline in a table cell, a location map).
    width = spec.get("usermeta", {}).get("print_width", PRINT_WIDTH)
    printed = {**spec, "width": width, "autosize": {"type": "fit", "contains": "padding"}}
    printed["config"] = {**spec.get("config", {}), "font": PRINT_FONT}
    title = spec.get("title")
    if isinstance(title, dict) and title.get("subtitle"):
        # The printed figure is headed by the typst caption, which names the indicator (a long name would run
        # off the chart); the chart keeps its subtitle lines: the unit and the demo notice.
        lines = list(title["subtitle"])
        printed["title"] = {**{k: v for k, v in title.items() if k != "subtitle"}, "text": lines[0],
                            **({"subtitle": lines[1:]} if len(lines) > 1 else {})}
    return vl_convert.vegalite_to_svg(printed)


def write_sources(report: Report, folder: Path) -> Path:
    """The typst project of the report in `folder` (template, data, charts); the main file's path."""
    with translation.override(report.language):
        texts = {"sources_heading": _("Sources"), "author": _("Obserwatorium"), "trend_heading": _("Trend"),
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


def compile_pdf(main: Path) -> bytes:
    """Typst's PDF/UA-1 output of a prepared project, with the wheel's fonts only (no system fonts)."""
    compiler = typst.Compiler(main, root=main.parent, ignore_system_fonts=True)
    return compiler.compile(format="pdf", pdf_standards=["ua-1"])  # type: ignore[return-value]


def render_pdf(report: Report) -> bytes:
    """The report as PDF bytes."""
    with tempfile.TemporaryDirectory(prefix="obs-report-") as folder:
        return compile_pdf(write_sources(report, Path(folder)))
