"""Memory of one large import: `obserwatorium import FILE` of N synthetic observations (default 25M), as a user
runs it, with the resident memory of its processes (the command and its parsing worker) sampled while it runs.

    nice python -m bench.import_memory [--rows 25000000] [--indicators 50]
    OBS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.import_memory --rows 5000000

The database is fresh (as `bench.import_observations`: a temporary SQLite folder, or a database of its own on
the PostgreSQL server OBS_DATABASE_URL names, dropped afterwards); synthetic gminy and indicators are created
first. The file is a long CSV (`teryt;indicator;period;value`, decimal commas), written to disk in a stream. The
target (issue #15): the import of 25M rows stays under 2 GB. Printed: the peak of the summed resident memory of
the command and its children (sampled every 0.2 s), the largest single process (the kernel's own peak of every
descendant, `RUSAGE_CHILDREN`), the time and the rows per second.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.import_observations import YEARS, create_catalogue, fresh_database

TARGET_MB = 2048
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=25_000_000, help="observations in the file (default 25M)")
    parser.add_argument("--indicators", type=int, default=50, help="synthetic indicators (default 50)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    return parser.parse_args(argv)


def write_csv(path: Path, teryts: list[str], codes: list[str], rows: int) -> int:
    """The long CSV of `bench.import_observations.long_csv`, streamed to `path`; returns its size in bytes."""
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("teryt;indicator;period;value\n")
        for code in codes:
            for year in range(2000, 2000 + YEARS):
                lines = []
                for index, teryt in enumerate(teryts):
                    if count == rows:
                        break
                    value = f"{(index * 7919 + year * 31) % 100000 / 100:.2f}".replace(".", ",")
                    lines.append(f"{teryt};{code};{year};{value}\n")
                    count += 1
                out.writelines(lines)
    return path.stat().st_size


def _tree(root: int) -> list[int]:
    """`root` and every process below it (from /proc)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(parents.get(pid, []))
    return found


def _resident_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total * PAGE_KB / 1024


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    units = -(-args.rows // (args.indicators * YEARS))
    with fresh_database(args.keep) as engine, tempfile.TemporaryDirectory(prefix="obs-bench-file-") as folder:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        call_command("migrate", verbosity=0)
        teryts, codes = create_catalogue(units, args.indicators)
        connections.close_all()
        path = Path(folder) / "national.csv"
        size = write_csv(path, teryts, codes, args.rows)
        print(f"engine {engine}; {args.rows:,} rows = {units:,} units × {args.indicators} indicators × {YEARS} years;"
              f" file {size / 1e6:,.0f} MB; load average {os.getloadavg()[0]:.1f}", flush=True)
        command = [sys.executable, "-m", "obserwatorium.cli", "import", str(path), "--source", "benchmark",
                   "--retrieved", "2026-12-01"]
        start = time.perf_counter()
        process = subprocess.Popen(command, env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True)
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, _resident_mb(_tree(process.pid)))
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        output = process.stdout.read() if process.stdout else ""
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        if process.returncode != 0:
            raise SystemExit(f"the import failed ({process.returncode}):\n{output[-3000:]}")
        print(output.strip().splitlines()[-1] if output.strip() else "", flush=True)
        print(f"{'import':<10} {seconds:8.1f} s {args.rows / seconds:>10,.0f} rows/s", flush=True)
        print(f"{'memory':<10} peak of the processes together {peak:,.0f} MB; largest process {largest:,.0f} MB; "
              f"target under {TARGET_MB:,} MB: {'met' if peak < TARGET_MB else 'NOT met'}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
