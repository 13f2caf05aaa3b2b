"""One catalogue search: the catalogue page and GET /api/indicators?q= find the same indicators."""

from __future__ import annotations

import pytest
from django.urls import reverse

from obserwatorium.indicators.models import Domain, Indicator

pytestmark = pytest.mark.django_db

QUERIES = ["lodz", "ŁÓDŹ", "Łódź", "zrodla", "źródła energii", "energii zrodla", "ludnosc ogolem", "ogolem ludnosc",
           "bike", "Population", "zzzz", "  ", "rail-lodz"]


@pytest.fixture
def polish_names():
    domain = Domain.objects.order_by("order").first()
    Indicator.objects.create(code="rail-lodz", domain=domain, order=900, name_pl="Czas przejazdu koleją Kraków – Łódź",
                             name_en="Rail travel time Kraków – Łódź")
    Indicator.objects.create(code="renewables", domain=domain, order=901, name_pl="Odnawialne źródła energii",
                             name_en="Renewable energy sources")


def _page(client, query: str) -> list[str]:
    groups = client.get(reverse("web:indicators"), {"q": query}).context["groups"]
    return [indicator.code for _, items in groups for indicator in items]


def _api(client, query: str) -> list[str]:
    response = client.get("/api/indicators", {"q": query})
    assert response.status_code == 200
    return [row["code"] for row in response.json()]


@pytest.mark.parametrize("query", QUERIES)
def test_page_and_api_find_the_same_indicators(client, polish_names, query):
    assert _page(client, query) == _api(client, query)


def test_diacritics_and_word_order_are_ignored(client, polish_names):
    assert _api(client, "lodz") == _api(client, "ŁÓDŹ") == ["rail-lodz"]
    assert _api(client, "zrodla") == ["renewables"]
    assert _api(client, "energii zrodla") == ["renewables"]
    assert _api(client, "ogolem ludnosc") == ["population"]
