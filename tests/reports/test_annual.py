"""The yearly effects report of 2022 with the Kraków preset: golden documents in both languages, every fact of the
association's 2022 summary that the preset holds, the demo notice, the PDF's accessibility and the pages.

Regenerate the golden files after an intended change: OBS_REGENERATE_GOLDEN=1 pytest tests/reports/test_annual.py
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pikepdf
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from obserwatorium.indicators.models import Aggregation, Indicator
from obserwatorium.reports.annual import UnknownYear, build_annual
from obserwatorium.reports.document import Report
from obserwatorium.reports.render_pdf import render_pdf

pytestmark = pytest.mark.django_db
GOLDEN = Path(__file__).with_name("golden")
DATE = __import__("datetime").date(2026, 1, 1)


def _text(report: Report) -> str:
    parts = [report.title, report.subtitle]
    for section in report.walk():
        parts += [section.heading, *(p.text for p in section.paragraphs),
                  *(f"{k.value} {k.label}" for k in section.key_figures)]
    return "\n".join(parts)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_2022_report_matches_its_golden_document(language):
    report = build_annual(year=2022, language=language, today=DATE)
    path = GOLDEN / f"annual-2022-{language}.json"
    if os.environ.get("OBS_REGENERATE_GOLDEN"):
        path.write_text(report.to_json() + "\n", encoding="utf-8")
    assert json.loads(report.to_json()) == json.loads(path.read_text(encoding="utf-8"))


POLISH_FACTS = [
    "11 forów", "ponad 80 spotkań", "15 nowych partnerów", "Forum Komunikacji i Promocji", "Forum Klimatu",
    "Forum Edukacji", "Zespół zadaniowy ds. uchodźców z Ukrainy", "Kraków-Nowa Huta Przyszłości S.A.",
    "Małopolskie Centrum Doskonalenia Nauczycieli", "Krakowskie Biuro Festiwalowe", "COMANAGE", "INTERLACE",
    "RiConnect", "KMA4Business", "EKO TEAM", "około 2,5\u00a0tys.", "Strategia ZIT do 2027 r.",
    "Strategia Komunikacji MK", "Koncepcja Obserwatorium Rozwoju Metropolii Krakowskiej",
    "Magazyn metropolitalny, wydanie specjalne", "Deklaracja poparcia idei współpracy metropolitalnej",
    "Plan działań w zakresie współpracy w dziedzinie zagospodarowania przestrzennego", "grudzień 2022",
    "Wspólne stanowisko gmin Metropolii Krakowskiej sprzeciwiające się zmianom w uchwale antysmogowej",
    "Status przyjaciela Misji Klimatycznych UE", "Badania ankietowe dotyczące transportu aglomeracyjnego",
    "Plan działań w dziedzinie gospodarki", "Raport o zasobach rekreacyjnych i kulturalnych",
    "III Forum Metropolii Krakowskiej", "Szkolenia Krakowskiego Biura Festiwalowego",
]


def test_every_preset_fact_of_the_2022_summary_is_stated():
    text = _text(build_annual(year=2022, language="pl"))
    assert [fact for fact in POLISH_FACTS if fact not in text] == []
    assert "Moc efektów 2022" in text and "zarejestrowano" not in text.split("ponad 80")[0][-40:]


def test_english_states_the_aggregates_as_aggregates():
    text = _text(build_annual(year=2022, language="en"))
    for fact in ("11 forums", "more than 80 meetings", "15 new partners", "The power of effects 2022",
                 "about 2.5 thousand"):
        assert fact in text


def test_every_figure_cites_a_numbered_source_and_demo_data_carries_the_notice():
    report = build_annual(year=2022, language="pl")
    numbers = {note.number for note in report.footnotes}
    for section in report.walk():
        assert all(p.footnotes and set(p.footnotes) <= numbers for p in section.paragraphs
                   if section.key != "introduction" or "Rejestry" not in p.text)
        assert all(k.footnote in numbers for k in section.key_figures)
        assert all(c.footnote in numbers and c.alt for c in section.charts)
    assert report.notice == "Dane demonstracyjne, a nie oficjalne statystyki."


def test_an_unknown_year_is_refused():
    with pytest.raises(UnknownYear):
        build_annual(year=1999, language="pl")
    with translation.override("en"), pytest.raises(CommandError, match="hold nothing for 1999"):
        call_command("report", "annual", "1999", "--lang", "en")


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_pdf_is_tagged_with_language_title_and_alt_texts(language):
    report = build_annual(year=2022, language=language)
    pdf = pikepdf.open(io.BytesIO(render_pdf(report)))
    assert len(pdf.pages) > 0
    assert str(pdf.Root.Lang) == language
    assert str(pdf.docinfo.Title) == report.title
    with pdf.open_metadata() as meta:
        assert meta.get("dc:title") == report.title
    assert "/StructTreeRoot" in pdf.Root
    alts = []

    def visit(node, depth=0):
        if depth > 60 or not isinstance(node, pikepdf.Dictionary):
            return
        if node.get("/S") == "/Figure":
            alts.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            visit(kid, depth + 1)

    visit(pdf.Root.StructTreeRoot)
    charts = [c for s in report.walk() for c in s.charts]
    assert len(alts) == len(charts) and all(alts)
    assert {c.alt for c in charts} == set(alts)


def test_the_command_writes_html_and_pdf(tmp_path):
    call_command("report", "annual", "2022", "--lang", "en", "--format", "html", "--output", str(tmp_path / "r.html"))
    assert "The power of effects 2022" in (tmp_path / "r.html").read_text(encoding="utf-8")
    call_command("report", "annual", "2022", "--format", "pdf", "--output", str(tmp_path / "r.pdf"))
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_report_pages(client, language):
    client.cookies["django_language"] = language
    index = client.get("/reports/", HTTP_ACCEPT_LANGUAGE=language)
    assert index.status_code == 200 and b"/reports/annual/2022/" in index.content
    page = client.get("/reports/annual/2022/", HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<h1") == 1 and 'id="source-1"' in html
    assert 'href="#ref-1"' in html and "/reports/annual/2022.pdf" in html
    assert ("Moc efektów 2022" if language == "pl" else "The power of effects 2022") in html
    assert client.get("/reports/annual/1999/").status_code == 404
    pdf = client.get("/reports/annual/2022.pdf", HTTP_ACCEPT_LANGUAGE=language)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_mean_or_ratio_headline_draws_the_metropolis_line_as_on_the_site():
    # The site draws the metropolis beside the members for a population-weighted mean or a ratio of sums (not
    # for a sum, which lives on another scale); the printed chart comes from the same rule.
    report = build_annual(year=2022, language="pl")
    drawn = {c.title: "coverage" in json.dumps(c.spec) for s in report.walk() for c in s.charts}
    weighted = {i.name for i in Indicator.objects.filter(headline=True, aggregation__in=[
        Aggregation.POPULATION_WEIGHTED_MEAN, Aggregation.RATIO_OF_SUMS])}
    assert weighted & set(drawn)
    assert all(drawn[name] for name in weighted & set(drawn))
    assert not any(drawn[name] for name in set(drawn) - weighted)
