"""Concurrent writers on a real, fresh database (run as a subprocess: each writer needs its own connection).

    python -m tests.indicators.writers_scenario      # OBS_DATA_DIR or OBS_DATABASE_URL name the database

Prints one JSON object with what each writer saw. A large import stages its rows (paused half-way, so the test
needs no timing) while this process saves a user and one observation on a second connection; then another
connection holds the write lock while a login and an API write are made, which must be answered 503.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading

ROWS = 20_000
PAUSE_AT = 5_000


def _catalogue():
    from obserwatorium.indicators.models import Domain, Indicator
    from obserwatorium.territory.models import GminaType, Level, Unit

    domain = Domain.objects.create(code="scenario", name_pl="Scenariusz", name_en="Scenario")
    indicator = Indicator.objects.create(code="scenario-1", domain=domain, name_pl="W", name_en="I")
    units = Unit.objects.bulk_create(Unit(teryt=f"12{u:04d}1", name=f"Gmina {u}", slug=f"g-{u}", level=Level.GMINA,
                                          gmina_type=GminaType.RURAL)
                                     for u in range(ROWS // 20))
    return indicator, list(Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("pk"))


def _rows(indicator, units, paused: threading.Event, release: threading.Event, value: float):
    from obserwatorium.indicators.bulk import ObservationRow

    count = 0
    for year in range(2000, 2020):
        for unit in units:
            if count == PAUSE_AT:
                paused.set()
                release.wait(120)
            count += 1
            yield ObservationRow(indicator.pk, unit.pk, str(year), value, "final")


def large_import_and_short_writes(results: dict) -> None:
    """A short write on a second connection while a large import stages its rows."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from obserwatorium.indicators.bulk import ObservationRow
    from obserwatorium.indicators.models import BatchKind, ImportBatch, Observation
    from obserwatorium.indicators.services import write_observations

    indicator, units = _catalogue()
    paused, release = threading.Event(), threading.Event()

    def run_import() -> None:
        try:
            outcome = write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, file_name="large.csv"),
                                         rows=_rows(indicator, units, paused, release, 1.5))
            results["import"] = {"inserted": outcome.counts.inserted, "updated": outcome.counts.updated}
        except Exception as error:  # reported, not raised: the test asserts on it
            results["import"] = {"error": repr(error)}
        finally:
            paused.set()
            connection.close()

    worker = threading.Thread(target=run_import)
    worker.start()
    paused.wait(120)
    try:
        get_user_model().objects.create_user("editor", password="correct horse battery")
        results["user_saved"] = "ok"
    except Exception as error:
        results["user_saved"] = repr(error)
    try:
        write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, file_name="one.csv"),
                           rows=[ObservationRow(indicator.pk, units[0].pk, "2030", 7.0, "final")])
        results["one_value_saved"] = "ok"
    except Exception as error:
        results["one_value_saved"] = repr(error)
    release.set()
    worker.join(300)
    results["observations"] = Observation.objects.filter(indicator=indicator).count()
    results["batches"] = sorted(ImportBatch.objects.values_list("file_name", "rows"))


def _hold_write_lock():
    """Another connection in the middle of a write: it holds the lock a login and an API write need."""
    from django.db import connection

    if connection.vendor == "sqlite":
        holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE auth_user SET first_name = 'busy'")
        return holder
    import psycopg

    params = connection.get_connection_params()
    params.pop("options", None)
    holder = psycopg.connect(**{k: v for k, v in params.items() if k in {"dbname", "user", "host", "port"}})
    holder.execute("LOCK TABLE django_session, auth_user, cooperation_partner IN ACCESS EXCLUSIVE MODE")
    return holder


def lock_errors_answered_503(results: dict) -> None:
    """With the lock held elsewhere past the lock timeout, a login and an API write get 503 + Retry-After."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    office = get_user_model().objects.create_superuser("office", password="correct horse battery")
    api_client = Client(raise_request_exception=False)
    api_client.force_login(office)  # sign-in checks (django-axes) want a request; this test is about the lock
    holder = _hold_write_lock()
    try:
        for language in ("pl", "en"):
            login = Client(raise_request_exception=False).post(
                "/admin/login/", {"username": "office", "password": "correct horse battery"},
                HTTP_ACCEPT_LANGUAGE=language)
            results[f"login_{language}"] = {"status": login.status_code, "retry_after": login.get("Retry-After"),
                                            "text": login.content.decode()}
        api = api_client.post("/api/cooperation/partners", {"name": "Nowy partner", "kind": "ngo"},
                              content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
        results["api_write"] = {"status": api.status_code, "retry_after": api.get("Retry-After"),
                                "text": api.content.decode()}
    finally:
        holder.rollback() if hasattr(holder, "rollback") else None
        holder.close()
    after = Client(raise_request_exception=False).post(
        "/admin/login/", {"username": "office", "password": "correct horse battery"})
    results["login_after"] = {"status": after.status_code}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
    os.environ["OBS_ALLOWED_HOSTS"] = "testserver"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.db import connection

    results: dict = {"engine": connection.vendor}
    large_import_and_short_writes(results)
    lock_errors_answered_503(results)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
