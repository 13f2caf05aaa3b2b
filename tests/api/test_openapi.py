"""The OpenAPI document is served, valid, and lists every observatory endpoint with its parameters."""

from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate

OBSERVATORY_PATHS = {
    "/api/units": {"level", "membership", "parent"},
    "/api/units/{teryt}": {"teryt", "geometry"},
    "/api/domains": set(),
    "/api/indicators": {"domain", "headline", "q"},
    "/api/indicators/{code}": {"code"},
    "/api/observations": {"indicator", "unit", "period_from", "period_to", "flag", "page", "page_size"},
    "/api/observations.csv": {"indicator", "unit", "period_from", "period_to", "flag", "bom"},
    "/api/revisions": {"indicator", "unit", "period", "page", "page_size"},
}


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_schema_is_valid_openapi(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


@pytest.mark.parametrize(("path", "parameters"), OBSERVATORY_PATHS.items())
def test_every_endpoint_and_parameter_is_listed(schema, path, parameters):
    operation = schema["paths"][path]["get"]
    assert {p["name"] for p in operation.get("parameters", [])} == parameters
    assert operation["summary"] and operation["description"]
    assert all(p.get("description") for p in operation.get("parameters", []) if p["in"] == "query")


def test_csv_endpoint_documents_its_media_type(schema):
    responses = schema["paths"]["/api/observations.csv"]["get"]["responses"]
    assert "text/csv" in responses["200"]["content"] and "422" in responses


def test_interactive_documentation_is_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200 and b"/api/openapi.json" in response.content
