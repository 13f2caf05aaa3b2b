"""The analytics API and pages accept exactly the codes the observatory API and the models accept (#13)."""

from __future__ import annotations

import pytest

from obserwatorium.indicators.models import Domain, Indicator
from obserwatorium.insights.models import PeerGroup
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db


def test_a_unit_code_with_letters_is_a_missing_gmina_not_a_malformed_code(client):
    # The metropolis "MK" is a unit the observatory API answers for; the analytics API refused its form (422).
    assert client.get("/api/units/MK").status_code == 200
    assert client.get("/api/analytics/comparison/MK").status_code == 404
    assert client.get("/api/analytics/rankings/population", {"units": "1261011,MK"}).status_code == 404


def test_an_indicator_code_with_an_underscore_is_answered(client):
    # A SlugField code may hold "_" and capitals: the observatory API took it, the analytics API did not.
    domain = Domain.objects.first()
    Indicator.objects.create(code="Waste_sorted", domain=domain, name_pl="Odpady", name_en="Waste")
    assert client.get("/api/indicators/Waste_sorted").status_code == 200
    assert client.get("/api/analytics/trends/Waste_sorted").status_code == 200


def test_a_peer_group_whose_code_has_an_underscore_can_be_chosen(client):
    group = PeerGroup.objects.create(code="east_side", name_pl="Wschód", name_en="East")
    group.units.set(Unit.objects.current().gminy().order_by("teryt")[:3])
    response = client.get("/api/analytics/aggregates/population", {"group": "group:east_side"})
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("year", ["2150", "2199"])
def test_a_year_beyond_the_observatory_is_refused_as_the_observations_api_refuses_it(client, year):
    assert client.get("/api/observations", {"indicator": "population", "period_from": year}).status_code == 422
    assert client.get("/api/analytics/rankings/population", {"period": year}).status_code == 422
    assert client.get("/analytics/rankings/", {"period": year}).status_code == 404
