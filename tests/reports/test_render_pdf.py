"""The PDF of a report read back as a reader and a screen reader meet it: the structure tree (headings, paragraphs,
figures, tables with column and row headers, the sources as a list) in the document's order, the outline, the
links from footnote references to the sources, the printed charts' captions, and the demo notice on every page.

Checked with pikepdf (the structure tree, outline, annotations) and pypdf (the text of each page, with where on the
page it stands). veraPDF is not available offline, so PDF/UA-1 conformance itself is typst's claim, not checked.
"""

from __future__ import annotations

import functools
import io

import pikepdf
import pypdf
import pytest

from obserwatorium.reports.annual import build_annual
from obserwatorium.reports.document import Chart, Footnote, Paragraph, Report, Section, Table
from obserwatorium.reports.render_pdf import chart_svg, render_pdf

BLOCKS = {"H1", "H2", "H3", "H4", "P", "Figure", "Table", "L", "LI"}
NOTICE = {"pl": "Dane demonstracyjne, a nie oficjalne statystyki.",
          "en": "Demonstration data, not official statistics."}


@functools.cache
def _annual(language: str) -> tuple[Report, bytes]:
    report = build_annual(year=2022, language=language)
    return report, render_pdf(report)


def _kids(node) -> list:
    kids = node.get("/K")
    items = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _elements(node, kind: str) -> list:
    found = []
    for kid in _kids(node):
        if kid.S == kind:
            found.append(kid)
        found += _elements(kid, kind)
    return found


def _blocks(node) -> list[str]:
    """The block-level structure elements in reading order, not looking inside a figure or a table."""
    found = []
    for kid in _kids(node):
        kind = str(kid.S)[1:]
        if kind in BLOCKS:
            found.append(kind)
            if kind in ("Figure", "Table"):
                continue
        found += _blocks(kid)
    return found


def _expected_blocks(report: Report) -> list[str]:
    """The order the document model gives: title, its lines, then each section's heading, paragraphs, charts,
    tables and subsections, then the sources as a list."""
    expected = ["H1", *(["P"] if report.subtitle else []), "P"]  # the subtitle, the date of the figures

    def section(part: Section, level: int) -> None:
        expected.extend([f"H{level}", *["P"] * len(part.paragraphs), *["Figure"] * len(part.charts),
                         *["Table"] * len(part.tables)])
        for child in part.subsections:
            section(child, level + 1)

    for part in report.sections:
        section(part, 2)
    if report.footnotes:
        expected.extend(["H2", "L", *["LI"] * len(report.footnotes)])
    return expected


def _cell_attributes(cell) -> pikepdf.Dictionary:
    attributes = cell.get("/A")
    entries = [attributes] if isinstance(attributes, pikepdf.Dictionary) else list(attributes or [])
    return next(entry for entry in entries if entry.get("/O") == "/Table")


def _page_texts(pdf: bytes) -> list[list[tuple[float, str]]]:
    """Each page's text runs with their height on the page (points from the bottom)."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        runs: list[tuple[float, str]] = []

        def visit(text, cm, tm, *_, runs=runs):
            if text.strip():
                runs.append((cm[5] + tm[5] * cm[3], text))

        page.extract_text(visitor_text=visit)
        pages.append([(y, text.replace("\xa0", " ")) for y, text in runs])
    return pages


def _chart(title: str = "Dochody własne na 1 mieszkańca", unit: str = "zł na mieszkańca", notice: str = "") -> Chart:
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "title": {"text": title, "subtitle": [unit, *([notice] if notice else [])]},
            "data": {"values": [{"year": 2020 + i, "value": 10 * i + 5} for i in range(3)]},
            "mark": "line", "height": 120,
            "encoding": {"x": {"field": "year", "type": "quantitative", "title": "Rok"},
                         "y": {"field": "value", "type": "quantitative", "title": unit}}}
    return Chart(title=title, alt=f"Wykres liniowy: {title}, 2020–2022.", spec=spec, footnote=1)


def _long_report(notice: str = "") -> Report:
    """A made-up report without demo data: a subsection, a chart, and a table long enough to run onto a second
    page."""
    rows = tuple((f"Gmina {n:02d}", str(n), str(2 * n)) for n in range(1, 90))
    table = Table("Wartości według gmin", ("Gmina", "Liczba", "Podwojona"), rows, (1,))
    return Report(
        title="Raport próbny", language="pl", subtitle="Podtytuł", date="2026-01-01", notice=notice,
        sections=(
            Section("Wstęp", paragraphs=(Paragraph("Pierwszy akapit.", (1,)), Paragraph("Drugi.", (1,))),
                    charts=(_chart(),), key="intro",
                    subsections=(Section("Szczegóły", paragraphs=(Paragraph("Trzeci.", (1,)),), key="more"),)),
            Section("Tabela", tables=(table,), key="table"),
        ),
        footnotes=(Footnote(1, "Bank Danych Lokalnych GUS", "https://bdl.stat.gov.pl", "2026-01-01"),),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_pdf_structure_follows_the_documents_order(language):
    report, pdf = _annual(language)
    document = pikepdf.open(io.BytesIO(pdf))
    assert _blocks(document.Root.StructTreeRoot) == _expected_blocks(report)
    figures = _elements(document.Root.StructTreeRoot, "/Figure")
    assert [str(f.Alt) for f in figures] == [c.alt for s in report.walk() for c in s.charts]


def test_headings_of_every_level_and_the_sources_list_are_in_order():
    report = _long_report()
    document = pikepdf.open(io.BytesIO(render_pdf(report)))
    assert _blocks(document.Root.StructTreeRoot) == _expected_blocks(report)
    assert "H3" in _expected_blocks(report)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_pdf_has_language_title_and_an_outline_of_its_headings(language):
    report, pdf = _annual(language)
    document = pikepdf.open(io.BytesIO(pdf))
    assert str(document.Root.Lang) == language
    assert bool(document.Root.ViewerPreferences.DisplayDocTitle) is True
    with document.open_metadata() as meta:
        assert meta.get("dc:title") == report.title
    with document.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles == [s.heading for s in report.sections] + [{"pl": "Źródła", "en": "Sources"}[language]]


@pytest.mark.django_db
def test_every_footnote_reference_links_to_its_source_in_the_list():
    report, pdf = _annual("pl")
    document = pikepdf.open(io.BytesIO(pdf))
    pages = {page.objgen: number for number, page in enumerate(document.pages)}
    with document.open_outline() as outline:
        sources = outline.root[-1].destination
    start = (pages[sources[0].objgen], -float(sources[3]))  # (page, distance from the top) of "Źródła"
    targets = set()
    for page in document.pages:
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                dest = annotation.Dest
                targets.add((pages[dest[0].objgen], -float(dest[3])))
                assert str(annotation.Contents)  # a text for the link (PDF/UA)
    assert len(targets) == len(report.footnotes)  # one target per source, each after the heading
    assert all(target > start for target in targets)


@pytest.mark.django_db
def test_table_cells_carry_column_and_row_headers():
    report, pdf = _annual("pl")
    document = pikepdf.open(io.BytesIO(pdf))
    tables = _elements(document.Root.StructTreeRoot, "/Table")
    shown = [t for s in report.walk() for t in s.tables]
    assert len(tables) == len(shown) > 0
    for element, table in zip(tables, shown, strict=True):
        head = [row for part in _kids(element) if part.S == "/THead" for row in _kids(part)]
        body = [row for part in _kids(element) if part.S == "/TBody" for row in _kids(part)]
        assert len(head) == 1 and len(body) == len(table.rows)
        assert [(c.S, _cell_attributes(c).get("/Scope")) for c in _kids(head[0])] == \
            [("/TH", "/Column")] * len(table.columns)
        for row in body:
            first, *rest = _kids(row)
            assert first.S == "/TH" and _cell_attributes(first).Scope == "/Row"
            assert [c.S for c in rest] == ["/TD"] * (len(table.columns) - 1)
            assert all(str(first.ID) in [str(h) for h in _cell_attributes(c).Headers] for c in rest)
        ids = pikepdf.NameTree(document.Root.StructTreeRoot.IDTree)
        assert all(str(row.K[0].ID) in ids for row in body)


def test_a_long_table_repeats_its_column_headers_on_the_next_page():
    pdf = render_pdf(_long_report())
    pages = [" ".join(text for _, text in runs) for runs in _page_texts(pdf)]
    holding = [text for text in pages if "Gmina 5" in text or "Gmina 8" in text]
    assert len(holding) >= 2  # the table runs onto a second page
    assert all("Podwojona" in text for text in holding)
    document = pikepdf.open(io.BytesIO(pdf))
    (table,) = _elements(document.Root.StructTreeRoot, "/Table")
    assert len(_elements(table, "/TH")) == 3 + 89 and len(_elements(table, "/TD")) == 2 * 89


def test_a_printed_chart_is_captioned_by_the_indicator_and_keeps_the_unit_on_its_axis():
    chart = _chart(notice="Dane demonstracyjne, a nie oficjalne statystyki.")
    svg = chart_svg(chart.spec)
    assert svg.count(">zł na mieszkańca<") == 1  # the value axis's title, no longer the chart's title too
    assert "Dane demonstracyjne, a nie oficjalne statystyki." in svg
    assert chart.title not in svg  # the caption names the indicator
    pages = [" ".join(text for _, text in runs) for runs in _page_texts(render_pdf(_long_report()))]
    assert "Rysunek 1: Dochody własne na 1 mieszkańca" in pages[0]
    assert chart.alt not in " ".join(pages)  # the description is the figure's alt text, not printed


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_demo_notice_heads_every_pdf_page(language):
    report, pdf = _annual(language)
    assert report.notice == NOTICE[language]
    document = pikepdf.open(io.BytesIO(pdf))
    height = float(document.pages[0].mediabox[3])
    for number, runs in enumerate(_page_texts(pdf), start=1):
        top_band = [text for y, text in runs if y > height - 60]
        assert NOTICE[language] in " ".join(top_band), f"page {number}"


def test_a_report_without_demo_data_has_no_notice_on_its_pages():
    assert all(NOTICE["pl"] not in text for runs in _page_texts(render_pdf(_long_report())) for _, text in runs)
    with_notice = _page_texts(render_pdf(_long_report(notice=NOTICE["pl"])))
    assert len(with_notice) >= 2 and all(NOTICE["pl"] in " ".join(t for _, t in runs) for runs in with_notice)
