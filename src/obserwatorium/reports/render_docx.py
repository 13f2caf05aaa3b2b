"""A report as a DOCX document for the editors (python-docx): the same document as the page and the PDF, in
Word's own structure — the title and headings as Heading styles (the navigation pane and a table of contents
use them), paragraphs with their footnote numbers, key figures as a list, tables with a repeated header row,
charts as PNG images (vl-convert, from the same Vega-Lite specs) with the chart's description as the image's
alternative text, the sources as a numbered list; the document's language set, the demo notice on top and in
every page's header."""

from __future__ import annotations

import io

import vl_convert
from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from obserwatorium.reports.document import Chart, Paragraph, Report, Section, Table

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHART_WIDTH_CM = 16
CHART_WIDTH_PX = 600  # drawn at 1.5 times this for a sharp image
LANGUAGE_TAGS = {"pl": "pl-PL", "en": "en-GB"}


def _refs(numbers) -> str:
    shown = [str(n) for n in numbers if n]
    return f" [{', '.join(shown)}]" if shown else ""


def _language(document, language: str) -> None:
    """The document's language (spell checking, screen readers) on its default run properties."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    tag = run_properties.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        run_properties.append(tag)
    tag.set(qn("w:val"), LANGUAGE_TAGS.get(language, language))


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _paragraph(document, paragraph: Paragraph, editorial_label: str) -> None:
    if paragraph.editorial:
        label = document.add_paragraph()
        label.add_run(editorial_label).bold = True
    document.add_paragraph(paragraph.text + _refs(paragraph.footnotes))


def _table(document, table: Table) -> None:
    caption = document.add_paragraph(table.caption + _refs(table.footnotes), style="Caption")
    caption.paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(grid.rows[0])
    for row in table.rows:
        cells = grid.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=False)):
            cell.text = text
            if index == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _chart(document, chart: Chart) -> None:
    width = chart.spec.get("usermeta", {}).get("print_width", CHART_WIDTH_PX)
    spec = {**chart.spec, "width": width, "autosize": {"type": "fit", "contains": "padding"}}
    png = vl_convert.vegalite_to_png(spec, scale=1.5)
    document.add_picture(io.BytesIO(png), width=Cm(CHART_WIDTH_CM))
    picture = document.paragraphs[-1]
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for properties in picture._p.iter(qn("wp:docPr")):
        properties.set("descr", chart.alt)
        properties.set("title", chart.title)
    document.add_paragraph(chart.title + _refs([chart.footnote]), style="Caption")


def _section(document, section: Section, level: int, editorial_label: str) -> None:
    document.add_heading(section.heading, level=min(level, 9))
    if section.key_figures:
        for figure in section.key_figures:
            item = document.add_paragraph(style="List Bullet")
            item.add_run(figure.value).bold = True
            item.add_run(f" – {figure.label}{_refs([figure.footnote])}")
    for paragraph in section.paragraphs:
        _paragraph(document, paragraph, editorial_label)
    for chart in section.charts:
        _chart(document, chart)
    for table in section.tables:
        _table(document, table)
    for subsection in section.subsections:
        _section(document, subsection, level + 1, editorial_label)


def render_docx(report: Report) -> bytes:
    """The report as DOCX bytes."""
    with translation.override(report.language):
        document = Document()
        _language(document, report.language)
        document.core_properties.title = report.title
        document.core_properties.language = LANGUAGE_TAGS.get(report.language, report.language)
        document.core_properties.author = _("Obserwatorium")
        document.styles["Normal"].font.size = Pt(11)
        if report.notice:
            header = document.sections[0].header.paragraphs[0]
            header.text = report.notice
        document.add_heading(report.title, level=0)
        if report.subtitle:
            document.add_paragraph(report.subtitle, style="Subtitle")
        document.add_paragraph(_("Figures as the registries held them on %(date)s.") % {"date": report.date})
        if report.notice:
            document.add_paragraph().add_run(report.notice).bold = True
        editorial_label = _("From the editors")
        for section in report.sections:
            _section(document, section, 1, editorial_label)
        if report.footnotes:
            document.add_heading(_("Sources"), level=1)
            for note in report.footnotes:
                parts = [note.text, note.url, note.retrieved]
                document.add_paragraph(f"[{note.number}] " + " · ".join(p for p in parts if p))
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
