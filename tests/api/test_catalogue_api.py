"""Units, domains and the indicator catalogue through the API, against the Kraków preset."""

from __future__ import annotations

import csv

import pytest

from obserwatorium.territory.models import Unit
from tests.api.conftest import PRESET

pytestmark = pytest.mark.django_db


def _preset_units() -> list[dict[str, str]]:
    with (PRESET / "units.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_units_match_the_preset_file(client):
    response = client.get("/api/units")
    assert response.status_code == 200
    by_teryt = {unit["teryt"]: unit for unit in response.json()}
    for row in _preset_units():
        unit = by_teryt[row["teryt"]]
        assert (unit["name"], unit["slug"], unit["level"], unit["membership"]) == (
            row["name"], row["slug"], row["level"], row["membership"])
        assert unit["gmina_type"] == (row["gmina_type"] or None)
        assert unit["parent"] == (row["parent"] or None)
        assert unit["bdl_unit_id"] == (row["bdl_unit_id"] or None)
        assert unit["member_since"] == (row["member_since"] or None)
        assert unit["area_km2"] == (float(row["area_km2"]) if row["area_km2"] else None)
        assert unit["area_source"] == (row["area_source"] or None)
        assert unit["valid_to"] is None and unit["has_boundary"] is False


def test_units_filtered_by_level_membership_and_parent(client):
    members = client.get("/api/units", {"level": "gmina", "membership": "member"}).json()
    assert len(members) == 15
    assert "1261011" in {unit["teryt"] for unit in members}
    wielicki = client.get("/api/units", {"parent": "1219"}).json()
    expected = {row["teryt"] for row in _preset_units() if row["parent"] == "1219"}
    assert {unit["teryt"] for unit in wielicki} == expected and "1219053" in expected


def test_unknown_parent_is_named(client):
    response = client.get("/api/units", {"parent": "1299"})
    assert response.status_code == 422
    assert "1299" in response.json()["detail"][0]["msg"]


def test_one_unit_with_and_without_geometry(client):
    boundary = {"type": "Polygon", "coordinates": [[[19.8, 50.0], [19.9, 50.1], [20.0, 50.0], [19.8, 50.0]]]}
    Unit.objects.filter(teryt="1219053", valid_to__isnull=True).update(boundary=boundary)
    plain = client.get("/api/units/1219053").json()
    assert plain["name"] == "Wieliczka" and plain["has_boundary"] is True and plain["boundary"] is None
    assert client.get("/api/units/1219053", {"geometry": "true"}).json()["boundary"] == boundary
    assert client.get("/api/units/1261011", {"geometry": "true"}).json()["boundary"] is None


def test_unit_errors(client):
    missing = client.get("/api/units/1299011")
    assert missing.status_code == 404 and "1299011" in missing.json()["detail"]
    assert client.get("/api/units/12-34").status_code == 422


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
