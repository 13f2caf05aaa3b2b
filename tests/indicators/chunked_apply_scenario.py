"""A large write applied in chunks, on a real fresh database (a subprocess: writers need their own connections).

    python -m tests.indicators.chunked_apply_scenario          # OBS_DATA_DIR or OBS_DATABASE_URL name the database

Prints one JSON object. Two twin indicators get the same writes, one applied in chunks of CHUNK rows and one in a
single transaction (OBS_IMPORT_APPLY_CHUNK 0), each with a derived growth rate; their end states are compared.
Then a write fails at a late chunk (a trigger refuses one row), a short write and a reader run while a large
write is applying, and (SQLite) a process killed mid-apply leaves a batch that `rollback_imports` removes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

CHUNK = 20
UNITS = 10
BIG_YEARS = range(1900, 1960)  # 60 years × 10 units = 600 new values: 30 chunks


def _catalogue() -> None:
    from obserwatorium.indicators.models import Domain, Indicator
    from obserwatorium.insights.models import DerivedIndicator
    from obserwatorium.territory.models import GminaType, Level, Unit

    domain = Domain.objects.create(code="chunks", name_pl="Porcje", name_en="Chunks")
    for twin in ("chunked", "single"):
        base = Indicator.objects.create(code=f"{twin}-a", domain=domain, name_pl=twin, name_en=twin)
        growth = Indicator.objects.create(code=f"{twin}-g", domain=domain, name_pl=f"{twin} g", name_en=f"{twin} g")
        DerivedIndicator.objects.create(indicator=growth, formula="growth", inputs=[base.code])
    Indicator.objects.create(code="big", domain=domain, name_pl="Duży", name_en="Big")
    Unit.objects.bulk_create(Unit(teryt=f"12{u:04d}1", name=f"Gmina {u}", slug=f"g-{u}", level=Level.GMINA,
                                  gmina_type=GminaType.RURAL) for u in range(UNITS))


def _ids():
    from obserwatorium.indicators.models import Indicator
    from obserwatorium.territory.models import Unit

    return (dict(Indicator.objects.values_list("code", "pk")),
            list(Unit.objects.order_by("teryt").values_list("pk", flat=True)))


def _write(code: str, rows: list[tuple[int, str, float, str]], file_name: str, *, chunk: int, user=None):
    from django.test import override_settings

    from obserwatorium.indicators.bulk import ObservationRow
    from obserwatorium.indicators.models import BatchKind, ImportBatch
    from obserwatorium.indicators.services import write_observations

    indicators, units = _ids()
    with override_settings(OBS_IMPORT_APPLY_CHUNK=chunk):
        return write_observations(
            batch=ImportBatch(kind=BatchKind.UPLOAD, file_name=file_name), user=user,
            rows=[ObservationRow(indicators[code], units[unit], period, value, flag)
                  for unit, period, value, flag in rows])


def _initial_rows():
    return [(u, str(year), year - 1990 + u / 10, "final") for year in range(2000, 2020) for u in range(UNITS)]


def _update_rows():
    """Years 2010–14 unchanged, 2015–19 changed (value or flag), 2020–29 new: 200 rows, 10 chunks."""
    rows = []
    for year in range(2010, 2030):
        for u in range(UNITS):
            value = year - 1990 + u / 10
            if 2015 <= year < 2020:
                rows.append((u, str(year), value + 1 if u % 2 else value, "final" if u % 2 else "provisional"))
            else:
                rows.append((u, str(year), value, "final"))
    return rows


def _batch_role(batch) -> str:
    if batch is None:
        return ""
    name = batch.file_name.replace("chunked-", "").replace("single-", "")
    return f"{batch.kind}:{name}:{batch.metadata.get('indicator', '').replace('chunked-', '').replace('single-', '')}"


def end_state(twin: str) -> dict:
    """What readers see of one twin: values, revisions and batches, with batches named by their role."""
    from obserwatorium.indicators.models import ImportBatch, Observation, Revision

    batches = {b.pk: b for b in ImportBatch.objects.all()}
    values = sorted((o.indicator.code.replace(twin, "twin"), o.unit_id, o.period, o.value, o.flag,
                     _batch_role(batches[o.batch_id]))
                    for o in Observation.objects.filter(indicator__code__startswith=twin).select_related("indicator"))
    revisions = sorted((r.indicator.code.replace(twin, "twin"), r.unit_id, r.period, r.old_value, r.new_value,
                        r.old_flag, r.new_flag, _batch_role(batches[r.old_batch_id]), _batch_role(batches[r.batch_id]),
                        r.user_id)
                       for r in Revision.objects.filter(indicator__code__startswith=twin).select_related("indicator"))
    counts = sorted((_batch_role(b), b.status, b.rows, b.inserted, b.updated, b.unchanged)
                    for b in batches.values() if b.status != "failed"
                    and (twin in b.file_name or twin in str(b.metadata.get("indicator"))))
    return {"values": values, "revisions": revisions, "batches": counts}


def raw_state() -> dict:
    """Every stored row, hidden ones included (raw SQL, past the models' managers)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indicator_id, unit_id, period, value, flag, batch_id, replaced_by_id "
                       "FROM indicators_observation ORDER BY 1, 2, 3, 6")
        observations = [list(row) for row in cursor.fetchall()]
        cursor.execute("SELECT indicator_id, unit_id, period, old_value, new_value, batch_id "
                       "FROM indicators_revision ORDER BY 1, 2, 3, 6")
        revisions = [list(row) for row in cursor.fetchall()]
    return {"observations": observations, "revisions": revisions}


def twins_end_state(results: dict, user) -> None:
    """The same writes, chunked and in one transaction: the same end state."""
    for twin, chunk in (("chunked", CHUNK), ("single", 0)):
        _write(f"{twin}-a", _initial_rows(), f"{twin}-initial.csv", chunk=chunk, user=user)
        outcome = _write(f"{twin}-a", _update_rows(), f"{twin}-update.csv", chunk=chunk, user=user)
        results[f"{twin}_counts"] = [outcome.counts.inserted, outcome.counts.updated, outcome.counts.unchanged]
    results["chunked_state"], results["single_state"] = end_state("chunked"), end_state("single")


def _add_failing_trigger(indicator_id: int, unit_id: int, period: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        condition = f"NEW.indicator_id = {indicator_id} AND NEW.unit_id = {unit_id} AND NEW.period = '{period}'"
        if connection.vendor == "sqlite":
            cursor.execute(f"CREATE TRIGGER inject_failure BEFORE INSERT ON indicators_observation WHEN {condition} "
                           "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
        else:
            cursor.execute("CREATE FUNCTION inject_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                           f"IF {condition} THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$")
            cursor.execute("CREATE TRIGGER inject_failure BEFORE INSERT OR UPDATE ON indicators_observation "
                           "FOR EACH ROW EXECUTE FUNCTION inject_failure()")


def _drop_failing_trigger() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER inject_failure" + ("" if connection.vendor == "sqlite"
                                                        else " ON indicators_observation"))
        if connection.vendor == "postgresql":
            cursor.execute("DROP FUNCTION inject_failure()")


def failure_between_chunks(results: dict, user) -> None:
    """A write refused at its last chunk (changed and new values before it landed): nothing of it remains."""
    from obserwatorium.indicators.models import ImportBatch

    indicators, units = _ids()
    rows = [(u, str(year), 500.0 + year + u, "estimated") for year in range(2015, 2035) for u in range(UNITS)]
    for twin, chunk in (("chunked", CHUNK), ("single", 0)):
        before, seen = raw_state(), end_state(twin)
        _add_failing_trigger(indicators[f"{twin}-a"], units[5], "2034")  # row 196 of 200: the tenth chunk
        try:
            _write(f"{twin}-a", rows, f"{twin}-failing.csv", chunk=chunk, user=user)
            results[f"{twin}_failure"] = "not raised"
        except Exception as error:  # the trigger's refusal, as the database reported it
            results[f"{twin}_failure"] = "injected failure" in str(error)
        finally:
            _drop_failing_trigger()
        results[f"{twin}_after_failure_raw_same"] = raw_state() == before
        results[f"{twin}_after_failure_seen_same"] = end_state(twin) == seen
        results[f"{twin}_failed_batches"] = list(ImportBatch.objects.filter(file_name=f"{twin}-failing.csv")
                                                 .values_list("status", flat=True))


def _big_rows(shift: float) -> list[tuple[int, str, float, str]]:
    return [(u, str(year), year + u + shift, "final") for year in BIG_YEARS for u in range(UNITS)]


def _visible_big() -> list:
    from obserwatorium.indicators.models import Observation, Revision

    return [sorted(Observation.objects.filter(indicator__code="big").values_list("unit_id", "period", "value")),
            Revision.objects.filter(indicator__code="big").count()]


def _hidden_rows() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM indicators_observation o JOIN indicators_importbatch b "
                       "ON b.id = o.batch_id WHERE b.status = 'applying'")
        return int(cursor.fetchone()[0])


def _wait_until(check, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return False


def _import_waits_on_lock() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return bool(cursor.fetchone()[0])


def _hold_one_row():
    """PostgreSQL: another connection locks one row the import changes, so the import stops mid-transaction."""
    import psycopg
    from django.db import connection

    params = {k: v for k, v in connection.get_connection_params().items() if k in {"dbname", "user", "host", "port"}}
    holder = psycopg.connect(**params)
    holder.execute("SELECT o.id FROM indicators_observation o JOIN indicators_indicator i ON i.id = o.indicator_id "
                   "WHERE i.code = 'big' ORDER BY o.id DESC LIMIT 1 FOR UPDATE OF o")
    return holder


def short_writes_while_applying(results: dict, user) -> None:
    """While a large write is applying, a login-like save passes, readers see only the old values, and another
    write of observations is told to retry (SQLite)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from obserwatorium.lock_errors import is_retryable_lock_error

    _write("big", _big_rows(0.0), "big-initial.csv", chunk=CHUNK, user=user)
    old = _visible_big()
    # New values of the first half, then the changed ones: both kinds land while the batch is applying.
    rows = [(u, str(year - 100), float(year), "final") for year in BIG_YEARS for u in range(UNITS)] + _big_rows(1.0)
    outcome: dict = {}
    holder = _hold_one_row() if connection.vendor == "postgresql" else None

    def run() -> None:
        try:
            written = _write("big", rows, "big-update.csv", chunk=CHUNK, user=user)
            outcome["counts"] = [written.counts.inserted, written.counts.updated, written.counts.unchanged]
        except Exception as error:  # reported, not raised: the scenario asserts on it
            outcome["error"] = repr(error)
        finally:
            connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    try:
        if holder is None:
            results["caught_applying"] = _wait_until(lambda: _hidden_rows() > 0)
        else:
            results["caught_applying"] = _wait_until(_import_waits_on_lock)
        get_user_model().objects.create_user("reader", password="correct horse battery")
        results["short_write"] = "ok"
        results["readers_see_old"] = _visible_big() == old
        results["hidden_rows_meanwhile"] = _hidden_rows() if holder is None else None
        try:
            _write("big", [(0, "2100", 1.0, "final")], "one.csv", chunk=CHUNK, user=user)
            results["observation_write"] = "ok"
        except Exception as error:
            results["observation_write"] = "busy" if is_retryable_lock_error(error) else repr(error)
    finally:
        if holder is not None:
            holder.rollback()
            holder.close()
        worker.join(300)
    results["big_outcome"] = outcome
    results["big_after"] = _visible_big()[0] == sorted(
        [(_ids()[1][u], p, v) for u, p, v, _f in rows] + ([(_ids()[1][0], "2100", 1.0)]
                                                          if results["observation_write"] == "ok" else []))


def killed_mid_apply(results: dict) -> None:
    """SQLite: a process killed while its batch is applying; `rollback_imports` removes what it left."""
    from django.core.management import call_command
    from django.db import connection

    from obserwatorium.indicators.models import BatchStatus, ImportBatch
    from obserwatorium.lock_errors import is_retryable_lock_error

    if connection.vendor != "sqlite":
        return
    before, seen = raw_state(), _visible_big()
    child = subprocess.Popen([sys.executable, "-m", "tests.indicators.chunked_apply_scenario", "child"],
                             env=os.environ.copy())
    try:
        results["killed_caught_applying"] = _wait_until(lambda: _hidden_rows() > 0)
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
    results["killed_readers_see_old"] = _visible_big() == seen
    try:
        _write("big", [(1, "2100", 1.0, "final")], "after-kill.csv", chunk=CHUNK)
        results["killed_then_write"] = "ok"
    except Exception as error:
        results["killed_then_write"] = "busy" if is_retryable_lock_error(error) else repr(error)
    call_command("rollback_imports", stdout=open(os.devnull, "w"))  # noqa: SIM115
    results["killed_rolled_back_raw_same"] = raw_state() == before
    results["killed_batch_status"] = list(ImportBatch.objects.filter(file_name="killed.csv")
                                          .values_list("status", flat=True))
    _write("big", [(1, "2100", 1.0, "final")], "after-rollback.csv", chunk=CHUNK)
    results["written_after_rollback"] = ImportBatch.objects.get(file_name="after-rollback.csv").status == \
        BatchStatus.APPLIED


def child() -> None:
    """The process to be killed: rewrites every value of `big` in chunks."""
    _setup(migrate=False)
    _write("big", _big_rows(7.0), "killed.csv", chunk=2)


def _setup(*, migrate: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
    import django
    from django.core.management import call_command

    django.setup()
    if migrate:
        call_command("migrate", verbosity=0)


def data_version_of_a_chunked_write(results: dict, user) -> None:
    """The data version a write in chunks moves on (its values become current after the chunks' commits)."""
    from obserwatorium.dataversion.models import EVERY_FIGURE
    from obserwatorium.dataversion.selectors import data_version, figures_versions
    from obserwatorium.indicators.models import Domain, Indicator

    Indicator.objects.create(code="version", domain=Domain.objects.get(code="chunks"), name_pl="Wersja",
                             name_en="Version")
    before, figures = data_version().counter, figures_versions()
    _write("version", [(u, "1899", 1.0, "final") for u in range(UNITS)], "version.csv", chunk=3, user=user)
    results["chunked_write_bumped_version"] = data_version().counter > before
    after = figures_versions()
    # The figures of the written indicator only: every other figure stays kept (#15).
    results["chunked_write_bumped_figures_of"] = sorted(
        "every figure" if scope == EVERY_FIGURE else Indicator.objects.get(pk=scope).code
        for scope in set(figures) | set(after) if figures.get(scope) != after.get(scope))


def main() -> None:
    _setup(migrate=True)
    from django.contrib.auth import get_user_model
    from django.db import connection

    _catalogue()
    user = get_user_model().objects.create_user("importer", password="correct horse battery")
    results: dict = {"engine": connection.vendor}
    data_version_of_a_chunked_write(results, user)
    twins_end_state(results, user)
    failure_between_chunks(results, user)
    short_writes_while_applying(results, user)
    killed_mid_apply(results)
    print(json.dumps(results))


if __name__ == "__main__":
    child() if sys.argv[1:] == ["child"] else main()
