"""The BDL client offline: recorded payloads in the documented envelope, paging, retries, limits, cache."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.ingest.bdl.client import BdlClient
from obserwatorium.ingest.bdl.errors import BdlRateLimited, BdlResponseError, BdlUnreachable
from obserwatorium.ingest.bdl.limiter import ANONYMOUS_LIMITS, REGISTERED_LIMITS, RateLimiter
from obserwatorium.ingest.bdl.payloads import VariableData, add_variable_page, teryt_from_bdl_id
from tests.ingest.bdl_api import BASE, LAST_UPDATE, FakeBdl, FakeClock, load_sample

VARIABLE = 6  # the samples' variables are in subjects P1312/P1313 (measure unit 26, "osoba")


@pytest.fixture
def samples(shared_data):
    return load_sample(shared_data, "data"), load_sample(shared_data, "units"), load_sample(shared_data, "variables")


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def server(samples):
    """Serves the recorded /data/by-variable results (Polska, makroregion, Małopolskie) and /units items."""
    data, units, variables = samples
    fake = FakeBdl()
    fake.series[VARIABLE] = data["get_data_by_variable"]
    fake.units = units["list_units"]
    fake.variables[10] = variables["get_variable"]
    return fake


def make_client(server, clock, tmp_path=None, **kwargs) -> BdlClient:
    kwargs.setdefault("fresh_seconds", 0)
    return BdlClient(transport=server.transport, clock=clock, cache_dir=tmp_path, **kwargs)


def test_paging_follows_links_next_and_merges_every_page(server, clock, samples):
    server.page_size = 1  # three units, one per page
    with make_client(server, clock) as client:
        data = client.data_by_variable(VARIABLE, parent_id="000000000000", level=6, years=[2010, 2011])
    assert len(server.requests) == 3
    assert [r.url.params.get("page") for r in server.requests] == [None, "1", "2"]
    recorded = samples[0]["get_data_by_variable"]
    assert [s.bdl_unit_id for s in data.series] == [r["id"] for r in recorded]
    assert [(v.year, v.value, v.attr_id) for v in data.series[2].values] == [
        (v["year"], float(v["val"]), v["attrId"]) for v in recorded[2]["values"] if v["year"] in ("2010", "2011")]
    assert (data.variable_id, data.measure_unit_id, data.last_update) == (VARIABLE, 26, LAST_UPDATE)
    first = server.requests[0].url
    assert first.path == f"/api/v1/data/by-variable/{VARIABLE}"
    assert first.params.get_list("year") == ["2010", "2011"]
    assert (first.params["unit-level"], first.params["unit-parent-id"]) == ("6", "000000000000")
    assert (first.params["format"], first.params["lang"], first.params["page-size"]) == ("json", "pl", "100")


def test_a_page_that_repeats_itself_is_refused(server, clock):
    server.script.append(lambda request: httpx.Response(200, json={
        "results": [], "links": {"next": str(request.url)}}))
    with make_client(server, clock) as client, pytest.raises(BdlResponseError, match="more pages"):
        client.data_by_variable(VARIABLE, parent_id="011200000000")


def test_429_waits_as_long_as_retry_after_then_succeeds(server, clock):
    server.script.append(lambda request: httpx.Response(429, headers={"Retry-After": "7"}))
    with make_client(server, clock) as client:
        data = client.data_by_variable(VARIABLE, parent_id="000000000000")
    assert len(data.series) == 3
    assert clock.sleeps == [7.0]
    assert len(server.requests) == 2


def test_5xx_backs_off_exponentially_then_succeeds(server, clock):
    server.script.extend([lambda request: httpx.Response(503), lambda request: httpx.Response(500)])
    with make_client(server, clock, backoff_seconds=2.0) as client:
        data = client.data_by_variable(VARIABLE, parent_id="000000000000")
    assert len(data.series) == 3
    assert clock.sleeps == [2.0, 4.0]


def test_429_beyond_the_retries_is_a_clear_rate_limit_error(server, clock):
    server.script.extend([lambda request: httpx.Response(429)] * 3)
    with make_client(server, clock, max_retries=2) as client, pytest.raises(BdlRateLimited) as caught:
        client.data_by_variable(VARIABLE, parent_id="000000000000")
    assert "429" in str(caught.value) and "run the same command again" in str(caught.value).lower()
    assert clock.sleeps == [2.0, 4.0]


def test_a_retry_after_longer_than_the_longest_wait_stops_at_once(server, clock):
    server.script.append(lambda request: httpx.Response(429, headers={"Retry-After": "7200"}))
    with make_client(server, clock) as client, pytest.raises(BdlRateLimited, match="7200 s"):
        client.data_by_variable(VARIABLE, parent_id="000000000000")
    assert clock.sleeps == []


def test_malformed_json_is_a_clear_error(server, clock):
    server.script.append(lambda request: httpx.Response(200, text='{"results": [ {"id": "0112'))
    with make_client(server, clock) as client, pytest.raises(BdlResponseError, match="not valid JSON"):
        client.data_by_variable(VARIABLE, parent_id="000000000000")


@pytest.mark.parametrize("body, problem", [
    ({"links": {}}, "'results' is missing"),
    ({"results": [{"id": "011200000000", "values": [{"year": "2020", "val": "12", "attrId": 1}]}]}, "'val' is str"),
    ({"results": [{"id": "011200000000", "values": [{"year": "20x0", "val": 1, "attrId": 1}]}]}, "not a year"),
    ({"results": [{"id": 112, "values": []}]}, "'id' is int"),
])
def test_bodies_outside_the_documented_shape_are_refused(server, clock, body, problem):
    server.script.append(lambda request: httpx.Response(200, json=body))
    with make_client(server, clock) as client, pytest.raises(BdlResponseError, match=problem):
        client.data_by_variable(VARIABLE, parent_id="000000000000")


def test_offline_says_the_api_is_unreachable(server, clock):
    def refuse(request):
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    server.script.append(refuse)
    with make_client(server, clock) as client, pytest.raises(BdlUnreachable, match="BDL API .* is unreachable"):
        client.data_by_variable(VARIABLE, parent_id="000000000000")


def test_client_errors_carry_the_api_explanation(server, clock):
    with make_client(server, clock) as client, pytest.raises(BdlResponseError, match="404.*Variable 99 not found"):
        client.data_by_variable(99, parent_id="000000000000")


def test_api_key_travels_in_x_clientid_and_selects_the_registered_limits(server, clock):
    with make_client(server, clock, api_key="abc-123") as client:
        client.variable(10)
        assert client.limiter.limits == REGISTERED_LIMITS
    with make_client(server, clock) as anonymous:
        anonymous.variable(10)
        assert anonymous.limiter.limits == ANONYMOUS_LIMITS
    assert server.requests[0].headers["X-ClientId"] == "abc-123"
    assert "X-ClientId" not in server.requests[1].headers


def test_units_and_variables_look_ups(server, clock, samples):
    server.page_size = 4
    with make_client(server, clock) as client:
        units = client.units(parent_id="011212000000", level=6)
        variable = client.variable(10)
    assert [u["name"] for u in units] == ["Bochnia", "Bochnia", "Drwinia", "Lipnica Murowana"]
    assert {u["parentId"] for u in units} == {"011212001000"}
    assert variable == samples[2]["get_variable"]
    assert server.requests[0].url.params["parent-id"] == "011212000000"


def test_cache_sends_validators_and_uses_the_stored_body_on_304(server, clock, tmp_path):
    server.headers = {"ETag": '"v1"', "Last-Modified": "Wed, 14 May 2025 15:05:15 GMT"}
    with make_client(server, clock, tmp_path) as client:
        first = client.data_by_variable(VARIABLE, parent_id="000000000000")
    server.script.append(lambda request: httpx.Response(304))
    with make_client(server, clock, tmp_path) as client:
        second = client.data_by_variable(VARIABLE, parent_id="000000000000")
    assert server.requests[0].headers.get("If-None-Match") is None
    assert server.requests[1].headers["If-None-Match"] == '"v1"'
    assert server.requests[1].headers["If-Modified-Since"] == "Wed, 14 May 2025 15:05:15 GMT"
    assert second.series == first.series and len(second.series) == 3


def test_a_fresh_cached_response_costs_no_request(server, clock, tmp_path):
    with make_client(server, clock, tmp_path, fresh_seconds=3600) as client:
        client.variable(10)
        clock.now += 3599
        client.variable(10)
        assert len(server.requests) == 1
        clock.now += 2
        client.variable(10)
    assert len(server.requests) == 2


def test_limiter_waits_for_the_per_second_window_without_real_sleeping(clock):
    limiter = RateLimiter(ANONYMOUS_LIMITS, clock=clock)
    for _ in range(5):
        limiter.acquire()
    assert clock.sleeps == []
    limiter.acquire()
    assert clock.sleeps == [pytest.approx(1.0)]


def test_limiter_waits_for_the_15_minute_window(clock):
    waits = []
    limiter = RateLimiter(ANONYMOUS_LIMITS, clock=clock, on_wait=lambda seconds, limit: waits.append(limit.label))
    start = clock.now
    for _ in range(100):
        limiter.acquire()
        clock.now += 1  # one request a second keeps the per-second window open
    limiter.acquire()
    # The 101st request may go when the first leaves the 15-minute window.
    assert clock.now == pytest.approx(start + 900)
    assert waits == ["100 per 15 minutes"]


def test_limiter_refuses_a_wait_longer_than_allowed_and_remembers_across_processes(clock, tmp_path):
    state = tmp_path / "quota.json"
    limiter = RateLimiter(ANONYMOUS_LIMITS, clock=clock, state_file=state, max_wait=900)
    for _ in range(1000):
        limiter.acquire()
        clock.now += 10  # 90 a quarter-hour: only the 12-hour window fills
    restarted = RateLimiter(ANONYMOUS_LIMITS, clock=clock, state_file=state, max_wait=900)
    slept = len(clock.sleeps)
    with pytest.raises(BdlRateLimited, match="1,000 per 12 hours"):
        restarted.acquire()
    assert len(clock.sleeps) == slept


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_teryt_of_a_bdl_id_is_voivodeship_powiat_gmina_and_type(bdl_id):
    teryt = teryt_from_bdl_id(bdl_id)
    assert len(teryt) == 7 and teryt[:2] == bdl_id[2:4] and teryt[2:6] == bdl_id[7:11] and teryt[6] == bdl_id[11]


def test_teryt_of_known_ids(shared_data):
    assert teryt_from_bdl_id("011212161011") == "1261011"
    assert teryt_from_bdl_id("011212006113") == "1206113"
    with pytest.raises(ValueError):
        teryt_from_bdl_id("1261011")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["results", "id", "name", "values", "year", "val", "attrId", "variableId", "links"]),
        children, max_size=5),
    max_leaves=20,
)


@given(json_values)
def test_any_json_either_parses_or_is_refused_clearly(payload):
    data = VariableData()
    try:
        add_variable_page(data, payload, url=f"{BASE}/data/by-variable/1")
    except BdlResponseError:
        return
    for series in data.series:
        assert isinstance(series.bdl_unit_id, str)
        assert all(len(v.year) == 4 and isinstance(v.attr_id, int) for v in series.values)
