"""Forums and meetings with yearly counts, partners and the 'new partners in year Y' query, projects with
filters and results that feed indicators, and the iCalendar feeds."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from icalendar import Calendar

from obserwatorium.cooperation import selectors
from obserwatorium.cooperation.models import (
    AgendaItem,
    Agreement,
    Meeting,
    Partner,
    Project,
    ProjectResult,
    ResultValue,
    Source,
)
from obserwatorium.cooperation.services import feed_result_to_indicator
from obserwatorium.indicators.models import BatchKind, Domain, Flag, Indicator, Observation
from tests.registry_fixtures import when

pytestmark = pytest.mark.django_db


def test_meetings_are_counted_per_year_per_forum_and_per_domain(world, client):
    Meeting.objects.create(forum=world.forum_a, starts_at=when(1, year=2023))
    Meeting.objects.create(forum=world.forum_a, starts_at=when(2, year=2024))
    Meeting.objects.create(forum=world.forum_a, starts_at=when(3, year=2024), published=False)
    by_forum = {(c.key, c.year): c.count for c in selectors.meeting_counts(by="forum")}
    assert by_forum == {("forum-a", 2023): 1, ("forum-a", 2024): 2, ("forum-b", 2024): 1}
    by_domain = {(c.key, c.year): c.count for c in selectors.meeting_counts(by="domain")}
    assert by_domain == {("environment-space", 2023): 1, ("environment-space", 2024): 2, ("mobility", 2024): 1}
    api = client.get("/api/cooperation/meeting-counts?by=domain").json()
    assert {(r["key"], r["year"]): r["count"] for r in api} == by_domain


def test_new_partners_in_a_year_is_a_query(world, client):
    source = Source.objects.get(key="smk-summary-2022")
    early = Partner.objects.create(name="Gmina Kłaj", kind="gmina", partner_since=datetime.date(2022, 3, 1))
    by_agreement = Partner.objects.create(name="Uczelnia", kind="university")
    later = Partner.objects.create(name="Firma", kind="company", partner_since=datetime.date(2023, 1, 1))
    agreement = Agreement.objects.create(kind="porozumienie", signed_on=datetime.date(2022, 9, 1), source=source)
    # The partnership starts at the earlier of its own start and its first agreement.
    agreement.parties.set([by_agreement, later])
    assert {p.name for p in selectors.new_partners(year=2022)} == {"Gmina Kłaj", "Uczelnia", "Firma"}
    assert dict(selectors.new_partner_counts())[2022] == 3
    later.partner_since = datetime.date(2021, 5, 5)
    later.save()
    assert {p.name for p in selectors.new_partners(year=2021)} == {"Firma"}
    assert early.pk and selectors.new_partners(year=2030).count() == 0
    response = client.get("/api/cooperation/new-partners?year=2022").json()
    assert response["count"] == 2 and {p["name"] for p in response["partners"]} == {"Gmina Kłaj", "Uczelnia"}


def test_project_filters(world, client):
    Project.objects.filter(slug="interlace").update(programme="horizon", status="completed",
                                                    domain=Domain.objects.get(code="environment-space"))
    Project.objects.get(slug="riconnect").units.add(world.skawina)
    assert [p.slug for p in selectors.public_projects(selectors.ProjectFilters(programme="horizon"))] == ["interlace"]
    assert [p.slug for p in selectors.public_projects(selectors.ProjectFilters(unit="1206113"))] == ["riconnect"]
    html = client.get(reverse("cooperation:projects") + "?status=completed&domain=environment-space").content.decode()
    assert "INTERLACE" in html and "COMANAGE" not in html
    api = client.get("/api/cooperation/projects?gmina=1206113").json()
    assert [p["slug"] for p in api["items"]] == ["riconnect"]


def test_a_result_feeds_its_indicator_with_a_sourced_upload_batch(world):
    indicator = Indicator.objects.create(code="coal-stoves-replaced", domain=world.domain_a,
                                         name_pl="Wymienione piece węglowe", name_en="Coal stoves replaced")
    result = ProjectResult.objects.create(project=world.project, name_pl="Wymienione piece", indicator=indicator)
    source = Source.objects.get(key="smk-summary-2022")
    ResultValue.objects.create(result=result, year=2022, unit=world.skawina, value=120, source=source)
    ResultValue.objects.create(result=result, year=2022, unit=world.wieliczka, value=80, approximate=True)
    ResultValue.objects.create(result=result, year=2022, unit=None, value=200)
    with pytest.raises(PermissionDenied):
        feed_result_to_indicator(result=result, user=world.users["editor"])
    outcome = feed_result_to_indicator(result=result, user=world.users["office"])
    assert outcome.counts.inserted == 2
    batch = outcome.batch
    assert batch.kind == BatchKind.PROJECT and "COMANAGE" in batch.source and source.title in batch.source
    values = {o.unit_id: (o.value, o.flag) for o in Observation.objects.filter(indicator=indicator)}
    assert values == {world.skawina.pk: (120, Flag.FINAL), world.wieliczka.pk: (80, Flag.ESTIMATED)}


def test_ical_feeds_per_forum_and_for_all_meetings(world, client):
    Meeting.objects.filter(pk=world.meeting_b.pk).update(ends_at=when(5, 12))
    AgendaItem.objects.create(meeting=world.meeting_b, position=1, title="Plan na 2024")
    everything = Calendar.from_ical(client.get(reverse("cooperation:meetings-ical")).content)
    events = everything.walk("VEVENT")
    assert {str(e["summary"]) for e in events} == {"Forum A", "Forum B"}
    one = client.get(reverse("cooperation:forum-ical", args=["forum-b"]))
    assert one["Content-Type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(one.content).walk("VEVENT")
    assert event["dtstart"].dt == when(5) and str(event["description"]) == "1. Plan na 2024"
    assert str(event["uid"]) == f"meeting-{world.meeting_b.pk}@obserwatorium"


def test_forum_page_lists_its_meetings_and_a_secretary_may_add_one(world, client):
    page = client.get(reverse("cooperation:forum", args=["forum-b"])).content.decode()
    assert "Sala B" in page and reverse("cooperation:meeting-add", args=["forum-b"]) not in page
    client.force_login(world.users["secretary"])
    page = client.get(reverse("cooperation:forum", args=["forum-b"])).content.decode()
    assert reverse("cooperation:meeting-add", args=["forum-b"]) in page
    response = client.post(reverse("cooperation:meeting-add", args=["forum-b"]),
                           {"starts_at": "2024-09-01T10:00", "place": "Online", "online": "on", "published": "on"})
    meeting = Meeting.objects.get(place="Online")
    assert response.status_code == 302 and meeting.forum == world.forum_b
    invalid = client.post(reverse("cooperation:meeting-add", args=["forum-b"]), {"place": "bez daty"})
    assert invalid.status_code == 400


def test_api_lists_and_writes_registries(world, client):
    listing = client.get("/api/cooperation/forums?domain=mobility").json()
    assert [f["slug"] for f in listing["items"]] == ["forum-b"]
    client.force_login(world.users["office"])
    created = client.post("/api/cooperation/partners", {"name": "Nowy partner", "kind": "ngo",
                                                         "partner_since": "2024-01-02"},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["kind"] == "ngo"
    invalid = client.post("/api/cooperation/projects", {"slug": "x", "name": "X", "budget": 10, "eu_cofinancing": 20},
                          content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert invalid.status_code == 422 and "co-financing cannot exceed" in invalid.content.decode()
    schema = client.get("/api/openapi.json").json()["paths"]
    for path in ("/api/strategy/actions", "/api/strategy/tree", "/api/cooperation/forums", "/api/cooperation/meetings",
                 "/api/cooperation/partners", "/api/cooperation/agreements", "/api/cooperation/projects",
                 "/api/cooperation/aggregates", "/api/events/events"):
        assert path in schema, path


def test_project_page_labels_start_with_a_capital_in_polish(world, client):
    # The labels reuse the fields' names, which Django keeps in lower case ("dofinansowanie UE").
    html = client.get(reverse("cooperation:project", args=["comanage"]), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    labels = [label.strip() for label in re.findall(r"<dt>(.*?)</dt>", html)]
    assert "Dofinansowanie UE" in labels
    assert all(label[:1].isupper() for label in labels), labels
