"""Territorial units through the API, against the Kraków preset."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db

PRESET = Path(__file__).resolve().parents[2] / "src" / "obserwatorium" / "presets" / "krakow"


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


def test_units_are_what_the_schema_declares_and_equal_the_models_json(client):
    """/api/units is encoded without the response model; it stays the model's own JSON, key for key."""
    import datetime
    import json

    import jsonschema
    from django.core.serializers.json import DjangoJSONEncoder
    from pydantic import TypeAdapter

    from obserwatorium.territory.schemas import UnitOut

    Unit.objects.create(teryt="1299999", name="Gmina dawna", slug="gmina-dawna", level="gmina", gmina_type="rural",
                        membership="none", valid_from=datetime.date(1999, 1, 1), valid_to=datetime.date(2010, 12, 31),
                        area_km2=12.345, area_source="GUS", member_since=datetime.date(2014, 5, 1))
    body = client.get("/api/units").json()
    openapi = client.get("/api/openapi.json").json()
    schema = openapi["paths"]["/api/units"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(body, {**schema, "components": openapi["components"]})
    adapter = TypeAdapter(list[UnitOut])
    assert body == json.loads(json.dumps(adapter.dump_python(adapter.validate_python(body)), cls=DjangoJSONEncoder))
    assert all(list(row) == list(UnitOut.model_fields) for row in body)
    old = next(row for row in body if row["teryt"] == "1299999")
    assert (old["valid_from"], old["valid_to"], old["area_km2"], old["member_since"], old["bdl_unit_id"]) == (
        "1999-01-01", "2010-12-31", 12.345, "2014-05-01", None)
