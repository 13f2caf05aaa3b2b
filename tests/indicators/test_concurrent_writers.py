"""Concurrent writers: a large import lets short writes through; a lock error is a retryable 503, never a 500."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory

from obserwatorium.lock_errors import is_retryable_lock_error
from obserwatorium.web.errors import server_error
from tests.scratch_databases import REPO_ROOT, run_module, scratch_environment  # noqa: F401

BUSY_PL = "Baza danych jest zajęta inną zmianą"
BUSY_EN = "The database is busy with another change"


@pytest.fixture(params=["sqlite", "postgresql"])
def scenario(request, scratch_environment):  # noqa: F811
    """What each writer saw on a fresh database (tests/indicators/writers_scenario.py), lock timeout 1 s."""
    env = {**scratch_environment(request.param), "OBS_DB_LOCK_TIMEOUT": "1"}
    finished = run_module("tests.indicators.writers_scenario", env=env)
    assert finished.returncode == 0, finished.stderr[-3000:]
    return json.loads(finished.stdout.strip().splitlines()[-1])


def test_writers_during_a_large_import_and_under_a_held_lock(scenario):
    # Saving a user (a login's write) and one corrected value on a second connection while a large import is
    # half-way through staging: they succeed at once instead of waiting out the import's write lock.
    assert scenario["user_saved"] == "ok"
    assert scenario["one_value_saved"] == "ok"
    # The import still writes all of its rows as one batch.
    assert scenario["import"] == {"inserted": 20_000, "updated": 0}
    assert scenario["observations"] == 20_001
    assert scenario["batches"] == [["large.csv", 20_000], ["one.csv", 1]]
    # Another connection holding the write lock past the timeout: 503 with Retry-After, in the user's language.
    for key, text in (("login_pl", BUSY_PL), ("login_en", BUSY_EN)):
        assert scenario[key]["status"] == 503, scenario[key]
        assert scenario[key]["retry_after"] == "10"
        assert text in scenario[key]["text"]
    assert scenario["api_write"]["status"] == 503
    assert scenario["api_write"]["retry_after"] == "10"
    assert json.loads(scenario["api_write"]["text"])["detail"].startswith(BUSY_EN)
    # Once the lock is gone, the same login succeeds.
    assert scenario["login_after"]["status"] == 302


def test_lock_error_outside_a_view_is_503_not_500():
    """A session saved by middleware meets the lock: handler500 answers 503 too."""
    request = RequestFactory().post("/admin/login/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "10"
    try:
        raise OperationalError("no such table: nowhere")
    except OperationalError:
        assert server_error(request).status_code == 500


def test_only_lock_errors_are_retryable():
    assert is_retryable_lock_error(OperationalError("database is locked"))
    assert not is_retryable_lock_error(OperationalError("disk I/O error"))
    assert not is_retryable_lock_error(ValueError("database is locked"))


HOLD_AND_SLEEP = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
import django
django.setup()
from django.db import connection, transaction
with transaction.atomic(), connection.cursor() as cursor:
    cursor.execute("SELECT pg_advisory_xact_lock(90909)")
    cursor.execute("SELECT pg_backend_pid()")
    print("locked", cursor.fetchone()[0], flush=True)
    cursor.execute("SELECT pg_sleep(600)")
"""


@pytest.mark.django_db
def test_postgresql_killed_client_mid_statement_releases_its_locks():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    settings = connection.settings_dict
    env = {**os.environ, "OBS_DATABASE_URL": f"postgres://{settings.get('USER') or 'postgres'}@"
           f"{settings.get('HOST') or '127.0.0.1'}:{settings.get('PORT') or 5432}/{settings['NAME']}"}
    client = subprocess.Popen([sys.executable, "-c", HOLD_AND_SLEEP], cwd=REPO_ROOT, env=env,
                              stdout=subprocess.PIPE, text=True)
    try:
        said, backend = client.stdout.readline().split()
        assert said == "locked"
        with connection.cursor() as cursor:
            # Wait until the client's statement is running on the server, then kill the client outright.
            # (The test runs inside a transaction, which caches the activity view: clear it on each look.)
            for _ in range(200):
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(600)%%' "
                               "AND state = 'active'")
                if cursor.fetchone()[0]:
                    break
                time.sleep(0.1)
            client.send_signal(signal.SIGKILL)
            client.wait(30)
            # The server notices the vanished client within seconds and ends its statement and transaction;
            # without that, the lock would stay for the ten minutes of pg_sleep.
            cursor.execute("SET LOCAL lock_timeout = '30s'")
            cursor.execute("SELECT pg_advisory_xact_lock(90909)")
            # Its backend is gone, not merely idle (the process may take a moment to leave the list).
            running = None
            for _ in range(300):
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute("SELECT state, query FROM pg_stat_activity WHERE pid = %s", [int(backend)])
                running = cursor.fetchall()
                if not running:
                    break
                time.sleep(0.1)
            assert running == [], running
    finally:
        if client.poll() is None:
            client.kill()
