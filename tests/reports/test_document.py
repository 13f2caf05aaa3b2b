"""The document model round-trips through JSON (editions will store it) and refuses a chart without alt text."""

from __future__ import annotations

import pytest

from obserwatorium.reports.document import Chart, Footnote, FootnoteBook, KeyFigure, Paragraph, Report, Section, Table


def _report() -> Report:
    inner = Section(heading="Sub", paragraphs=(Paragraph("Zdanie.", (1,)),))
    section = Section(
        heading="Gospodarka", key="economy", paragraphs=(Paragraph("Tekst", (1, 2)),),
        key_figures=(KeyFigure("ponad 80 spotkań", "spotkania forów", 1),),
        charts=(Chart(title="T", alt="Wykres liniowy", spec={"mark": "line", "data": {"values": [{"a": 1}]}},
                      footnote=2),),
        tables=(Table("Podpis", ("A", "B"), (("x", "1"), ("y", "2")), (1,)),), subsections=(inner,))
    return Report(title="Moc efektów 2022", language="pl", subtitle="s", date="2026-12-02", notice="demo",
                  sections=(section,), kind="annual",
                  footnotes=(Footnote(1, "Źródło", "https://example.org", "2026-01-01"), Footnote(2, "D", flag="demo")))


def test_a_report_round_trips_through_json():
    report = _report()
    assert Report.from_json(report.to_json()) == report
    assert Report.from_json(report.to_json()).to_json() == report.to_json()


def test_a_chart_needs_alt_text():
    with pytest.raises(ValueError):
        Chart(title="T", alt=" ", spec={})


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        Report.from_json('{"format": 99}')


def test_the_footnote_book_numbers_each_distinct_note_once():
    book = FootnoteBook()
    assert book.cite("A") == 1 and book.cite("B") == 2 and book.cite("A") == 1
    assert not book.demo and book.cite("demo", flag="demo") == 3 and book.demo
