"""Municipality cards as PDF: the 15 members together, one card, and cards at national scale, each beside the
time of compiling the same typst sources alone (the floor).

    python -m bench.report_card [--units 2477] [--sample N] [--repeat 3]

A scratch database (SQLite; with OBS_DATABASE_URL a `bench_report_card` database) with the Kraków preset and its
demo data, then a synthetic national-scale set through the product's write path (`write_observations`): UNITS
gminy × YEARS years × INDICATORS indicators, HEADLINES of them headline indicators (the ones a card shows).
`--sample N` makes the cards of N of the national gminy and extrapolates to all of them (said so in the output).
Targets: the 15 members ≤ 15 s together, one card ≤ 0.3 s, all 2,477 gminy ≤ 10 minutes.
"""

from __future__ import annotations

import argparse
import datetime
import io
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2477, help="synthetic gminy (Poland has 2,477)")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--headlines", type=int, default=12)
    parser.add_argument("--sample", type=int, default=0, help="cards of this many national gminy (0: all)")
    parser.add_argument("--repeat", type=int, default=3)
    return parser.parse_args()


def _load_national(*, units: int, years: int, indicators: int, headlines: int) -> list[str]:
    from bench.api_observations import _synthetic_units
    from obserwatorium.indicators.bulk import ObservationRow
    from obserwatorium.indicators.models import BatchKind, Domain, Flag, ImportBatch, Indicator
    from obserwatorium.indicators.services import write_observations
    from obserwatorium.territory.models import GminaType, Level, Unit

    kinds = [GminaType.URBAN, GminaType.RURAL, GminaType.URBAN_RURAL]
    codes = list(_synthetic_units(units))
    Unit.objects.bulk_create([Unit(teryt=teryt, name=name, slug=f"bench-{teryt}", level=Level.GMINA,
                                   gmina_type=kinds[int(teryt[-1]) - 1]) for teryt, name in codes])
    domain = Domain.objects.create(code="bench", name_pl="Bench", name_en="Bench", order=99)
    Indicator.objects.bulk_create([
        Indicator(code=f"bench-{k:03d}", domain=domain, name_pl=f"Wskaźnik {k}", name_en=f"Indicator {k}", order=k,
                  headline=k < headlines, aggregation="population_weighted_mean" if k % 2 else "sum",
                  unit_pl="os.", unit_en="pers.") for k in range(indicators)])
    unit_ids = list(Unit.objects.filter(slug__startswith="bench-").values_list("id", flat=True))
    indicator_ids = list(Indicator.objects.filter(domain=domain).values_list("id", flat=True))
    rows = (ObservationRow(i, u, str(year), (u * 7919 + year * 31 + i) % 100_000 / 10, Flag.FINAL)
            for i in indicator_ids for u in unit_ids for year in range(2024 - years, 2024))
    start = time.perf_counter()
    outcome = write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="synthetic benchmark set"),
                                 rows=rows)
    elapsed = time.perf_counter() - start
    print(f"  loaded {outcome.counts.inserted:,} observations of {units:,} gminy in {elapsed:.1f} s")
    return [teryt for teryt, _name in codes]


_RUNS = itertools.count()


def _cards(teryts: list[str], language: str = "pl", workers: int | None = None) -> tuple[float, float, int]:
    """Seconds for the PDFs of these cards (one batch read; typeset in a pool of one process per core when the
    batch is large enough, `workers=1`: in this process), and for compiling their typst sources alone, one after
    the other in this process (the floor).

    Each run dates its cards a day earlier than the one before, so no PDF is the same as one typst made before in
    the process (typst would hand it out from its cache)."""
    from obserwatorium.reports.card import build_card
    from obserwatorium.reports.gmina import key_indicators, prepare
    from obserwatorium.reports.render_pdf import compile_pdf, render_pdfs, typst_sources

    today = datetime.date(2030, 1, 1) - datetime.timedelta(days=next(_RUNS))
    start = time.perf_counter()
    batch = prepare(teryts=teryts, compared=key_indicators())
    reports = (build_card(teryt=t, language=language, batch=batch, today=today) for t in teryts)
    count = sum(len(pdf) > 0 for pdf in render_pdfs(reports, workers=workers))
    total = time.perf_counter() - start
    today -= datetime.timedelta(days=10_000)  # sources typst has not compiled yet
    sources = [typst_sources(build_card(teryt=t, language=language, batch=batch, today=today)) for t in teryts]
    start = time.perf_counter()
    for template, inputs in sources:
        compile_pdf(template, inputs)
    floor = time.perf_counter() - start
    return total, floor, count


def main() -> None:
    args = _arguments()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
    os.environ.setdefault("OBS_SECRET_KEY", "benchmark-only-not-secret")
    scratch = tempfile.TemporaryDirectory(prefix="obs-bench-")
    os.environ.setdefault("OBS_DATA_DIR", scratch.name)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from obserwatorium.indicators.selectors import comparison_units
    from obserwatorium.reports.render_pdf import POOL_MIN

    test_name = str(Path(scratch.name) / "bench.sqlite3") if connection.vendor == "sqlite" else "bench_report_card"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = test_name
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        call_command("preset", "load", "krakow", stdout=io.StringIO())
        call_command("preset", "demo", "krakow", stdout=io.StringIO())
        print(f"database: {connection.vendor}")
        members = [m.teryt for m in comparison_units()]
        cores = os.cpu_count() or 1
        print(f"  machine: {cores} core(s), load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
        _cards(members[-1:], workers=1)  # warm-up: vl-convert and typst start once per process
        total, floor, count = _cards(members)
        print(f"  the {count} members' cards (PDF, in this process: fewer than {POOL_MIN} cards): {total:.2f} s "
              f"(target ≤ 15 s) · typst alone (floor) {floor:.2f} s")
        times, floors = [], []
        for number in range(args.repeat):  # a different card each time: typst would return a repeated one cached
            one, one_floor, _n = _cards(members[number % len(members): number % len(members) + 1])
            times.append(one)
            floors.append(one_floor)
        print(f"  one card (batch read, document and PDF), median of {args.repeat}: {statistics.median(times):.3f} s "
              f"(target ≤ 0.3 s) · typst alone {statistics.median(floors):.3f} s")
        national = _load_national(units=args.units, years=args.years, indicators=args.indicators,
                                  headlines=args.headlines)
        chosen = national[: args.sample] if args.sample else national
        print(f"  national cards: typeset in {cores if len(chosen) >= POOL_MIN else 1} process(es)")
        total, floor, count = _cards(chosen)
        if len(chosen) == len(national):
            print(f"  cards of all {count:,} national gminy: {total:.1f} s (target ≤ 600 s) · "
                  f"typst alone {floor:.1f} s")
        else:
            scale = len(national) / len(chosen)
            print(f"  cards of a sample of {count:,} of {len(national):,} national gminy: {total:.1f} s · typst alone "
                  f"{floor:.1f} s; extrapolated to all (linear in the cards, the sample's batch read scaled with "
                  f"them): {total * scale:.0f} s (target ≤ 600 s) · typst alone {floor * scale:.0f} s")
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
        scratch.cleanup()


if __name__ == "__main__":
    main()
