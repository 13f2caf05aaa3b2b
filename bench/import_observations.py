"""Import rows/s: read, check and write N synthetic observations from CSV (long and wide) into a fresh database.

    python -m bench.import_observations --rows 1000000
    OBS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.import_observations

SQLite runs in a temporary data folder; with OBS_DATABASE_URL a fresh database is created on that server
(and dropped afterwards unless --keep). Synthetic units and indicators are created first and not timed.

The baseline, measured first in the same run: the same N new values, already parsed (ids resolved, floats), written
straight into a table shaped like the observations (its columns, indexes and unique key) by `executemany`
(SQLite) or `COPY` (PostgreSQL), and committed. The first file's import is printed as a share of its rate
(issue #15: at least 50 %).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

YEARS = 20


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="observations per file (default 1,000,000)")
    parser.add_argument("--indicators", type=int, default=20, help="synthetic indicators (default 20)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    return parser.parse_args(argv)


@contextmanager
def fresh_database(keep: bool):
    """Point the settings at an empty database of the engine OBS_DATABASE_URL selects (SQLite when unset)."""
    url = os.environ.get("OBS_DATABASE_URL", "")
    os.environ.setdefault("OBS_SECRET_KEY", "benchmark-only")
    if not url:
        with tempfile.TemporaryDirectory(prefix="obs-bench-") as folder:
            os.environ["OBS_DATA_DIR"] = folder
            yield "sqlite"
        return
    import psycopg

    parts = urlsplit(url)
    name = f"obs_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    os.environ["OBS_DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    os.environ.setdefault("OBS_DATA_DIR", tempfile.mkdtemp(prefix="obs-bench-"))
    try:
        yield "postgresql"
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name}")


def create_catalogue(units: int, indicators: int) -> tuple[list[str], list[str]]:
    """Synthetic gminy and indicators (bulk-created; not part of the measurement)."""
    from obserwatorium.indicators.models import Domain, Indicator
    from obserwatorium.territory.models import GminaType, Level, Unit

    domain = Domain.objects.create(code="bench", name_pl="Test", name_en="Benchmark")
    Indicator.objects.bulk_create(
        Indicator(code=f"bench-{i}", domain=domain, name_pl=f"Wskaźnik {i}", name_en=f"Indicator {i}",
                  min_value=0) for i in range(indicators))
    teryts = [f"{20 + u // 9000:02d}{u // 9 % 1000:03d}{u % 9 + 1}1" for u in range(units)]
    Unit.objects.bulk_create(
        Unit(teryt=t, name=f"Gmina {t}", slug=f"g-{t}", level=Level.GMINA, gmina_type=GminaType.RURAL)
        for t in teryts)
    return teryts, [f"bench-{i}" for i in range(indicators)]


def long_csv(teryts: list[str], codes: list[str], rows: int, shift: float = 0.0) -> bytes:
    """`teryt;indicator;period;value` with decimal commas, as an office spreadsheet saves it."""
    lines = ["teryt;indicator;period;value"]
    count = 0
    for code in codes:
        for year in range(2000, 2000 + YEARS):
            for index, teryt in enumerate(teryts):
                if count == rows:
                    return ("\n".join(lines) + "\n").encode("utf-8")
                value = f"{(index * 7919 + year * 31) % 100000 / 100 + shift:.2f}".replace(".", ",")
                lines.append(f"{teryt};{code};{year};{value}")
                count += 1
    return ("\n".join(lines) + "\n").encode("utf-8")


def wide_csv(teryts: list[str], codes: list[str], rows: int) -> bytes:
    """A wide file in Windows-1250 (`Kod;Nazwa;wskaźnik;"ogółem;2000;[osoba]";…`), one column per year."""
    header = '"Kod";"Nazwa";"wskaźnik";' + ";".join(f'"ogółem;{2000 + y};[osoba]"' for y in range(YEARS)) + ";"
    lines = [header]
    for code in codes:
        for index, teryt in enumerate(teryts):
            if (len(lines) - 1) * YEARS >= rows:
                break
            values = ";".join(str((index * 7919 + y) % 100000) for y in range(YEARS))
            lines.append(f'{teryt};"Gmina {teryt} (2)";{code};{values};')
    return ("\n".join(lines) + "\n").encode("cp1250")


def raw_baseline(teryts: list[str], codes: list[str], rows: int) -> float:
    """Rows/s of the floor: the values of `long_csv` written by executemany or COPY into a copy of the table."""
    from django.db import connection, transaction

    from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation
    from obserwatorium.territory.models import Unit

    table = Observation._meta.db_table
    batch = ImportBatch.objects.create(kind=BatchKind.UPLOAD, file_name="raw baseline")
    unit_ids = dict(Unit.objects.filter(teryt__in=teryts).values_list("teryt", "id"))
    indicator_ids = dict(Indicator.objects.filter(code__in=codes).values_list("code", "id"))
    values = []
    for code in codes:
        for year in range(2000, 2000 + YEARS):
            for index, teryt in enumerate(teryts):
                if len(values) == rows:
                    break
                values.append((indicator_ids[code], unit_ids[teryt], str(year),
                               (index * 7919 + year * 31) % 100000 / 100, Flag.FINAL.value, batch.pk))
    columns = "indicator_id, unit_id, period, value, flag, batch_id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE bench_raw (LIKE {table} INCLUDING ALL)")
        else:
            cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL "
                           "ORDER BY type DESC", [table])  # the table first, then its indexes
            for kind, name, sql in cursor.fetchall():
                sql = sql.replace(f'"{table}"', '"bench_raw"')
                cursor.execute(sql if kind == "table" else sql.replace(f'"{name}"', f'"bench_raw_{name}"', 1))
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY bench_raw ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO bench_raw ({columns}) VALUES (%s, %s, %s, %s, %s, %s)", values)
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw")
    batch.delete()
    how = "COPY" if connection.vendor == "postgresql" else "executemany"
    print(f"{'baseline: raw ' + how:<28} {len(values):>9,} values {'':>9} {seconds:7.2f} s "
          f"{len(values) / seconds:>10,.0f} rows/s  (parsed already; into a copy of the table, committed)",
          flush=True)
    return len(values) / seconds


def measure(label: str, content: bytes, **options) -> dict:
    """Import once, timing each stage; returns the figures."""
    from obserwatorium.ingest.services import ImportOptions, Progress, import_observations

    marks: list[tuple[str, float]] = []

    class Timer(Progress):
        def stage(self, text: str) -> None:
            marks.append((text, time.perf_counter()))

    start = time.perf_counter()
    outcome = import_observations(content=content, file_name=f"{label}.csv", office=True,
                                  options=ImportOptions(**options), progress=Timer())
    end = time.perf_counter()
    if not outcome.ok:
        raise SystemExit(f"{label}: {outcome.problems[:5]}")
    stages = dict(zip([m[0] for m in marks], [b[1] - a[1] for a, b in zip(marks, [*marks[1:], ("", end)],
                                                                          strict=True)], strict=True))
    figures = {"label": label, "values": outcome.values, "seconds": end - start,
               "rows_per_s": outcome.values / (end - start), "counts": outcome.counts, "stages": stages,
               "megabytes": len(content) / 1e6}
    print(f"{label:<28} {outcome.values:>9,} values {figures['megabytes']:6.1f} MB {end - start:7.2f} s "
          f"{figures['rows_per_s']:>10,.0f} rows/s  (read {stages.get('reading', 0):.2f} s, "
          f"check {stages.get('checking', 0):.2f} s, write {stages.get('writing', 0):.2f} s; "
          f"inserted {outcome.counts.inserted:,}, changed {outcome.counts.updated:,})", flush=True)
    return figures


def main(argv: list[str] | None = None) -> None:
    """Run the import benchmark on the engine OBS_DATABASE_URL selects."""
    args = _parse_args(argv)
    units = -(-args.rows // (args.indicators * YEARS))
    with fresh_database(args.keep) as engine:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        teryts, codes = create_catalogue(units, args.indicators)
        print(f"engine {engine}; {args.rows:,} rows = {units:,} units × {args.indicators} indicators × "
              f"{YEARS} years; Python {platform.python_version()}, {os.cpu_count()} cores", flush=True)
        raw = raw_baseline(teryts, codes, args.rows)
        first = long_csv(teryts, codes, args.rows)
        new = measure("long CSV, all new", first)
        print(f"{'':<28} the import of new values at {new['rows_per_s'] / raw:.0%} of the raw rate "
              "(target: at least 50 %)", flush=True)
        measure("long CSV, unchanged", first)
        del first
        measure("long CSV, all changed", long_csv(teryts, codes, args.rows, shift=1.0))
        measure("wide CSV (1250)", wide_csv(teryts, codes, args.rows))


if __name__ == "__main__":
    main(sys.argv[1:])
