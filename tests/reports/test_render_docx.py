"""The DOCX for the editors carries the report's structure: title and language, headings in order, every chart
an image with its description as alternative text, tables with a repeated header row, the sources, and the demo
notice in every page's header."""

from __future__ import annotations

import io
import re

import docx
import pytest
from django.core.management import call_command

from obserwatorium.reports.annual import build_annual
from obserwatorium.reports.render_docx import render_docx

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def annual_pl(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        report = build_annual(year=2022, language="pl")
    return report, docx.Document(io.BytesIO(render_docx(report)))


def test_title_language_and_headings_in_the_documents_order(annual_pl):
    report, document = annual_pl
    assert document.core_properties.title == "Moc efektów 2022"
    assert re.findall(r'w:lang w:val="([^"]+)"', document.styles.element.xml)[0] == "pl-PL"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [s.heading for s in report.walk()] + ["Źródła"]


def test_every_chart_is_an_image_with_its_description(annual_pl):
    report, document = annual_pl
    charts = [c for s in report.walk() for c in s.charts]
    described = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', document.element.xml)
    assert len(document.inline_shapes) == len(charts) and len(described) == len(charts)
    assert [d.replace("&amp;", "&") for d in described] == [c.alt for c in charts]


def test_tables_repeat_their_header_and_the_notice_heads_every_page(annual_pl):
    report, document = annual_pl
    tables = [t for s in report.walk() for t in s.tables]
    assert len(document.tables) == len(tables)
    assert all("<w:tblHeader" in t.rows[0]._tr.xml for t in document.tables)
    assert document.sections[0].header.paragraphs[0].text == report.notice
    assert any(p.text.startswith("[1] ") for p in document.paragraphs)


def test_the_command_writes_a_docx(tmp_path):
    target = tmp_path / "moc.docx"
    call_command("report", "annual", "2022", "--format", "docx", "--output", str(target), stdout=io.StringIO())
    assert docx.Document(str(target)).core_properties.title == "Moc efektów 2022"


def test_the_live_report_page_offers_the_docx(client):
    page = client.get("/reports/annual/2022/").content.decode()
    assert 'href="/reports/annual/2022.docx"' in page and "DOCX do redakcji" in page
    response = client.get("/reports/annual/2022.docx", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and 'filename="power-of-effects-2022.docx"' in response["Content-Disposition"]
    assert docx.Document(io.BytesIO(response.content)).core_properties.title == "The power of effects 2022"
    assert client.get("/reports/annual/1999.docx").status_code == 404
