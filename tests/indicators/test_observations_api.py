"""Observations through the API: stated facts with their sources, filters, paging, demo notice."""

from __future__ import annotations

from datetime import date

import pytest

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation
from obserwatorium.indicators.services import write_observations
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db


def _all_items(client, params: dict) -> list[dict]:
    return client.get("/api/observations", {**params, "page_size": 10_000}).json()["items"]


def test_stated_population_facts_come_back_with_their_sources(client, population_facts):
    body = client.get("/api/observations", {"indicator": "population", "flag": "final", "page_size": 10_000}).json()
    sources = {source["batch"]: source for source in body["sources"]}
    served = {(item["teryt"], item["period"]): (item["value"], sources[item["batch"]]) for item in body["items"]}
    assert len(served) == len(population_facts) == body["count"]
    for fact in population_facts:
        value, source = served[(fact["teryt"], fact["year"])]
        assert value == float(fact["population"])
        assert source["source"] == fact["source"][:500] and source["kind"] == "preset"
    assert body["demo"] is False and body["notice"] is None


def test_items_carry_unit_names_and_a_stable_order(client):
    items = _all_items(client, {"indicator": "population", "unit": "1261011"})
    assert {item["unit"] for item in items} == {"Kraków"}
    assert [item["period"] for item in items] == sorted(item["period"] for item in items)
    everything = _all_items(client, {"indicator": "population,area"})
    keys = [(item["indicator"], item["teryt"], item["period"]) for item in everything]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_demo_values_are_announced_in_the_requested_language(client):
    body = client.get("/api/observations", {"indicator": "population", "unit": "1261011"}).json()
    assert body["demo"] is True and body["notice"] == "Dane demonstracyjne, a nie oficjalne statystyki."
    english = client.get("/api/observations", {"indicator": "population"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["notice"] == "Demonstration data, not official statistics."
    assert any(item["flag"] == "demo" for item in body["items"])
    demo_batches = [s for s in body["sources"] if s["kind"] == "demo"]
    assert demo_batches and "demonstration" in demo_batches[0]["source"]


def test_paging_links_walk_every_item_once(client):
    everything = _all_items(client, {"indicator": "population"})
    seen: list[dict] = []
    url, params = "/api/observations", {"indicator": "population", "page_size": 40}
    pages = 0
    while url:
        body = client.get(url, params).json()
        assert body["count"] == len(everything) and body["page_size"] == 40
        seen += body["items"]
        pages += 1
        url, params = body["next"], None
        if url:
            assert url.startswith("http://testserver/api/observations?") and f"page={pages + 1}" in url
    assert seen == everything and pages == body["pages"] == -(-len(everything) // 40)
    back = client.get(body["previous"]).json()
    assert back["page"] == pages - 1 and back["items"] == everything[(pages - 2) * 40:(pages - 1) * 40]


def test_page_past_the_end_is_empty_and_points_back(client):
    body = client.get("/api/observations", {"indicator": "population", "page": 999, "page_size": 100}).json()
    assert body["items"] == [] and body["next"] is None and body["count"] > 100
    assert body["pages"] == -(-body["count"] // 100) and f"page={body['pages']}" in body["previous"]


def test_filters_by_several_indicators_units_and_flags(client):
    items = _all_items(client, {"indicator": ["population", "area"], "unit": "1261011,1219053", "flag": "demo"})
    assert {item["indicator"] for item in items} == {"population", "area"}
    assert {item["teryt"] for item in items} == {"1261011", "1219053"}
    assert {item["flag"] for item in items} == {"demo"}
    expected = Observation.objects.filter(indicator__code__in=["population", "area"], flag=Flag.DEMO,
                                          unit__teryt__in=["1261011", "1219053"]).count()
    assert len(items) == expected


def test_period_range_is_inclusive_and_a_year_covers_its_quarters_and_months(client, write):
    write([("population", "1206052", period, value, "final")
           for period, value in (("2019-12", 1.0), ("2020-Q4", 2.0), ("2020-12", 3.0), ("2021-01", 4.0))])
    periods = [item["period"] for item in _all_items(client, {"indicator": "population", "unit": "1206052",
                                                               "period_from": "2019", "period_to": "2020"})]
    assert periods == ["2019", "2019-12", "2020", "2020-12", "2020-Q4"]
    # A quarter covers its months: December 2020 lies within 2020-Q4, the annual 2020 does not.
    single = _all_items(client, {"indicator": "population", "unit": "1206052", "period_from": "2020-Q4",
                                 "period_to": "2020-Q4"})
    assert [(item["period"], item["value"]) for item in single] == [("2020-12", 3.0), ("2020-Q4", 2.0)]


@pytest.mark.parametrize(("params", "named"), [
    ({"indicator": "population,no-such-indicator,other-missing"}, "no-such-indicator, other-missing"),
    ({"unit": "1261011,1299999"}, "1299999"),
    ({"unit": "krakow"}, "'krakow'"),
    ({"unit": "١٢٦١٠١١"}, "not a valid TERYT code"),
    ({"unit": ",".join(f"12{n:05d}" for n in range(501))}, "at most 500"),
    ({"period_from": "2020-13"}, "'2020-13'"),
    ({"period_to": "20"}, "'20'"),
    ({"period_from": "2021", "period_to": "2020"}, "after period_to"),
    ({"flag": "official"}, "final"),
    ({"page_size": 10_001}, "10000"),
    ({"page": 0}, "greater than or equal to 1"),
    ({"indicator": ",".join(f"i{n}" for n in range(101))}, "at most 100"),
])
def test_bad_parameters_are_named_in_a_422(client, params, named):
    response = client.get("/api/observations", params)
    assert response.status_code == 422
    assert named in str(response.json()["detail"])


def test_every_version_of_a_unit_is_found_by_its_code_in_a_total_order(client, write):
    current = Unit.objects.get(teryt="1206052", valid_to__isnull=True)
    Unit.objects.filter(pk=current.pk).update(valid_from=date(2013, 7, 11))
    older = Unit.objects.create(teryt="1206052", name="Kocmyrzów-Luborzyca (before 2013)", slug="kocmyrzow-old",
                                level=current.level, gmina_type=current.gmina_type, parent=current.parent,
                                valid_from=date(1999, 1, 1), valid_to=date(2013, 7, 11))
    population = Indicator.objects.get(code="population")
    write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="older boundaries"),
                       rows=[ObservationRow(population.pk, current.pk, "2006", 13251.0, Flag.FINAL),
                             ObservationRow(population.pk, older.pk, "2006", 13000.0, Flag.FINAL)])

    items = _all_items(client, {"indicator": "population", "unit": "1206052", "period_to": "2006"})
    assert [(i["unit"], i["value"]) for i in items] == [("Kocmyrzów-Luborzyca", 13251.0),
                                                        ("Kocmyrzów-Luborzyca (before 2013)", 13000.0)]
    paged = [client.get("/api/observations", {"indicator": "population", "unit": "1206052", "period_to": "2006",
                                              "page_size": 1, "page": page}).json()["items"][0] for page in (1, 2)]
    assert paged == items
    versions = client.get("/api/units", {"parent": "1206"}).json()
    assert [(u["valid_from"], u["valid_to"]) for u in versions if u["teryt"] == "1206052"] == [
        ("2013-07-11", None), ("1999-01-01", "2013-07-11")]
    assert client.get("/api/units/1206052").json()["name"] == "Kocmyrzów-Luborzyca"
