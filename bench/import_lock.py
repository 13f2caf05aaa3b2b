"""Lock hold of a large import: the longest a concurrent short write waits while N observations are imported.

    python -m bench.import_lock --rows 1000000
    OBS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.import_lock

A probe thread on its own connection makes a short write every 20 ms during the import (SQLite: a row into a
scratch table, which needs the database's one write lock; PostgreSQL: an update of one observation the import
also changes, which waits for that row's lock) and records how long each waited. The longest wait is the time
the import kept short writers out. Database set-up as in bench.import_observations.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time

from bench.import_observations import create_catalogue, fresh_database, long_csv

YEARS = 20


class Probe(threading.Thread):
    """Short writes on a second connection; keeps the longest wait and when it happened."""

    def __init__(self, write, close):
        super().__init__(daemon=True)
        self.write, self.close = write, close
        self.stop = threading.Event()
        self.waits: list[float] = []

    def run(self) -> None:
        while not self.stop.is_set():
            start = time.perf_counter()
            self.write()
            self.waits.append(time.perf_counter() - start)
            time.sleep(0.02)
        self.close()


def sqlite_probe(path: str) -> Probe:
    import sqlite3

    probe_connection = sqlite3.connect(path, timeout=3600, isolation_level=None, check_same_thread=False)
    probe_connection.execute("CREATE TABLE IF NOT EXISTS bench_probe (at real)")

    def write() -> None:
        probe_connection.execute("BEGIN IMMEDIATE")
        probe_connection.execute("INSERT INTO bench_probe VALUES (?)", [time.time()])
        probe_connection.execute("COMMIT")

    return Probe(write, probe_connection.close)


def postgresql_probe(settings: dict, observation_id: int) -> Probe:
    import psycopg

    probe_connection = psycopg.connect(dbname=settings["NAME"], user=settings.get("USER") or "postgres",
                                       host=settings.get("HOST") or "127.0.0.1", port=settings.get("PORT") or 5432,
                                       autocommit=True)
    probe_connection.execute("SET lock_timeout = 0")
    probe_connection.execute("SET statement_timeout = 0")

    def write() -> None:
        probe_connection.execute("UPDATE indicators_observation SET flag = flag WHERE id = %s", [observation_id])

    return Probe(write, probe_connection.close)


def measure(label: str, content: bytes, probe: Probe) -> None:
    from obserwatorium.ingest.services import import_observations

    probe.start()
    start = time.perf_counter()
    outcome = import_observations(content=content, file_name=f"{label}.csv", office=True)
    seconds = time.perf_counter() - start
    time.sleep(0.2)
    probe.stop.set()
    probe.join()
    if not outcome.ok:
        raise SystemExit(f"{label}: {outcome.problems[:5]}")
    waits = sorted(probe.waits)
    print(f"{label:<26} {outcome.values:>9,} values, import {seconds:6.1f} s; {len(waits)} short writes, "
          f"longest wait {waits[-1]:6.2f} s, median {waits[len(waits) // 2] * 1000:5.1f} ms", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Run the lock-hold benchmark on the engine OBS_DATABASE_URL selects."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="observations per file (default 1,000,000)")
    parser.add_argument("--indicators", type=int, default=20, help="synthetic indicators (default 20)")
    args = parser.parse_args(argv)
    units = -(-args.rows // (args.indicators * YEARS))
    with fresh_database(keep=False) as engine:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
        import django
        from django.core.management import call_command
        from django.db import connection

        django.setup()
        call_command("migrate", verbosity=0)
        teryts, codes = create_catalogue(units, args.indicators)
        print(f"engine {engine}; {args.rows:,} rows = {units:,} units × {args.indicators} indicators × {YEARS} "
              f"years", flush=True)
        settings = connection.settings_dict

        def probe() -> Probe:
            if engine == "sqlite":
                return sqlite_probe(settings["NAME"])
            from obserwatorium.indicators.models import Observation

            return postgresql_probe(settings, Observation.objects.order_by("id").values_list("id", flat=True)[0])

        if engine == "sqlite":
            measure("long CSV, all new", long_csv(teryts, codes, args.rows), probe())
        else:  # the probe needs a row the import changes
            from bench.import_observations import measure as plain_import

            plain_import("long CSV, all new", long_csv(teryts, codes, args.rows))
        measure("long CSV, all changed", long_csv(teryts, codes, args.rows, shift=1.0), probe())
        connection.close()


if __name__ == "__main__":
    main(sys.argv[1:])
