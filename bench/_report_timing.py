"""What the report benches share: a scratch database with the Kraków preset and its demo data, then per language
the median of building the document, of the whole PDF (charts + typst), and of typst alone on the same sources
(the floor the PDF cannot go below)."""

from __future__ import annotations

import argparse
import importlib
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _median(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(*, description: str, label: str, builder: str, database: str) -> None:
    """Time the report made by `builder` ("module:function", called as `(year=, language=)`) for --year."""
    parser = argparse.ArgumentParser(description=description)
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

    from obserwatorium.reports.render_pdf import compile_pdf, render_pdf, typst_sources

    module, name = builder.split(":")
    build_report = getattr(importlib.import_module(module), name)
    test_name = str(Path(scratch.name) / "bench.sqlite3") if connection.vendor == "sqlite" else database
    connection.settings_dict.setdefault("TEST", {})["NAME"] = test_name
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("preset", "load", "krakow", stdout=io.StringIO())
        call_command("preset", "demo", "krakow", stdout=io.StringIO())
        print(f"database: {connection.vendor}; {label} {args.year}, median of {args.repeat}")
        for language in ("pl", "en"):
            report = build_report(year=args.year, language=language)
            charts = sum(len(s.charts) for s in report.walk())
            build = _median(lambda language=language: build_report(year=args.year, language=language), args.repeat)
            pdf = _median(lambda report=report: render_pdf(report), args.repeat)
            template, inputs = typst_sources(report)
            floor = _median(lambda template=template, inputs=inputs: compile_pdf(template, inputs), args.repeat)
            print(f"  {language}: document {build:.2f} s · PDF {pdf:.2f} s ({charts} charts) · "
                  f"typst alone (floor) {floor:.2f} s")
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
        scratch.cleanup()
