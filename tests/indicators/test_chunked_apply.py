"""A large write applied in chunks (SQLite) or one transaction (PostgreSQL): all or nothing as readers see it."""

from __future__ import annotations

import json

import pytest

from tests.scratch_databases import run_module, scratch_environment  # noqa: F401

_seen: dict[str, dict] = {}


@pytest.fixture(params=["sqlite", "postgresql"])
def scenario(request, scratch_environment):  # noqa: F811
    """What tests/indicators/chunked_apply_scenario.py saw on a fresh database (run once per engine)."""
    if request.param not in _seen:
        env = {**scratch_environment(request.param), "OBS_DB_LOCK_TIMEOUT": "10"}
        finished = run_module("tests.indicators.chunked_apply_scenario", env=env)
        assert finished.returncode == 0, finished.stderr[-3000:]
        _seen[request.param] = json.loads(finished.stdout.strip().splitlines()[-1])
    return _seen[request.param]


def test_chunked_apply_is_all_or_nothing(scenario):
    # The same writes applied in chunks and in one transaction end in the same values, revisions (old value,
    # who, which batch replaced which), derived growth rates and batch counts.
    assert scenario["chunked_counts"] == scenario["single_counts"] == [100, 50, 50]
    assert scenario["chunked_state"] == scenario["single_state"]
    assert len(scenario["chunked_state"]["revisions"]) > 50  # the base values' and the derived ones'
    # A write refused at its tenth chunk, after nine landed: no row, mark or revision of it remains anywhere
    # (raw tables, hidden rows included), readers see what they saw before, the batch is recorded as failed.
    for twin in ("chunked", "single"):
        assert scenario[f"{twin}_failure"] is True
        assert scenario[f"{twin}_after_failure_raw_same"] is True
        assert scenario[f"{twin}_after_failure_seen_same"] is True
    assert scenario["chunked_failed_batches"] == (["failed"] if scenario["engine"] == "sqlite" else [])
    assert scenario["chunked_write_bumped_version"] is True  # API caches keyed by the version see the new values
    assert scenario["chunked_write_bumped_figures_of"] == ["version"]  # its figures computed again, no other
    assert scenario["single_failed_batches"] == []


def test_short_writes_pass_while_a_large_write_applies(scenario):
    assert scenario["caught_applying"] is True
    assert scenario["short_write"] == "ok"  # a login-like save, mid-apply
    assert scenario["readers_see_old"] is True
    assert scenario["big_outcome"] == {"counts": [600, 600, 0]}
    assert scenario["big_after"] is True
    if scenario["engine"] == "sqlite":
        assert scenario["hidden_rows_meanwhile"] > 0  # the chunks were landing around those writes
        assert scenario["observation_write"] == "busy"  # told to retry, nothing written
    else:
        assert scenario["observation_write"] == "ok"  # one transaction; other rows' writers pass


def test_a_killed_import_is_rolled_back(scenario):
    if scenario["engine"] != "sqlite":
        pytest.skip("PostgreSQL applies in one transaction: the server rolls a killed client's write back")
    assert scenario["killed_caught_applying"] is True
    assert scenario["killed_readers_see_old"] is True
    assert scenario["killed_then_write"] == "busy"
    assert scenario["killed_rolled_back_raw_same"] is True
    assert scenario["killed_batch_status"] == ["failed"]
    assert scenario["written_after_rollback"] is True
