"""The Strategy 2030 monitoring report as PDF: building the document, the charts, and typst alone (the floor).

    python -m bench.report_monitoring --repeat 3

A scratch database with the Kraków preset and its demo data; prints the median of each step: reading the targets,
their series and the strategy tree into the document model, the whole PDF (charts by vl-convert + typst), and
compiling the same typst project again with its charts already written (the floor the PDF cannot go below).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import tempfile
import time
from pathlib import Path


def _median(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--year", type=int, default=2022)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
    os.environ.setdefault("OBS_SECRET_KEY", "benchmark-only-not-secret")
    scratch = tempfile.TemporaryDirectory(prefix="obs-bench-")
    os.environ.setdefault("OBS_DATA_DIR", scratch.name)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from obserwatorium.reports.monitoring import build_monitoring
    from obserwatorium.reports.render_pdf import compile_pdf, render_pdf, write_sources

    test_name = (str(Path(scratch.name) / "bench.sqlite3") if connection.vendor == "sqlite"
                 else "bench_report_monitoring")
    connection.settings_dict.setdefault("TEST", {})["NAME"] = test_name
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("preset", "load", "krakow", stdout=io.StringIO())
        call_command("preset", "demo", "krakow", stdout=io.StringIO())
        print(f"database: {connection.vendor}; monitoring report {args.year}, median of {args.repeat}")
        for language in ("pl", "en"):
            report = build_monitoring(year=args.year, language=language)
            charts = sum(len(s.charts) for s in report.walk())
            build = _median(lambda language=language: build_monitoring(year=args.year, language=language),
                            args.repeat)
            pdf = _median(lambda report=report: render_pdf(report), args.repeat)
            with tempfile.TemporaryDirectory() as folder:
                main_file = write_sources(report, Path(folder))
                floor = _median(lambda main_file=main_file: compile_pdf(main_file), args.repeat)
            print(f"  {language}: document {build:.2f} s · PDF {pdf:.2f} s ({charts} charts) · "
                  f"typst alone (floor) {floor:.2f} s")
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
        scratch.cleanup()


if __name__ == "__main__":
    main()
