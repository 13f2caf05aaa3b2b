"""Any value of any parameter gets an answer (200, 404 or 422 with a message), never a server error."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

QUERY_PARAMETERS = [
    ("/api/units", "level"), ("/api/units", "membership"), ("/api/units", "parent"),
    ("/api/units/1261011", "geometry"),
    ("/api/indicators", "domain"), ("/api/indicators", "headline"), ("/api/indicators", "q"),
    *[(path, name) for path in ("/api/observations", "/api/observations.csv")
      for name in ("indicator", "unit", "period_from", "period_to", "flag")],
    ("/api/observations", "page"), ("/api/observations", "page_size"), ("/api/observations.csv", "bom"),
    ("/api/revisions", "indicator"), ("/api/revisions", "unit"), ("/api/revisions", "period"),
    ("/api/revisions", "page"), ("/api/revisions", "page_size"),
]

# Text a client can send in a URL (lone surrogates cannot be encoded), plus numbers, lists and near-misses.
values = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60),
    st.integers().map(str),
    st.floats().map(str),
    st.lists(st.sampled_from(["population", "1261011", "MK", "2020", "2020-Q4", "demo", "x", ""]), max_size=5)
    .map(",".join),
    st.sampled_from(["0", "-1", "10001", "1" * 30, "2020-Q5", "2020-13", "\x00", "12\x00", "%", "'; --"]),
)
HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _status(client, path: str, params) -> int:
    response = client.get(path, params)
    if response.streaming:
        b"".join(response.streaming_content)
    if response.status_code != 200:
        assert response.status_code in (404, 422), response.content
        assert response.json()["detail"]
    return response.status_code


@pytest.mark.parametrize(("path", "name"), QUERY_PARAMETERS)
@HYPOTHESIS
@given(value=values)
def test_any_query_value_is_answered(client, path, name, value):
    _status(client, path, {name: value})


@HYPOTHESIS
@given(indicators=st.lists(values, max_size=4), units=st.lists(values, max_size=4))
def test_repeated_parameters_are_answered(client, indicators, units):
    _status(client, "/api/observations", {"indicator": indicators, "unit": units, "page_size": "5"})


@pytest.mark.parametrize("prefix", ["/api/units/", "/api/indicators/"])
@HYPOTHESIS
@given(value=values.filter(bool))
def test_any_path_value_is_answered(client, prefix, value):
    response = client.get(prefix + quote(value, safe=""))
    # A value with '/' leaves the route: Django's own 404, not the API's.
    assert response.status_code in (200, 404, 422)
