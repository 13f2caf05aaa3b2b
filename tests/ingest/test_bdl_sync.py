"""`sync bdl` offline: recorded payloads for the metro gminy, provenance, revisions, resume, atomicity."""

from __future__ import annotations

import httpx
import pytest

from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation, Revision
from obserwatorium.ingest.bdl import services
from obserwatorium.ingest.bdl.client import BdlClient
from obserwatorium.ingest.bdl.sync import SyncError, SyncOptions, sync_bdl
from obserwatorium.ingest.bdl.units import OUTSIDE, UNCONFIRMED
from obserwatorium.ingest.models import BdlUnit, Confirmation, ItemStatus, RunStatus, SyncItem, SyncRun
from obserwatorium.territory.models import Unit
from tests.ingest.bdl_api import BASE, LAST_UPDATE, FakeBdl, FakeClock, load_sample, metro_units

pytestmark = pytest.mark.django_db

POPULATION, AREA = 72305, 1  # catalogue variables of `population` and `area` (area in ha, scale 0.01)
YEARS = (2001, 2002, 2003)  # before the demo data and the preset's stated figures


@pytest.fixture
def metro(shared_data):
    return metro_units(shared_data)


@pytest.fixture
def recorded(shared_data):
    """Recorded value entries (Małopolskie, 1995–2024) from the pyBDL samples."""
    return load_sample(shared_data, "data")["get_data_by_variable"][2]["values"]


def series_for(units, recorded, *, shift=0):
    """One result per gmina in the documented shape, the recorded values shifted so every gmina differs."""
    return [{"id": u["id"], "name": u["name"],
             "values": [{**v, "val": v["val"] + 1000 * (n + 1) + shift} for v in recorded]}
            for n, u in enumerate(units)]


def expected(units, recorded, teryt_suffix, year, *, shift=0):
    n = next(i for i, u in enumerate(units) if u["id"].endswith(teryt_suffix))
    return next(v["val"] for v in recorded if v["year"] == str(year)) + 1000 * (n + 1) + shift


@pytest.fixture
def server(metro, recorded):
    fake = FakeBdl()
    town = {"id": "011212006114", "name": "Skawina - miasto", "parentId": "011212006000", "level": 6, "kind": "4",
            "hasDescription": False}
    fake.units = [*metro, town]
    fake.series[POPULATION] = series_for(metro, recorded) + [{"id": town["id"], "name": town["name"],
                                                              "values": recorded}]
    fake.series[AREA] = series_for(metro, recorded)
    fake.measure_units[AREA] = 17
    return fake


def sync(server, **options):
    options.setdefault("indicator_codes", ("population", "area"))
    options.setdefault("years", YEARS)
    with BdlClient(transport=server.transport, clock=FakeClock()) as client:
        return sync_bdl(client=client, options=SyncOptions(**options))


def stored(code, year, teryt="1261011"):
    return Observation.objects.get(indicator__code=code, period=str(year), unit__teryt=teryt, unit__valid_to=None)


def test_sync_loads_one_batch_per_indicator_with_provenance(server, metro, recorded):
    report = sync(server)
    assert not report.stopped and report.run.status == RunStatus.COMPLETED
    assert report.parents == ["011212006000", "011212019000", "011212161000"]
    population = ImportBatch.objects.get(pk=report.results[0].batch_id)
    assert population.kind == BatchKind.BDL and population.source == "GUS BDL, variable 72305"
    assert population.source_url.startswith(f"{BASE}/data/by-variable/72305?unit-parent-id=011212006000")
    assert population.retrieved_at is not None
    meta = population.metadata
    assert (meta["variableId"], meta["measureUnitId"], meta["lastUpdate"]) == (POPULATION, 26, LAST_UPDATE)
    assert meta["attributes"] == {"1": {"symbol": "", "meaning_pl": "wartość", "meaning_en": "Value",
                                        "treatment": "final", "values": 23 * 3}}
    assert meta["years"] == list(YEARS) and len(meta["requests"]) == 3
    assert (population.inserted, population.updated) == (23 * 3, 0)
    assert stored("population", 2002).value == expected(metro, recorded, "161011", 2002)
    assert stored("population", 2002).batch_id == population.pk
    # Area comes in hectares and is scaled by the catalogue's 0.01 to km², exactly.
    assert stored("area", 2003, "1206113").value == expected(metro, recorded, "006113", 2003) / 100
    assert ImportBatch.objects.get(pk=report.results[1].batch_id).metadata["measureUnitId"] == 17
    items = SyncItem.objects.filter(run=report.run)
    assert {i.status for i in items} == {ItemStatus.DONE} and all(i.batch_id for i in items)
    # Confirmed ids are kept in the mapping table; the town part of Skawina is not a gmina and is left out.
    kept = dict(BdlUnit.objects.values_list("bdl_unit_id", "confirmed_by"))
    assert len(kept) == 23 and set(kept.values()) == {Confirmation.TERRITORY}
    assert not report.unmapped


def test_unknown_unit_ids_are_reported_not_guessed(server, metro, recorded):
    recoded = {"id": "011213161011", "name": "Kraków", "values": [{"year": "2002", "val": 1.0, "attrId": 1}]}
    stranger = {"id": "011212006182", "name": "Nowa Gmina", "values": [{"year": "2002", "val": 2.0, "attrId": 1}]}
    server.series[POPULATION] += [recoded, stranger]
    report = sync(server, indicator_codes=("population",), parents=("011200000000",))
    assert report.unmapped["011213161011"].reason == UNCONFIRMED
    assert "1261011" in report.unmapped["011213161011"].describe()
    assert report.unmapped["011212006182"].reason == OUTSIDE
    assert stored("population", 2002).value == expected(metro, recorded, "161011", 2002)
    batch = ImportBatch.objects.get(pk=report.results[0].batch_id)
    assert [p["bdl_unit_id"] for p in batch.report] == ["011213161011"]
    assert batch.metadata["unitsOutsideTerritory"] == 1


def test_ids_are_confirmed_through_units_by_teryt_and_name(server, metro, recorded):
    Unit.objects.filter(teryt__in=["1219053", "1219043"]).update(bdl_unit_id="")
    niepolomice = next(u for u in server.units if u["id"] == "011212019043")
    niepolomice["name"] = "Niepołomice-Zdrój"
    report = sync(server, indicator_codes=("population",))
    assert stored("population", 2001, "1219053").value == expected(metro, recorded, "019053", 2001)
    assert BdlUnit.objects.get(bdl_unit_id="011212019053").confirmed_by == Confirmation.UNITS_LOOKUP
    assert report.unmapped["011212019043"].reason == UNCONFIRMED
    assert "Niepołomice-Zdrój" in report.unmapped["011212019043"].describe()
    assert not Observation.objects.filter(indicator__code="population", unit__teryt="1219043", period="2001")


def test_a_changed_value_is_kept_as_a_revision_and_listed(server, metro, recorded):
    first = sync(server, indicator_codes=("population",))
    krakow = server.series[POPULATION][22]
    assert krakow["id"] == "011212161011"
    krakow["values"] = [{**v, "val": 780_000} if v["year"] == "2002" else v for v in krakow["values"]]
    second = sync(server, indicator_codes=("population",))
    result = second.results[0]
    assert (result.counts.inserted, result.counts.updated, result.counts.unchanged) == (0, 1, 23 * 3 - 1)
    old = expected(metro, recorded, "161011", 2002)
    assert [(c.teryt, c.period, c.old_value, c.new_value) for c in result.changes] == [("1261011", "2002", old,
                                                                                         780_000)]
    revision = Revision.objects.get(indicator__code="population", unit__teryt="1261011", period="2002")
    assert (revision.old_value, revision.new_value) == (old, 780_000)
    assert (revision.old_batch_id, revision.batch_id) == (first.results[0].batch_id, result.batch_id)
    assert second.run.pk != first.run.pk


def test_real_values_replace_demo_values_and_keep_them_as_revisions(server):
    demo = stored("population", 2015)
    assert demo.flag == Flag.DEMO
    result = sync(server, indicator_codes=("population",), years=(2015,)).results[0]
    assert result.counts.updated >= 15
    assert stored("population", 2015).flag == Flag.FINAL
    revision = Revision.objects.get(indicator__code="population", unit__teryt="1261011", period="2015")
    assert (revision.old_value, revision.old_flag) == (demo.value, Flag.DEMO)


def test_dry_run_reports_and_writes_nothing(server):
    tables = (Observation, ImportBatch, Revision, SyncRun, SyncItem, BdlUnit)
    before = [model.objects.count() for model in tables]
    report = sync(server, dry_run=True)
    assert [model.objects.count() for model in tables] == before
    assert report.run is None and [r.counts.inserted for r in report.results] == [23 * 3, 23 * 3]


def test_values_by_attribute_confidential_skipped_or_reported(server):
    krakow = server.series[POPULATION][22]
    krakow["values"] = [{"year": "2001", "val": 0, "attrId": 4}, {"year": "2002", "val": None, "attrId": 15},
                        {"year": "2003", "val": 5.0, "attrId": 999}, {"year": "2004", "val": 7.0, "attrId": 9}]
    report = sync(server, indicator_codes=("population",), years=(2001, 2002, 2003, 2004))
    confidential = stored("population", 2001)
    assert (confidential.value, confidential.flag) == (None, Flag.CONFIDENTIAL)
    assert not Observation.objects.filter(indicator__code="population", unit__teryt="1261011",
                                          period__in=["2002", "2003"])
    assert (stored("population", 2004).value, stored("population", 2004).flag) == (7.0, Flag.PROVISIONAL)
    batch = ImportBatch.objects.get(pk=report.results[0].batch_id)
    assert batch.metadata["attributes"]["999"] == {"treatment": "unknown: skipped", "values": 1}
    assert batch.metadata["attributes"]["4"]["treatment"] == "confidential"
    assert {"problem": "unknown attribute", "bdl_unit_id": "011212161011", "year": "2003", "attrId": 999} in \
        batch.report
    assert batch.metadata["skippedValues"] == 2


def test_an_interrupted_run_continues_with_the_remaining_indicators(server):
    def offline_for_area(request):
        if request.url.path.endswith(f"/data/by-variable/{AREA}"):
            raise httpx.ConnectError("network is unreachable", request=request)

    server.hooks.append(offline_for_area)
    first = sync(server)
    assert "unreachable" in first.stopped
    assert SyncRun.objects.get(pk=first.run.pk).status == RunStatus.INTERRUPTED
    assert [(r.code, r.status) for r in first.results] == [("population", ItemStatus.DONE)]
    assert not ImportBatch.objects.filter(source=f"GUS BDL, variable {AREA}")

    server.hooks.clear()
    server.requests.clear()
    second = sync(server)
    assert second.resumed and second.run.pk == first.run.pk and second.already_done == 1
    assert not server.data_requests(POPULATION) and len(server.data_requests(AREA)) == 3
    assert [r.code for r in second.results] == ["area"]
    assert SyncRun.objects.get(pk=first.run.pk).status == RunStatus.COMPLETED
    assert ImportBatch.objects.filter(kind=BatchKind.BDL).count() == 2


def test_malformed_json_fails_that_indicator_only_and_writes_nothing_for_it(server):
    server.hooks.append(lambda request: httpx.Response(200, text="<html>maintenance</html>")
                        if f"/data/by-variable/{AREA}" in request.url.path else None)
    report = sync(server)
    assert [(r.code, r.status) for r in report.results] == [("population", "done"), ("area", "failed")]
    assert "not valid JSON" in report.results[1].message
    assert report.run.status == RunStatus.INCOMPLETE
    assert not ImportBatch.objects.filter(source=f"GUS BDL, variable {AREA}")
    assert not Observation.objects.filter(indicator__code="area", period="2001")

    # The run went through every indicator: it is finished, and the next sync is a new, whole one.
    server.hooks.clear()
    again = sync(server)
    assert not again.resumed and [r.code for r in again.results] == ["population", "area"]
    assert again.run.status == RunStatus.COMPLETED


def test_each_indicator_is_written_atomically(server, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(services, "complete_item", crash)
    before = Observation.objects.count()
    with pytest.raises(RuntimeError):
        sync(server, indicator_codes=("population",))
    assert Observation.objects.count() == before
    assert not ImportBatch.objects.filter(kind=BatchKind.BDL)
    run = SyncRun.objects.get()
    assert run.status == RunStatus.INTERRUPTED and run.items.get().status == ItemStatus.PENDING


def test_rate_limited_beyond_retries_stops_with_a_clear_message(server):
    server.hooks.append(lambda request: httpx.Response(429, headers={"Retry-After": "30"})
                        if "/data/" in request.url.path else None)
    report = sync(server, indicator_codes=("population",))
    assert "429" in report.stopped and "continues where it stopped" in report.stopped
    assert SyncRun.objects.get().status == RunStatus.INTERRUPTED


def test_a_named_indicator_without_a_variable_id_is_noted_and_unknown_codes_refused(server):
    report = sync(server, indicator_codes=("own-revenues-share", "population"))
    assert [(r.code, r.status) for r in report.results] == [("own-revenues-share", "skipped"),
                                                            ("population", "done")]
    assert Indicator.objects.get(code="own-revenues-share").bdl_variable_id is None
    with pytest.raises(SyncError, match="no-such-indicator"):
        sync(server, indicator_codes=("no-such-indicator",))


def test_an_unfinished_run_is_not_continued_with_restart(server):
    def offline_for_area(request):
        if request.url.path.endswith(f"/data/by-variable/{AREA}"):
            raise httpx.ConnectError("network is unreachable", request=request)

    server.hooks.append(offline_for_area)
    first = sync(server)
    assert first.stopped and SyncRun.objects.get(pk=first.run.pk).status == RunStatus.INTERRUPTED
    server.hooks.clear()
    fresh = sync(server, restart=True)
    assert not fresh.resumed and fresh.run.pk != first.run.pk
    assert SyncRun.objects.get(pk=first.run.pk).status == RunStatus.ABANDONED
    assert [r.code for r in fresh.results] == ["population", "area"]


def test_a_sync_that_writes_values_bumps_the_data_version(server):
    from obserwatorium.dataversion.selectors import data_version

    before = data_version().counter
    sync(server)
    assert data_version().counter > before
