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
    Forum,
    Meeting,
    Partner,
    Project,
    ResultValue,
    Source,
)
from obserwatorium.history.models import ChangeRecord
from obserwatorium.presets.files import preset_dir
from obserwatorium.strategy.models import Action, ActionPlan, Goal, Strategy
from obserwatorium.strategy.preset import load_registries

pytestmark = pytest.mark.django_db

SUMMARY = "smk-summary-2022"


def test_the_summary_is_the_source_of_every_fact():
    source = Source.objects.get(key=SUMMARY)
    assert source.published_on == datetime.date(2023, 1, 20)
    assert source.publisher == "Stowarzyszenie Metropolia Krakowska"
    for model in (Strategy, Forum, Partner, Agreement, Project, AggregateFigure):
        assert model.objects.exists() and not model.objects.exclude(source=source).exists(), model
    assert not ResultValue.objects.exclude(source=source).exists()


def test_strategy_2030_with_its_seven_domains_and_nothing_invented_below():
    strategy = Strategy.objects.get(code="smk-2030")
    assert strategy.name_pl == "Strategia Metropolia Krakowska 2030" and strategy.end_year == 2030
    assert strategy.domains.count() == 7 and strategy.start_year is None and strategy.adopted_on is None
    assert not Goal.objects.exists() and not ActionPlan.objects.exists() and not Action.objects.exists()


def test_forums_named_in_the_summary_without_invented_details():
    forums = {f.slug: f for f in Forum.objects.all()}
    assert set(forums) == {"komunikacja-i-promocja", "klimat", "edukacja", "uchodzcy-z-ukrainy"}
    assert forums["komunikacja-i-promocja"].name_pl == "Forum Komunikacji i Promocji"
    assert forums["uchodzcy-z-ukrainy"].kind == "task-force"
    assert all(f.coordinator == "" and f.active_from is None for f in forums.values())
    assert not Meeting.objects.exists()  # the meetings are known only as a total


def test_aggregates_are_stored_as_statements():
    figures = {f.subject: f for f in AggregateFigure.objects.all()}
    assert (figures["forums-active"].value, figures["forums-active"].qualifier) == (11, "exact")
    assert (figures["forum-meetings"].value, figures["forum-meetings"].qualifier) == (80, "more-than")
    assert (figures["new-partners"].value, figures["new-partners"].year) == (15, 2022)


def test_projects_agreements_and_the_stove_result():
    assert set(Project.objects.values_list("name", flat=True)) == {
        "COMANAGE", "INTERLACE", "RiConnect", "KMA4Business", "EKO TEAM", "Strategia ZIT"}
    assert Project.objects.get(slug="strategia-zit-2027").programme == "zit"
    assert not Project.objects.exclude(slug="strategia-zit-2027").exclude(programme="").exists()
    assert not Project.objects.filter(budget__isnull=False).exists()
    value = ResultValue.objects.get(result__project__slug="eko-team")
    assert (value.year, value.value, value.approximate, value.unit) == (2022, 2500, True, None)
    parties = {p.name for a in Agreement.objects.all() for p in a.parties.all()}
    assert parties == {"Kraków-Nowa Huta Przyszłości S.A.", "Małopolskie Centrum Doskonalenia Nauczycieli",
                       "Krakowskie Biuro Festiwalowe"}
    assert not Agreement.objects.filter(signed_on__isnull=False).exists()


def test_loading_again_changes_nothing():
    counts = (Forum.objects.count(), Agreement.objects.count(), ChangeRecord.objects.count())
    load_registries(path=preset_dir("krakow"))
    assert (Forum.objects.count(), Agreement.objects.count(), ChangeRecord.objects.count()) == counts


@pytest.mark.parametrize(("url", "facts"), [
    ("strategy:tree", ["Strategia Metropolia Krakowska 2030", "Inteligentne zarządzanie"]),
    ("cooperation:forums", ["11 forów tematycznych", "ponad 80 razy", "Forum Komunikacji i Promocji",
                            "Zespół zadaniowy ds. uchodźców z Ukrainy"]),
    ("cooperation:projects", ["COMANAGE", "INTERLACE", "RiConnect", "KMA4Business", "EKO TEAM", "Strategia ZIT",
                              "2\xa0500"]),
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
