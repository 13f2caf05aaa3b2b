"""The Kraków preset carries what the association's summary of 2022 states, each fact with that source, and
nothing it does not state."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from obserwatorium.cooperation.models import (
    AggregateFigure,
    Agreement,
    AssociationEvent,
    Document,
    Forum,
    Meeting,
    Partner,
    Project,
    ResultValue,
    Source,
)
from obserwatorium.history.models import ChangeRecord
from obserwatorium.history.tracking import recording
from obserwatorium.presets.files import preset_dir
from obserwatorium.presets.pipeline import load_preset
from obserwatorium.strategy.models import Action, ActionPlan, Goal, Strategy

pytestmark = pytest.mark.django_db

SUMMARY = "smk-summary-2022"


def test_the_summary_is_the_source_of_every_fact():
    source = Source.objects.get(key=SUMMARY)
    assert source.published_on == datetime.date(2023, 1, 20)
    assert source.publisher == "Stowarzyszenie Metropolia Krakowska"
    for model in (Strategy, ActionPlan, Forum, Partner, Agreement, Project, AggregateFigure, Document,
                  AssociationEvent):
        assert model.objects.exists() and not model.objects.exclude(source=source).exists(), model
    assert not ResultValue.objects.exclude(source=source).exists()


def test_strategy_2030_with_its_seven_domains_and_nothing_invented_below():
    strategy = Strategy.objects.get(code="smk-2030")
    assert strategy.name_pl == "Strategia Metropolia Krakowska 2030" and strategy.end_year == 2030
    assert strategy.domains.count() == 7 and strategy.start_year is None and strategy.adopted_on is None
    assert not Goal.objects.exists() and not Action.objects.exists()


def test_the_two_action_plans_are_adopted_and_dated_only_as_far_as_the_summary_says():
    plans = {p.domain.code: p for p in ActionPlan.objects.select_related("domain", "strategy")}
    assert set(plans) == {"environment-space", "economy"}
    spatial, economy = plans["environment-space"], plans["economy"]
    assert all(p.status == "adopted" and p.strategy.code == "smk-2030" for p in plans.values())
    # "Adopted in December 2022": the month, not a day the summary does not give.
    assert (spatial.adopted_on, spatial.adopted_precision) == (datetime.date(2022, 12, 1), "month")
    assert economy.adopted_on is None
    assert all(p.start_year is None and p.end_year is None and p.weight is None for p in plans.values())
    assert {d.slug for d in spatial.documents.all()} == {"plan-dzialan-zagospodarowanie-przestrzenne"}


def test_forums_named_in_the_summary_without_invented_details():
    forums = {f.slug: f for f in Forum.objects.select_related("domain")}
    assert set(forums) == {"komunikacja-i-promocja", "klimat", "edukacja", "uchodzcy-z-ukrainy"}
    assert forums["komunikacja-i-promocja"].name_pl == "Forum Komunikacji i Promocji"
    assert (forums["klimat"].name_pl, forums["edukacja"].name_pl) == ("Forum Klimatu", "Forum Edukacji")
    assert forums["klimat"].domain.code == "environment-space"
    assert forums["uchodzcy-z-ukrainy"].kind == "task-force"
    assert forums["uchodzcy-z-ukrainy"].domain.code == "social-services"
    assert all(f.coordinator == "" and f.active_from is None for f in forums.values())
    assert not Meeting.objects.exists()  # the meetings are known only as a total


def test_aggregates_are_stored_as_statements():
    figures = {f.subject: f for f in AggregateFigure.objects.all()}
    assert (figures["forums-active"].value, figures["forums-active"].qualifier) == (11, "exact")
    assert (figures["forum-meetings"].value, figures["forum-meetings"].qualifier) == (80, "more-than")
    assert (figures["new-partners"].value, figures["new-partners"].year) == (15, 2022)


def test_projects_agreements_and_the_stove_result():
    # The ZIT strategy to 2027 is a document, not a project.
    assert set(Project.objects.values_list("name", flat=True)) == {
        "COMANAGE", "INTERLACE", "RiConnect", "KMA4Business", "EKO TEAM"}
    assert not Project.objects.exclude(programme="").exists()
    assert not Project.objects.filter(budget__isnull=False).exists()
    value = ResultValue.objects.get(result__project__slug="eko-team")
    assert (value.year, value.value, value.approximate, value.unit) == (2022, 2500, True, None)
    assert value.result.name_pl == "Wymienione kopciuchy"  # the summary's word
    parties = {p.name for a in Agreement.objects.all() for p in a.parties.all()}
    assert parties == {"Kraków-Nowa Huta Przyszłości S.A.", "Małopolskie Centrum Doskonalenia Nauczycieli"}
    assert not Agreement.objects.filter(signed_on__isnull=False).exists()


def test_krakowskie_biuro_festiwalowe_cooperates_without_an_agreement():
    kbf = Partner.objects.get(name="Krakowskie Biuro Festiwalowe")
    assert not kbf.agreements.exists()
    training = AssociationEvent.objects.get(slug="szkolenia-krakowskiego-biura-festiwalowego")
    assert list(training.partners.all()) == [kbf] and training.kind == "training" and training.year == 2022
    report = Document.objects.get(slug="raport-zasoby-rekreacyjne-i-kulturalne")
    assert (report.kind, report.domain.code) == ("report", "leisure-culture")


def test_riconnect_completed_and_comanage_started_in_2022_as_years():
    riconnect, comanage = Project.objects.get(slug="riconnect"), Project.objects.get(slug="comanage")
    assert riconnect.status == "completed" and riconnect.start_date is None
    assert (riconnect.end_date, riconnect.end_precision) == (datetime.date(2022, 1, 1), "year")
    assert (comanage.start_date, comanage.start_precision) == (datetime.date(2022, 1, 1), "year")
    assert comanage.end_date is None and comanage.status == ""  # the summary says it started, nothing more


DOCUMENTS = {
    # slug: (kind, domain, status)
    "strategia-zit-2027": ("strategy", "smart-governance", ""),
    "strategia-komunikacji-mk": ("strategy", "smart-governance", ""),
    "koncepcja-obserwatorium-rozwoju": ("report", "smart-governance", ""),
    "magazyn-metropolitalny-wydanie-specjalne-2022": ("publication", "smart-governance", ""),
    "deklaracja-poparcia-wspolpracy-metropolitalnej": ("declaration", "smart-governance", ""),
    "plan-dzialan-zagospodarowanie-przestrzenne": ("action-plan", "environment-space", "adopted"),
    "stanowisko-uchwala-antysmogowa": ("position", "environment-space", ""),
    "przyjaciel-misji-klimatycznych-ue": ("recognition", "environment-space", ""),
    "badania-ankietowe-transport-aglomeracyjny": ("survey", "mobility", ""),
    "plan-dzialan-gospodarka": ("action-plan", "economy", "adopted"),
    "raport-zasoby-rekreacyjne-i-kulturalne": ("report", "leisure-culture", ""),
}


def test_documents_stated_in_the_summary_each_with_its_kind_domain_and_source():
    documents = {d.slug: d for d in Document.objects.select_related("domain", "source")}
    assert {slug: (d.kind, d.domain.code, d.status) for slug, d in documents.items()} == DOCUMENTS
    assert all(d.source.key == SUMMARY and d.year == 2022 for d in documents.values())
    zit = documents["strategia-zit-2027"]
    assert (zit.title_pl, zit.end_year) == ("Strategia ZIT do 2027 r.", 2027)
    assert documents["stanowisko-uchwala-antysmogowa"].title_pl.startswith(
        "Wspólne stanowisko gmin Metropolii Krakowskiej sprzeciwiające się zmianom w uchwale antysmogowej")
    assert list(documents["strategia-komunikacji-mk"].forums.values_list("slug", flat=True)) == [
        "komunikacja-i-promocja"]
    # Nothing the summary does not give: no dates but the plan's month, no signatories, no files.
    dated = {slug for slug, d in documents.items() if d.adopted_on is not None}
    assert dated == {"plan-dzialan-zagospodarowanie-przestrzenne"}
    assert not any(d.units.exists() or d.versions.exists() or d.url or d.summary_pl for d in documents.values())


def test_iii_forum_metropolii_krakowskiej_is_an_event_of_2022_without_a_date():
    event = AssociationEvent.objects.get(slug="iii-forum-metropolii-krakowskiej")
    assert (event.name_pl, event.kind, event.year, event.held_on, event.place) == (
        "III Forum Metropolii Krakowskiej", "conference", 2022, None, "")
    assert event.source.key == SUMMARY


def test_a_fact_withdrawn_from_the_preset_is_archived_unless_the_office_has_edited_it():
    source = Source.objects.get(key=SUMMARY)
    with recording(via="preset"):
        withdrawn = Project.objects.create(slug="strategia-zit-old", name="Strategia ZIT", source=source)
        kept_by_office = Project.objects.create(slug="edited-by-office", name="Edited", source=source)
    with recording(via="admin"):
        kept_by_office.description_pl = "poprawione"
        kept_by_office.save()
    load_preset(path=preset_dir("krakow"), only=("cooperation", "strategy"))
    withdrawn.refresh_from_db()
    kept_by_office.refresh_from_db()
    assert withdrawn.archived_at is not None and kept_by_office.archived_at is None
    assert not Project.objects.public().filter(slug="strategia-zit-old").exists()


def test_loading_again_changes_nothing():
    counts = (Forum.objects.count(), Agreement.objects.count(), ChangeRecord.objects.count())
    load_preset(path=preset_dir("krakow"), only=("cooperation", "strategy"))
    assert (Forum.objects.count(), Agreement.objects.count(), ChangeRecord.objects.count()) == counts


@pytest.mark.parametrize(("url", "facts"), [
    ("strategy:tree", ["Strategia Metropolia Krakowska 2030", "Inteligentne zarządzanie"]),
    ("cooperation:forums", ["11 forów tematycznych", "ponad 80 razy", "Forum Komunikacji i Promocji",
                            "Zespół zadaniowy ds. uchodźców z Ukrainy"]),
    ("cooperation:forums", ["Forum Klimatu", "Forum Edukacji", "III Forum Metropolii Krakowskiej",
                            "Szkolenia Krakowskiego Biura Festiwalowego"]),
    ("cooperation:projects", ["COMANAGE", "INTERLACE", "RiConnect", "KMA4Business", "EKO TEAM", "2\xa0500",
                              "Wymienione kopciuchy"]),
    ("cooperation:documents", ["Strategia ZIT do 2027 r.", "Deklaracja poparcia idei współpracy metropolitalnej",
                               "Badania ankietowe dotyczące transportu aglomeracyjnego",
                               "Status przyjaciela Misji Klimatycznych UE",
                               "Raport o zasobach rekreacyjnych i kulturalnych"]),
    ("cooperation:partners", ["15 nowych partnerów", "Kraków-Nowa Huta Przyszłości S.A.",
                              "Małopolskie Centrum Doskonalenia Nauczycieli", "Krakowskie Biuro Festiwalowe"]),
])
def test_every_fact_is_on_the_pages_with_its_source(client, url, facts):
    with translation.override("pl"):
        html = client.get(reverse(url), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    for fact in facts:
        assert fact in html, fact
    assert "Moc efektów: podsumowanie działań w 2022 r." in html
    assert "20 stycznia 2023" in html


def test_aggregates_are_not_counted_as_itemised_meetings(client):
    html = client.get(reverse("cooperation:forums"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the items behind it are not recorded here" in html
    assert "0 recorded meetings" in html


def test_dates_known_to_the_month_or_year_are_shown_as_such(client):
    html = client.get(reverse("cooperation:document", args=["plan-dzialan-zagospodarowanie-przestrzenne"]),
                      HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "grudzień 2022" in html and "1 grudnia 2022" not in html
    assert "December 2022" in client.get(
        reverse("cooperation:document", args=["plan-dzialan-zagospodarowanie-przestrzenne"]),
        HTTP_ACCEPT_LANGUAGE="en").content.decode()
    project = client.get(reverse("cooperation:project", args=["riconnect"]), HTTP_ACCEPT_LANGUAGE="pl")
    assert "… – 2022" in project.content.decode()
    tree = client.get(reverse("strategy:tree"), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Plan działań w dziedzinie gospodarki" in tree and "grudzień 2022" in tree


def test_the_documents_are_in_the_api_with_their_source(client):
    items = client.get("/api/cooperation/documents", {"limit": 100}).json()["items"]
    source = Source.objects.get(key=SUMMARY).pk
    assert {i["slug"] for i in items} == set(DOCUMENTS) and all(i["source"] == source for i in items)
    strategies = client.get("/api/cooperation/documents", {"kind": "strategy"}).json()["items"]
    assert {i["slug"] for i in strategies} == {"strategia-zit-2027", "strategia-komunikacji-mk"}
    events = client.get("/api/cooperation/association-events").json()["items"]
    assert {e["slug"] for e in events} == {"iii-forum-metropolii-krakowskiej",
                                           "szkolenia-krakowskiego-biura-festiwalowego"}
