"""The Strategy 2030 monitoring report with the Kraków preset: every target with its baseline, latest value as of
the report year, target and the product's own progress class, illustrative marks everywhere, the action plans and
actions, footnotes, the PDF's accessibility, the pages and the command."""

from __future__ import annotations

import io
import re

import pikepdf
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from obserwatorium.indicators.models import Domain, Indicator, Observation
from obserwatorium.insights import selectors as insights
from obserwatorium.insights.groups import members_group
from obserwatorium.reports.document import Report
from obserwatorium.reports.monitoring import UnknownMonitoringYear, build_monitoring, monitoring_years
from obserwatorium.reports.phrases import count
from obserwatorium.reports.render_pdf import render_pdf
from obserwatorium.strategy.models import Action, ActionPlan, Target

pytestmark = pytest.mark.django_db

# The preset's seven illustrative targets and the class the demo data gives each in 2022 (indicator, unit).
CLASSES_2022 = {
    ("mixed-waste-per-capita", "MK"): "significant-progress",
    ("separate-collection-share", "1261011"): "significant-progress",
    ("separate-collection-share", "MK"): "significant-progress",
    ("bike-paths-per-10k", "MK"): "moderate-progress",
    ("unemployed-share-working-age", "MK"): "significant-progress",
    ("preschool-rate-3-6", "1219053"): "insufficient-progress",
    ("nursery-children-per-1000-under-3", "MK"): "moderate-progress",
}
PLANS = ["Plan działań w zakresie współpracy w dziedzinie zagospodarowania przestrzennego",
         "Plan działań w dziedzinie gospodarki"]


def _text(report: Report) -> str:
    parts = [report.title, report.subtitle]
    for section in report.walk():
        parts += [section.heading, *(p.text for p in section.paragraphs),
                  *(f"{k.value} {k.label}" for k in section.key_figures)]
    return "\n".join(parts)


def _target_rows(report: Report) -> list[tuple[str, ...]]:
    return [row for s in report.walk() for t in s.tables if t.caption.startswith(("Cele:", "Targets:"))
            for row in t.rows]


def _series_until(target: Target, year: int) -> dict[int, float]:
    series = (insights.group_series(target.indicator, members_group()) if target.for_metropolis
              else insights.unit_series(target.indicator, target.unit.teryt))
    return {y: v for y, v in series.items() if v is not None and y <= year}


def test_the_years_follow_the_target_values():
    years = monitoring_years()
    assert years[0] == 2018 and 2022 in years  # the targets' baseline year is 2018; demo values run on from it
    with pytest.raises(UnknownMonitoringYear):
        build_monitoring(year=1999, language="pl")


def test_every_target_has_its_class_by_the_products_own_assessment_as_of_the_year():
    report = build_monitoring(year=2022, language="en")
    rows = _target_rows(report)
    assert len(rows) == len(CLASSES_2022) == Target.objects.count()
    labels = {"significant-progress": "significant progress", "moderate-progress": "moderate progress",
              "insufficient-progress": "insufficient progress"}
    translation.activate("en")
    for target in Target.objects.select_related("indicator", "unit"):
        key = (target.indicator.code, "MK" if target.for_metropolis else target.unit.teryt)
        shown = _series_until(target, 2022)
        assert insights.assess(target.indicator, shown, target).status == CLASSES_2022[key]
        unit = "Kraków Metropolis (members)" if target.for_metropolis else target.unit.name
        name = f"{target.indicator.name} ({target.indicator.unit_of_measure}) — {unit}; illustrative target"
        [row] = [r for r in rows if r[0] == name]
        assert row[2].endswith("(2022)") and row[3].endswith(f"({target.target_year})")
        assert row[1].endswith(f"({target.baseline_year})")
        assert row[4] == labels[CLASSES_2022[key]]


def test_the_latest_value_is_the_one_known_in_the_report_year():
    report = build_monitoring(year=2019, language="pl")
    latest = {row[2] for row in _target_rows(report)}
    assert latest and all(cell.endswith("(2019)") for cell in latest)
    assert "ostatnia wartość" in _text(report) and "(2023)" not in "".join(latest)


def test_polish_content_plurals_and_illustrative_marks():
    report = build_monitoring(year=2022, language="pl")
    text = _text(report)
    assert report.title == "Monitoring Strategii 2030 — 2022" and report.kind == "monitoring"
    for phrase in ("7 celów", "W tej dziedzinie monitorowane są 3 cele", "W tej dziedzinie monitorowany jest 1 cel",
                   "2 plany działań", "1 plan działań; zarejestrowano 0 działań.", "w 7 dziedzinach",
                   "znaczący postęp — 4; umiarkowany postęp — 2; niewystarczający postęp — 1",
                   "Cele przykładowe (pokazują metodę i nie są celami przyjętymi przez Stowarzyszenie): 7 z 7.",
                   *PLANS):
        assert phrase in text, phrase
    sentences = [p for s in report.walk() for p in s.paragraphs if p.text.count("wartość bazowa") == 1]
    assert len(sentences) == 7
    illustrative = [n.number for n in report.footnotes if n.flag == "illustrative"]
    assert len(illustrative) == 1 and "Cel przykładowy" in report.footnote(illustrative[0]).text
    for sentence in sentences:
        assert "Cel przykładowy: pokazuje metodę i nie jest celem przyjętym przez Stowarzyszenie." in sentence.text
        assert illustrative[0] in sentence.footnotes
    assert all(row[0].endswith("; cel przykładowy") for row in _target_rows(report))
    assert all(c.spec["title"]["subtitle"][2] == "cel przykładowy" for s in report.walk() for c in s.charts)


def test_english_content():
    text = _text(build_monitoring(year=2022, language="en"))
    for phrase in ("Strategy 2030 monitoring — 2022", "7 targets", "In this domain 3 targets are monitored",
                   "In this domain 1 target is monitored", "1 action plan; 0 actions recorded.", "in 7 domains",
                   "Economy action plan", "An illustrative target: it demonstrates the method"):
        assert phrase in text, phrase


def test_an_adopted_target_is_not_marked_illustrative():
    Target.objects.filter(indicator__code="preschool-rate-3-6").update(illustrative=False)
    report = build_monitoring(year=2022, language="pl")
    rows = _target_rows(report)
    assert [r[-1] for r in rows if r[0].endswith("; cel przyjęty")] == ["niewystarczający postęp"]
    [sentence] = [p for s in report.walk() for p in s.paragraphs if p.text.startswith("Odsetek dzieci w wieku 3–6")]
    assert "Cel przykładowy" not in sentence.text
    assert "6 z 7" in _text(report)


def test_a_target_without_values_is_stated_as_such_without_a_chart():
    target = Target.objects.get(indicator__code="preschool-rate-3-6")
    Observation.objects.filter(indicator=target.indicator, unit=target.unit).delete()
    report = build_monitoring(year=2022, language="pl")
    [row] = [r for r in _target_rows(report) if r[0].startswith("Odsetek dzieci w wieku 3–6")]
    assert row[1:] == ("— (2018)", "—", "95,0 (2030)", "nie oceniono")
    assert "brak wartości zaobserwowanej do 2022 r." in _text(report)
    assert sum(len(s.charts) for s in report.walk()) == 6


def test_a_target_outside_the_strategys_domains_has_its_own_section():
    Indicator.objects.filter(code="bike-paths-per-10k").update(domain=Domain.objects.get(code="context"))
    report = build_monitoring(year=2022, language="pl")
    [other] = [s for s in report.sections if s.key == "other"]
    assert other.heading == "Cele spoza dziedzin strategii"
    assert [r[0].split(" (")[0] for t in other.tables for r in t.rows] == ["Drogi dla rowerów na 10 tys. mieszkańców"]
    [mobility] = [s for s in report.sections if s.key == "mobility"]
    assert mobility.paragraphs[0].text == "Rejestr strategii nie zawiera celów ani planów działań tej dziedziny."


def test_actions_show_their_status_and_progress_and_roll_up_into_the_plan():
    plan = ActionPlan.objects.get(name_pl=PLANS[1])
    Action.objects.create(plan=plan, code="G-1", name_pl="Strefy inwestycyjne", status="in-progress", progress=40,
                          responsible_body="Biuro Stowarzyszenia")
    Action.objects.create(plan=plan, code="G-2", name_pl="Katalog ofert", status="completed", progress=100)
    report = build_monitoring(year=2022, language="pl")
    [table] = [t for s in report.walk() for t in s.tables if t.columns[0] == "Plan działań lub działanie"
               and any(r[0] == PLANS[1] for r in t.rows)]
    assert (PLANS[1], "plan działań", "przyjęty", "70%", "—", "—") in table.rows
    assert ("G-1 Strefy inwestycyjne", "działanie", "w toku", "40%", "Biuro Stowarzyszenia", "—") in table.rows
    assert any(r[0] == "G-2 Katalog ofert" and r[3] == "100%" for r in table.rows)
    text = _text(report)
    assert "1 plan działań; zarejestrowano 2 działania." in text and "postęp 70%" in text
    assert "Raport obejmuje 7 celów, 2 plany działań i 2 działania w 7 dziedzinach." in text


def test_every_figure_cites_its_source_retrieval_date_and_flag():
    report = build_monitoring(year=2022, language="pl")
    numbers = {note.number for note in report.footnotes}
    for section in report.walk():
        for paragraph in section.paragraphs:
            if re.search(r"\d", paragraph.text) and "Rejestr strategii nie zawiera" not in paragraph.text:
                assert paragraph.footnotes and set(paragraph.footnotes) <= numbers, paragraph.text
        assert all(t.footnotes and set(t.footnotes) <= numbers for t in section.tables)
        assert all(k.footnote in numbers for k in section.key_figures)
        assert all(c.footnote in numbers and c.alt for c in section.charts)
    demo = [n for n in report.footnotes if n.flag == "demo"]
    assert {c.footnote for s in report.walk() for c in s.charts} == {n.number for n in demo}  # the values' source
    assert demo and all(n.retrieved and "oznaczenie wartości: demonstracyjne" in n.text for n in demo)
    assert report.notice == "Dane demonstracyjne, a nie oficjalne statystyki."


def test_counted_nouns_of_the_monitoring():
    assert count(3, "target", language="pl") == "3 cele"
    assert count(5, "target", language="pl") == "5 celów"
    assert count(22, "target", language="pl") == "22 cele"
    assert count(1, "action", language="pl") == "1 działanie"
    assert count(12, "action", language="pl") == "12 działań"
    assert count(1, "in-domain", language="en") == "in 1 domain"


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_pdf_is_tagged_with_language_title_and_alt_texts(language):
    report = build_monitoring(year=2022, language=language)
    pdf = pikepdf.open(io.BytesIO(render_pdf(report)))
    assert str(pdf.Root.Lang) == language and "/StructTreeRoot" in pdf.Root
    assert str(pdf.docinfo.Title) == report.title
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
    assert sorted(alts) == sorted(c.alt for s in report.walk() for c in s.charts) and len(alts) == 7


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_monitoring_pages(client, language):
    client.cookies["django_language"] = language
    index = client.get("/reports/").content.decode()
    assert "/reports/monitoring/2022/" in index and "/reports/monitoring/2022.pdf" in index
    assert ("Monitoring Strategii 2030" if language == "pl" else "Strategy 2030 monitoring") in index
    page = client.get("/reports/monitoring/2022/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<h1") == 1 and 'id="source-1"' in html
    assert ("Monitoring Strategii 2030 — 2022" if language == "pl" else "Strategy 2030 monitoring — 2022") in html
    assert ("cel przykładowy" if language == "pl" else "illustrative target") in html
    assert "/reports/monitoring/2022.pdf" in html and html.count('<th scope="col"') >= 6
    assert client.get("/reports/monitoring/1999/").status_code == 404
    assert client.get("/reports/monitoring/1999.pdf").status_code == 404
    pdf = client.get("/reports/monitoring/2022.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_command_writes_html_and_pdf_and_refuses_an_unknown_year(tmp_path):
    call_command("report", "monitoring", "2022", "--lang", "en", "--format", "html",
                 "--output", str(tmp_path / "m.html"), stdout=io.StringIO())
    assert "Strategy 2030 monitoring — 2022" in (tmp_path / "m.html").read_text(encoding="utf-8")
    call_command("report", "monitoring", "2021", "--output", str(tmp_path / "m.pdf"), stdout=io.StringIO())
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    with translation.override("en"), pytest.raises(CommandError, match="holds nothing for 1999.*2018"):
        call_command("report", "monitoring", "1999", "--lang", "en")
