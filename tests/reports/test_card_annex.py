"""The municipality card and the statutory data annex with the Kraków preset: figures and sentences in both
languages, the gmina's part in the cooperation, refusals, bounded queries, the PDFs' accessibility, pages, CLI."""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pikepdf
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from obserwatorium.cooperation.models import Forum, Project
from obserwatorium.events.models import Event
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, ImportBatch, Indicator
from obserwatorium.indicators.selectors import catalogue, comparison_units
from obserwatorium.indicators.services import write_observations
from obserwatorium.reports.annex import NotAMember, build_annex
from obserwatorium.reports.card import build_card
from obserwatorium.reports.document import Report
from obserwatorium.reports.gmina import NoDataForYear, UnknownGmina, prepare
from obserwatorium.reports.render_pdf import render_pdf
from obserwatorium.strategy.models import Action, ActionPlan, Strategy
from obserwatorium.territory.models import Unit
from obserwatorium.web.figures import metropolis_figure

pytestmark = pytest.mark.django_db
SKAWINA, GDOW = "1206113", "1219022"
DATE = datetime(2026, 1, 1).date()


def _text(report: Report) -> str:
    parts = [report.title, report.subtitle]
    for section in report.walk():
        parts += [section.heading, *(p.text for p in section.paragraphs),
                  *(f"{k.value} {k.label}" for k in section.key_figures),
                  *(" | ".join(row) for t in section.tables for row in t.rows), *(c.alt for c in section.charts)]
    return "\n".join(parts)


def _rows(report: Report, key: str = "indicators") -> dict[str, tuple[str, ...]]:
    section = next(s for s in report.walk() if s.key == key)
    return {row[0]: row for row in section.tables[0].rows}


@pytest.fixture
def involved(db):
    """Skawina in a project, a forum, responsible for an action, with an event of 2023."""
    skawina = Unit.objects.get(teryt=SKAWINA)
    project = Project.objects.create(slug="card-project", name="Zielona Skawina", programme="life",
                                     start_date=datetime(2021, 3, 1).date(), end_date=datetime(2024, 6, 30).date())
    project.units.add(skawina)
    forum = Forum.objects.create(slug="card-forum", name_pl="Forum Karty", name_en="Card Forum")
    forum.member_units.add(skawina)
    plan = ActionPlan.objects.create(strategy=Strategy.objects.first(), name_pl="Plan Karty", status="adopted",
                                     domain=forum.domain or Indicator.objects.first().domain)
    Action.objects.create(plan=plan, code="CARD-1", name_pl="Ścieżka rowerowa", responsible_unit=skawina,
                          status="in-progress", progress=40)
    Event.objects.create(title="Dni Skawiny", unit=skawina, status="published",
                         starts_at=datetime(2023, 6, 10, 12, tzinfo=ZoneInfo("Europe/Warsaw")))
    return skawina


def test_the_card_compares_the_gmina_with_its_peers_and_the_metropolis():
    report = build_card(teryt=SKAWINA, language="pl", today=DATE)
    assert report.kind == "card" and report.title == "Skawina: karta gminy 2023"
    batch = prepare(teryts=[SKAWINA], compared=[Indicator.objects.get(code="population")])
    figure = metropolis_figure(batch.compared[0], batch.cells, batch.members, "2023", batch.population)
    row = _rows(report)["Ludność ogółem (stan na 31 XII)"]
    assert row[1] == "2023" and row[4] == __import__("obserwatorium.numbers").numbers.format_number(
        figure.value, decimals=0, language="pl")
    density = _rows(report)["Gęstość zaludnienia"]
    position, ranked = density[5].split(" / ")
    assert ranked == "15" and 1 <= int(position) <= 15
    text = _text(report)
    assert "Kraków i gminy miejsko-wiejskie (liczba gmin: 5)" in text  # its smallest peer group
    assert "jest członkiem stowarzyszenia od 2014-06-24" in text
    assert report.notice == "Dane demonstracyjne, a nie oficjalne statystyki."


def test_every_figure_of_the_card_cites_its_source_with_date_and_flag():
    report = build_card(teryt=SKAWINA, language="en", today=DATE)
    notes = {note.number: note for note in report.footnotes}
    for number, row in enumerate(_rows(report).values()):
        assert row[-1] == "—" or {int(n) for n in row[-1].split(", ")} <= set(notes), number
    assert all(note.retrieved for note in report.footnotes)
    assert {note.flag for note in report.footnotes} == {"demo"}
    section = report.walk()[0]
    assert all(c.alt and c.footnote in notes for c in section.charts)
    assert report.title == "Skawina: municipality card 2023" and "rank" in _text(report)


def test_the_cooperation_part_names_projects_forums_actions_and_events(involved):
    text = _text(build_card(teryt=SKAWINA, language="pl", today=DATE))
    assert "Projekty obejmujące gminę: Zielona Skawina (LIFE, 2021–2024)." in text
    assert "Fora, do których należy gmina: Forum Karty." in text
    assert "Ścieżka rowerowa (Plan Karty; w toku, postęp 40%)" in text
    assert "Wydarzenia gminy w kalendarzu kultury w 2023 r.: 1 wydarzenie (Dni Skawiny)." in text
    english = _text(build_card(teryt=SKAWINA, language="en", today=DATE))
    assert "Forums the gmina is a member of: Card Forum." in english and "1 event (Dni Skawiny)" in english


def test_a_gmina_outside_the_association_gets_a_card_against_gminy_of_its_type():
    with pytest.raises(NoDataForYear):  # the preset holds no value of a neighbour outside the association
        build_card(teryt=GDOW, language="en")
    population = Indicator.objects.get(code="population")
    write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="GUS BDL, test upload",
                                         retrieved_at=datetime(2025, 5, 1, tzinfo=ZoneInfo("UTC"))),
                       rows=[ObservationRow(population.pk, Unit.objects.get(teryt=GDOW).pk, "2023", 21000.0, "final")])
    report = build_card(teryt=GDOW, language="en", today=DATE)
    text = _text(report)
    assert "is not a member of the association" in text and "Rural gminy in the database" in text
    assert _rows(report)["Population (as of 31 Dec)"][2].startswith("21,000")
    own = next(n for n in report.footnotes if n.retrieved == "2025-05-01")
    assert own.flag == "" and report.notice  # its own value is not demo; the comparison figures are
    assert _rows(report)["Population (as of 31 Dec)"][-1] == f"{own.number}, {own.number + 1}"


def test_unknown_gminy_and_years_are_refused():
    with pytest.raises(UnknownGmina):
        build_card(teryt="9999999", language="pl")
    with pytest.raises(NoDataForYear):
        build_card(teryt=SKAWINA, language="pl", year=1990)
    with pytest.raises(NotAMember):
        build_annex(teryt=GDOW, year=2023, language="pl")


def test_building_a_card_takes_a_bounded_number_of_queries_whatever_the_indicators():
    def queries(codes: list[str]) -> int:
        compared = list(catalogue().filter(code__in=codes))  # as the builders read them, with ratio terms
        with CaptureQueriesContext(connection) as captured:
            build_card(teryt=SKAWINA, language="pl", batch=prepare(teryts=[SKAWINA], compared=compared))
        return len(captured.captured_queries)

    few = queries(["population"])
    many = queries(list(Indicator.objects.values_list("code", flat=True)))
    assert few == many and many <= 15


def test_the_annex_holds_every_indicator_with_five_years_in_both_languages():
    report = build_annex(teryt=SKAWINA, year=2022, language="pl", today=DATE)
    assert report.kind == "annex" and report.title == "Raport o stanie gminy — załącznik danych 2022"
    tables = [t for s in report.walk() for t in s.tables]
    assert tables[0].columns[2:7] == ("2018", "2019", "2020", "2021", "2022")
    shown = {row[0] for t in tables for row in t.rows}
    with translation.override("pl"):
        with_values = {i.name for i in Indicator.objects.filter(observations__unit__teryt=SKAWINA,
                                                                observations__period="2022").distinct()}
    assert with_values <= shown
    english = build_annex(teryt=SKAWINA, year=2022, language="en", today=DATE)
    assert english.title == "Report on the state of the gmina — data annex 2022"
    assert "Rank 1 is the best value among the member gminy" in _text(english)


@pytest.mark.parametrize("kind", ["card", "annex"])
def test_the_pdfs_are_tagged_with_language_title_and_alt_texts(kind):
    report = (build_card(teryt=SKAWINA, language="en") if kind == "card"
              else build_annex(teryt=SKAWINA, year=2023, language="pl"))
    pdf = pikepdf.open(io.BytesIO(render_pdf(report)))
    assert str(pdf.Root.Lang) == report.language and str(pdf.docinfo.Title) == report.title
    assert "/StructTreeRoot" in pdf.Root
    alts: list[str] = []

    def visit(node, depth=0):
        if depth > 80 or not isinstance(node, pikepdf.Dictionary):
            return
        if node.get("/S") == "/Figure":
            alts.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            visit(kid, depth + 1)

    visit(pdf.Root.StructTreeRoot)
    charts = {c.alt for s in report.walk() for c in s.charts}
    assert set(alts) == charts and all(alts)
    if kind == "card":
        assert len(pdf.pages) <= 2


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_pages_and_the_unit_page_link(client, language):
    client.cookies["django_language"] = language
    page = client.get(f"/reports/card/{SKAWINA}/", HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<h1") == 1
    assert ("karta gminy" if language == "pl" else "municipality card") in html
    assert f"/reports/card/{SKAWINA}.pdf" in html
    assert client.get(f"/reports/card/{SKAWINA}.pdf").status_code == 200
    assert client.get("/reports/card/9999999/").status_code == 404
    assert client.get(f"/reports/card/{SKAWINA}/?year=1990").status_code == 404
    assert client.get(f"/reports/annex/{SKAWINA}/2023/").status_code == 200
    assert client.get(f"/reports/annex/{SKAWINA}/1990/").status_code == 404
    assert client.get(f"/reports/annex/{GDOW}/2023/").status_code == 404
    unit = client.get("/units/skawina/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'href="/reports/card/{SKAWINA}/"' in unit and f'href="/reports/annex/{SKAWINA}/2023/"' in unit


def test_the_command_writes_cards_of_every_member_and_an_annex(tmp_path):
    out = io.StringIO()
    call_command("report", "card", "--members", "--format", "html", "--output", str(tmp_path), stdout=out)
    assert len(list(tmp_path.glob("karta-*-pl.html"))) == 15
    call_command("report", "annex", SKAWINA, "2023", "--output", str(tmp_path), stdout=out)
    assert (tmp_path / f"zalacznik-danych-{SKAWINA}-2023-pl.pdf").read_bytes().startswith(b"%PDF")
    with translation.override("en"), pytest.raises(CommandError, match="No current gmina"):
        call_command("report", "card", "9999999", "--lang", "en")
    with translation.override("en"), pytest.raises(CommandError, match="not a member"):
        call_command("report", "annex", GDOW, "2023", "--lang", "en")
    with translation.override("en"), pytest.raises(CommandError, match="no data for 1990"):
        call_command("report", "card", SKAWINA, "--year", "1990", "--lang", "en")


def test_a_cards_charts_are_drawn_without_vega_and_keep_their_alt_texts(monkeypatch):
    from obserwatorium.reports import render_pdf as renderer

    def no_vega(spec):
        raise AssertionError("a card's charts are drawn from their specs, not by vl-convert")

    monkeypatch.setattr(renderer.vl_convert, "vegalite_to_svg", no_vega)
    report = build_card(teryt=SKAWINA, language="pl", today=DATE)
    charts = [c for s in report.walk() for c in s.charts]
    assert {c.spec["usermeta"]["print"] for c in charts} == {"sparkline", "tile-grid"}
    pdf = pikepdf.open(io.BytesIO(render_pdf(report)))
    figures = [node for node in _structure(pdf.Root.StructTreeRoot) if node.get("/S") == "/Figure"]
    assert sorted(str(f.Alt) for f in figures) == sorted(c.alt for c in charts)


def _structure(node, depth=0):
    if depth > 80 or not isinstance(node, pikepdf.Dictionary):
        return
    yield node
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        yield from _structure(kid, depth + 1)


def test_a_batch_of_cards_is_typeset_in_a_pool_in_order(monkeypatch):
    from obserwatorium.reports import render_pdf as renderer

    monkeypatch.setattr(renderer, "POOL_MIN", 2)
    members = [m.teryt for m in comparison_units()[:3]]
    batch = prepare(teryts=members, compared=[Indicator.objects.get(code="population")])
    reports = [build_card(teryt=t, language="en", batch=batch, today=DATE) for t in members]
    titles = []
    for pdf in renderer.render_pdfs(reports, workers=2):
        with pikepdf.open(io.BytesIO(pdf)) as document:
            titles.append(str(document.docinfo.Title))
    assert titles == [r.title for r in reports] and len(set(titles)) == 3


def test_every_members_card_from_one_batch_costs_the_queries_of_one_card():
    members = [m.teryt for m in comparison_units()]
    compared = list(catalogue().filter(headline=True))

    def queries(teryts: list[str]) -> int:
        with CaptureQueriesContext(connection) as captured:
            batch = prepare(teryts=teryts, compared=compared)
            for teryt in teryts:
                build_card(teryt=teryt, language="pl", batch=batch)
        return len(captured.captured_queries)

    assert len(members) == 15 and queries(members) == queries(members[:1])


def test_the_html_card_draws_each_trend_in_its_row():
    from django.utils.html import escape

    from obserwatorium.reports.render_html import render_html

    report = build_card(teryt=SKAWINA, language="en", today=DATE)
    html = render_html(report)
    trends = list(report.walk()[0].charts)
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", html, flags=re.S)
    assert len(trends) >= 10 and len([r for r in rows if 'class="spark"' in r]) == len(trends)
    for chart in trends:  # hidden from screen readers, which read the trend's text alternative in the row
        row = next(r for r in rows if r.startswith(f'<tr><th scope="row">{escape(chart.title)}</th>'))
        assert re.search(r'<svg class="spark"[^>]*aria-hidden="true"', row)
        assert f'<span class="visually-hidden">{escape(chart.alt)}</span>' in row
    assert html.count('<figure class="chart-figure report-chart">') == 1  # the location map alone


def test_the_command_writes_the_card_of_every_gmina_with_data(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("report", "card", "--all", "--format", "html", "--output", str(tmp_path), stdout=out, stderr=err)
    assert len(list(tmp_path.glob("karta-*-pl.html"))) == 15  # the members; the neighbours hold no value
    assert f"{GDOW}: " in err.getvalue()
