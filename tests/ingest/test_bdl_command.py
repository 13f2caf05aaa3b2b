"""The `obserwatorium sync bdl` command: options, the printed report, clear errors."""

from __future__ import annotations

from io import StringIO

import httpx
import pytest
from django.core.management import CommandError, call_command

from obserwatorium.indicators.models import ImportBatch
from obserwatorium.ingest.management.commands import sync as sync_command
from obserwatorium.ingest.management.commands.sync import parse_years
from tests.ingest.bdl_api import FakeBdl, load_sample, metro_units

pytestmark = pytest.mark.django_db
VOIVODESHIP = "011200000000"  # one request per variable keeps the real per-second limit out of the way


@pytest.fixture
def server(shared_data, settings, tmp_path, monkeypatch):
    settings.DATA_DIR = tmp_path  # the response cache and the quota file go to a fresh folder
    fake = FakeBdl()
    fake.units = metro_units(shared_data)
    fake.series[72305] = [{"id": u["id"], "name": u["name"], "values": [{"year": "2001", "val": 1000.0 + n,
                                                                          "attrId": 1}]}
                          for n, u in enumerate(fake.units)]
    monkeypatch.setattr(sync_command.Command, "transport", fake.transport)
    return fake


def run(*args):
    out = StringIO()
    call_command("sync", "bdl", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_sync_prints_what_changed(server):
    output = run("--indicator", "population", "--years", "2001", "--parent", VOIVODESHIP)
    assert "population (variable 72305): 23 inserted, 0 changed, 0 unchanged" in output
    server.series[72305][22]["values"][0]["val"] = 5.0
    cached = run("--indicator", "population", "--years", "2001", "--parent", VOIVODESHIP)
    assert "requests sent: 0" in cached and "0 changed, 23 unchanged" in cached
    output = run("--indicator", "population", "--years", "2001", "--parent", VOIVODESHIP, "--refresh")
    assert "population (variable 72305): 0 inserted, 1 changed, 22 unchanged" in output
    assert "Kraków (1261011) 2001: 1022 → 5" in output
    assert ImportBatch.objects.filter(kind="bdl").count() == 3


def test_dry_run_says_so_and_writes_nothing(server):
    output = run("--indicator", "population", "--years", "2001", "--parent", VOIVODESHIP, "--dry-run")
    assert output.startswith("BDL sync (dry run: nothing written)")
    assert "23 inserted" in output
    assert not ImportBatch.objects.filter(kind="bdl").exists()


def test_offline_is_a_clear_command_error(server):
    def offline(request):
        raise httpx.ConnectError("[Errno -3] Temporary failure in name resolution", request=request)

    server.hooks.append(offline)
    with pytest.raises(CommandError, match="BDL API .* is unreachable"):
        run("--indicator", "population", "--parent", VOIVODESHIP)


def test_unknown_indicator_is_a_command_error(server):
    with pytest.raises(CommandError, match="no indicator with code nope"):
        run("--indicator", "nope")


def test_years_option():
    assert parse_years("2010-2012") == (2010, 2011, 2012)
    assert parse_years("2018,2020-2021,2018") == (2018, 2020, 2021)
    for wrong in ("2024-2010", "20x0", "2010..2012"):
        with pytest.raises(CommandError):
            parse_years(wrong)


def test_describe_looks_the_variables_up_without_fetching_data(server, shared_data):
    variables = load_sample(shared_data, "variables")
    server.variables[72305] = {**variables["get_variable"], "id": 72305}
    server.variables[1] = {**variables["get_variable"], "id": 1, "level": 5}
    output = run("--indicator", "population", "area", "live-births", "--describe")
    lines = output.splitlines()
    assert lines[0] == "population (variable 72305): P1313 ogółem / 25-29; level 6; osoba"
    assert lines[1].startswith("area (variable 1):") and "WARNING: published down to level 5" in lines[1]
    assert lines[2].startswith("live-births (variable 59): ?") and "404" in lines[2]
    assert all("/data/" not in path for path in server.paths())
