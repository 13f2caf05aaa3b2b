"""The BDL client on answers written for the tests (tests/ingest/fixtures/bdl_answers.json), so that a clone
without ../shared/data still tests paging, parsing and the unit ids."""

from __future__ import annotations

import json
from pathlib import Path

from obserwatorium.ingest.bdl.client import BdlClient
from obserwatorium.ingest.bdl.payloads import teryt_from_bdl_id
from tests.ingest.bdl_api import LAST_UPDATE, FakeBdl, FakeClock

ANSWERS = json.loads((Path(__file__).parent / "fixtures" / "bdl_answers.json").read_text(encoding="utf-8"))
VARIABLE = 72305


def serve(*, page_size: int | None = None) -> FakeBdl:
    fake = FakeBdl(page_size=page_size)
    fake.series[VARIABLE] = ANSWERS["data_by_variable"]
    fake.units = ANSWERS["units"]
    return fake


def client_of(fake: FakeBdl) -> BdlClient:
    return BdlClient(transport=fake.transport, clock=FakeClock(), fresh_seconds=0)


def test_every_page_is_read_and_every_value_parsed():
    fake = serve(page_size=1)
    with client_of(fake) as client:
        data = client.data_by_variable(VARIABLE, parent_id="011212006000", level=6)
    assert len(fake.data_requests(VARIABLE)) == 3
    assert [s.bdl_unit_id for s in data.series] == ["011212006012", "011212006022", "011212006032"]
    assert [(v.year, v.value, v.attr_id) for v in data.series[0].values] == [
        ("2021", 100.0, 1), ("2022", 101.5, 1), ("2023", 0.0, 0)]
    assert [(v.year, v.value) for v in data.series[2].values] == [("2022", 300.25)]
    assert (data.variable_id, data.measure_unit_id, data.last_update) == (VARIABLE, 26, LAST_UPDATE)


def test_years_asked_for_are_the_years_returned():
    fake = serve()
    with client_of(fake) as client:
        data = client.data_by_variable(VARIABLE, parent_id="011212006000", years=[2021])
    assert fake.data_requests(VARIABLE)[0].url.params.get_list("year") == ["2021"]
    assert {v.year for s in data.series for v in s.values} == {"2021"}
    assert [s.bdl_unit_id for s in data.series if s.values] == ["011212006012", "011212006022"]


def test_units_under_a_powiat_map_to_the_preset_teryt_codes():
    fake = serve(page_size=2)
    with client_of(fake) as client:
        units = client.units(parent_id="011212006000", level=6)
    assert [teryt_from_bdl_id(u["id"]) for u in units] == ["1206012", "1206022", "1206032"]
