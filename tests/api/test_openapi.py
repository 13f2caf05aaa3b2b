"""The OpenAPI document is served, valid, and lists every observatory endpoint with its parameters."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any, get_args

import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel

from obserwatorium.api.router import api

OBSERVATORY_PATHS = {
    "/api/units": {"level", "membership", "parent"},
    "/api/units/{teryt}": {"teryt", "geometry"},
    "/api/domains": set(),
    "/api/indicators": {"domain", "headline", "q"},
    "/api/indicators/{code}": {"code"},
    "/api/observations": {"indicator", "unit", "period_from", "period_to", "flag", "page", "page_size", "shape"},
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


def _named_types(annotation: Any, found: dict[str, set[type]]) -> None:
    """Every model and enumeration an annotation refers to, by the name OpenAPI gives its component."""
    for argument in get_args(annotation):
        _named_types(argument, found)
    if not isinstance(annotation, type) or not issubclass(annotation, BaseModel | Enum):
        return
    if annotation in found.setdefault(annotation.__name__, set()):
        return
    found[annotation.__name__].add(annotation)
    for field in getattr(annotation, "model_fields", {}).values():
        _named_types(field.annotation, found)


def test_schema_component_names_are_unique():
    """Two models with one name become one component, and one of the endpoints is described wrongly."""
    found: dict[str, set[type]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                wrappers = [m for m in operation.response_models.values() if isinstance(m, type)]
                for wrapper in [*wrappers, *operation.models]:  # ninja's own wrappers share names: look inside
                    for field in wrapper.model_fields.values():
                        _named_types(field.annotation, found)
    assert {name: kinds for name, kinds in found.items() if len(kinds) > 1} == {}


def test_generated_summaries_are_english_whatever_the_language_at_start(schema):
    """The API's generated summaries are written in one language, English: never "List strategie"."""
    from django.apps import apps
    from django.utils import translation

    with translation.override("pl"):
        polish = {str(m._meta.verbose_name_plural).lower() for m in apps.get_models()}
    with translation.override("en"):
        english = {str(m._meta.verbose_name_plural).lower() for m in apps.get_models()}
    polish_only = polish - english
    summaries = [op.get("summary", "") for ops in schema["paths"].values() for op in ops.values()]
    listed = [s for s in summaries if s.startswith("List ")]
    assert listed
    assert [s for s in listed if s[len("List "):].lower() in polish_only] == []
    assert [s for s in listed if s[len("List "):].lower() not in english] == []
