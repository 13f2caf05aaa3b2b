"""Domains and the indicator catalogue through the API, against the Kraków preset."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_domains(client):
    domains = client.get("/api/domains").json()
    strategic = [d for d in domains if d["strategic"]]
    assert len(strategic) == 7
    assert all(d["name_pl"] and d["name_en"] for d in domains)
    assert sum(d["indicators"] for d in domains) == len(client.get("/api/indicators").json())


def test_indicator_filters_and_search(client):
    catalogue = client.get("/api/indicators").json()
    assert len(catalogue) >= 40
    headline = client.get("/api/indicators", {"headline": "true"}).json()
    assert headline and all(i["headline"] for i in headline)
    context = client.get("/api/indicators", {"domain": "context"}).json()
    assert context and {i["domain"] for i in context} == {"context"}
    # Case and Polish diacritics are ignored; every word must match.
    found = client.get("/api/indicators", {"q": "LUDNOSC ogolem"}).json()
    assert [i["code"] for i in found] == ["population"]
    assert client.get("/api/indicators", {"q": "Ludność"}).json() == client.get(
        "/api/indicators", {"q": "ludnosc"}).json()
    assert client.get("/api/indicators", {"domain": "nowhere"}).status_code == 422


def test_indicator_metadata_in_both_languages(client):
    population = client.get("/api/indicators/population").json()
    assert population["name_pl"].startswith("Ludność") and population["name_en"].startswith("Population")
    assert population["definition_pl"] and population["definition_en"]
    assert (population["polarity"], population["aggregation"], population["bdl_variable_id"]) == (
        "neutral", "sum", 72305)
    assert (population["unit_pl"], population["unit_en"], population["decimals"]) == ("osoby", "persons", 0)
    assert population["coverage"]["units"] == 15 and population["coverage"]["demo"] is True
    # The demo years: no stated figure is older (a 30-June 2004 one is not a 31-December figure).
    assert population["coverage"]["first_period"] == "2012"


def test_ratio_indicator_names_its_terms(client):
    ratios = [i for i in (client.get(f"/api/indicators/{s['code']}").json()
                          for s in client.get("/api/indicators").json()) if i["aggregation"] == "ratio_of_sums"]
    assert ratios
    codes = {i["code"] for i in client.get("/api/indicators").json()}
    assert all(r["numerator"] in codes and r["denominator"] in codes for r in ratios)


def test_unknown_indicator_is_404_and_malformed_is_422(client):
    missing = client.get("/api/indicators/no-such-thing")
    assert missing.status_code == 404 and "no-such-thing" in missing.json()["detail"]
    assert client.get("/api/indicators/a%20b").status_code == 422


def test_search_ignores_invisible_marks_as_imports_do(client):
    # A soft hyphen pasted with the word (as from a word processor) found nothing; imports already ignored it.
    found = client.get("/api/indicators", {"q": "Lud\u00adność ogółem"}).json()
    assert [i["code"] for i in found] == ["population"]


def test_the_coverage_is_counted_once_per_figures_version_and_again_after_a_write(client):
    """An indicator's coverage counts every stored value; it is kept with the pages' figures, so another read
    (a new address, the API's answer not stored) does not count again, and a write of a value counts it anew."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from obserwatorium.indicators.bulk import ObservationRow
    from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator
    from obserwatorium.indicators.services import write_observations
    from obserwatorium.territory.models import Unit

    def read(nonce: int) -> tuple[dict, list[str]]:
        cache.clear()  # the API's stored answers, not the figures
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/indicators/population", {"_": nonce}).json()
        return body["coverage"], [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]

    first, counted = read(1)
    assert len(counted) == 1
    again, counted = read(2)
    assert again == first and counted == []
    population = Indicator.objects.get(code="population")
    unit = Unit.objects.filter(level="gmina").order_by("pk").first()
    write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="test"),
                       rows=[ObservationRow(population.pk, unit.pk, "1990", 1000.0, Flag.FINAL)])
    after, counted = read(3)
    assert len(counted) == 1
    assert (after["observations"], after["first_period"]) == (first["observations"] + 1, "1990")


@pytest.mark.parametrize("query", [{}, {"headline": "true"}, {"headline": "false"}, {"domain": "context"},
                                   {"q": "ludnosc"}, {"q": "per capita", "domain": "smart-governance"}, {"q": "zzz"}])
def test_the_catalogue_is_the_models_json_of_the_catalogue_search(client, query):
    """/api/indicators is encoded from rows, without the response model (#15); its body stays, key for key and in
    order, the model's JSON of the indicators the catalogue search finds, and valid against the schema."""
    import json

    import jsonschema
    from pydantic import TypeAdapter

    from obserwatorium.indicators.schemas import IndicatorSummaryOut
    from obserwatorium.indicators.selectors import search_catalogue

    response = client.get("/api/indicators", query)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    body = response.json()
    headline = {"true": True, "false": False}.get(query.get("headline", ""))
    found = search_catalogue(search=query.get("q", ""), domain=query.get("domain"), headline=headline)
    adapter = TypeAdapter(list[IndicatorSummaryOut])
    expected = adapter.dump_python(adapter.validate_python(
        [{**{key: getattr(indicator, key) for key in IndicatorSummaryOut.model_fields if key != "domain"},
          "domain": indicator.domain.code} for indicator in found]))
    assert body == json.loads(json.dumps(expected)) and [list(row) for row in body] == [
        list(IndicatorSummaryOut.model_fields)] * len(body)
    openapi = client.get("/api/openapi.json").json()
    schema = openapi["paths"]["/api/indicators"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(body, {**schema, "components": openapi["components"]})
    if query == {}:
        assert len(body) >= 40
