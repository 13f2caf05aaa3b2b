"""/api/observations, encoded without the response model, is exactly what the OpenAPI schema declares: in rows
(the model's own JSON, key for key) and in columns; its query count does not grow with the page."""

from __future__ import annotations

import json

import jsonschema
import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext

from obserwatorium.indicators.schemas import ObservationPageOut

pytestmark = pytest.mark.django_db

QUERIES = [{"indicator": "population", "page_size": 10_000},
           {"indicator": "population,area", "unit": "1261011,1219053", "page_size": 7, "page": 2},
           {"indicator": "population", "period_from": "2015", "period_to": "2015", "flag": "final"},
           {"indicator": "population", "period_from": "1900", "period_to": "1900"}]


def _schema(client) -> dict:
    openapi = client.get("/api/openapi.json").json()
    body = openapi["paths"]["/api/observations"]["get"]["responses"]["200"]["content"]["application/json"]
    return {**body["schema"], "components": openapi["components"]}


@pytest.mark.parametrize("params", QUERIES)
def test_rows_validate_against_the_schema_and_equal_the_models_json(client, params):
    response = client.get("/api/observations", params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    jsonschema.validate(body, _schema(client))
    # What ninja would have written through the response model (DjangoJSONEncoder over model_dump).
    through_model = json.loads(json.dumps(ObservationPageOut.model_validate(body).model_dump(), cls=DjangoJSONEncoder))
    assert body == through_model
    assert list(body) == list(ObservationPageOut.model_fields)


@pytest.mark.parametrize("params", QUERIES)
def test_columns_hold_the_same_values_as_the_rows(client, params):
    rows = client.get("/api/observations", params).json()
    columns = client.get("/api/observations", {**params, "shape": "columns"}).json()
    jsonschema.validate(columns, _schema(client))
    links = ("next", "previous")
    assert {k: v for k, v in columns.items() if k not in ("columns", *links)} \
        == {k: v for k, v in rows.items() if k not in ("items", *links)}
    for link in links:  # the page links keep the shape
        assert (columns[link] or "").replace("&shape=columns", "") == (rows[link] or "")
        assert columns[link] is None or columns[link].endswith("&shape=columns")
    keys = list(columns["columns"])
    assert keys == ["indicator", "teryt", "unit", "period", "value", "flag", "batch"]
    assert [dict(zip(keys, values, strict=True)) for values in zip(*columns["columns"].values(), strict=True)] \
        == rows["items"]
    assert all(len(column) == len(rows["items"]) for column in columns["columns"].values())


def test_an_unknown_shape_is_a_422_naming_the_parameter(client):
    response = client.get("/api/observations", {"indicator": "population", "shape": "cube"})
    assert response.status_code == 422 and "shape" in response.content.decode()


def test_the_query_count_does_not_grow_with_the_page(client):
    counts = []
    for page_size in (5, 5000):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/observations", {"indicator": "population,area",
                                                    "page_size": page_size}).status_code == 200
        counts.append(len(queries))
    # data version, indicators, count+demo, rows, sources (no query per row, batch or flag)
    assert counts == [5, 5]
