"""Inputs schemathesis found answered with a 500: each is now a 422 (or a JSON 404) naming what is wrong."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from obserwatorium.access.models import Role, RoleAssignment
from obserwatorium.indicators.models import Domain
from obserwatorium.strategy.models import Strategy

pytestmark = pytest.mark.django_db
HUGE = str(2**70)


@pytest.fixture
def office(client):
    user = get_user_model().objects.create_user("bad-input-office", password=None, is_staff=True)
    RoleAssignment.objects.create(user=user, role=Role.OFFICE_ADMIN)
    client.force_login(user)
    return client


@pytest.mark.parametrize("query", [
    {"limit": HUGE}, {"offset": HUGE}, {"offset": "-1"}, {"limit": "0"},
])
def test_pagination_out_of_range_is_refused(client, query):
    response = client.get("/api/strategy/goals", query)
    assert response.status_code == 422 and response.json()["detail"]


@pytest.mark.parametrize("query", [
    {"period_from": "0000", "period_to": "2020"}, {"period_from": "2020", "period_to": "0000"},
    {"period_from": "10000"}, {"period_to": "1000"},
])
def test_periods_outside_the_years_are_refused(client, query):
    response = client.get("/api/observations", {"indicator": "population", **query})
    assert response.status_code == 422 and "1900" in json.dumps(response.json())


@pytest.mark.parametrize("query", [{"starts_after": "0001-01-01T00:00:00+14:00"},
                                   {"starts_before": "9999-12-31T23:59:59-12:00"}])
def test_extreme_datetimes_are_refused(client, query):
    response = client.get("/api/events/events", query)
    assert response.status_code == 422


def test_record_id_past_64_bits_is_refused(client):
    assert client.get(f"/api/strategy/goals/{HUGE}").status_code == 422
    assert client.get("/api/cooperation/new-partners", {"year": "10000"}).status_code == 422


def _strategy(**values) -> dict:
    return {"code": "bad-input", "name_pl": "Strategia testowa", **values}


@pytest.mark.parametrize(("values", "field"), [
    ({"domains": [987654321]}, "domains"),
    ({"source": 987654321}, "source"),
    ({"start_year": 0}, "start_year"),
    ({"end_year": 10000}, "end_year"),
    ({"adopted_on": "0001-01-01"}, "adopted_on"),
])
def test_strategy_write_with_bad_values_is_refused(office, values, field):
    before = Strategy.objects.count()
    response = office.post("/api/strategy/strategies", _strategy(**values), content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in json.dumps(response.json()) and Strategy.objects.count() == before


def test_goal_naming_a_missing_parent_is_refused(office):
    strategy = Strategy.objects.first() or Strategy.objects.create(code="goal-test", name_pl="Strategia")
    payload = {"strategy": strategy.pk, "domain": Domain.objects.first().pk, "level": "strategic",
               "parent": 987654321, "code": "G-X", "name_pl": "Cel"}
    response = office.post("/api/strategy/goals", payload, content_type="application/json")
    assert response.status_code == 422, response.content
    assert "parent" in json.dumps(response.json())


def test_unknown_api_address_is_answered_in_json(client):
    response = client.get("/api/units/12%2F34")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


def test_unknown_api_address_written_to_is_answered_in_json(client):
    """A write to an address no endpoint matches gets the JSON 404, not the HTML page of a CSRF refusal."""
    response = client.patch("/api/strategy/strategies/null,null", "{}", content_type="application/json")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
