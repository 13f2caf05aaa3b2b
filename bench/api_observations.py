"""Response times of /api/observations for one indicator across all units, on the preset and at national scale.

Builds a throw-away database (a temporary SQLite file by default; with OBS_DATABASE_URL set, a separate
`bench_api_observations` database on that PostgreSQL server), loads the Kraków preset with its demo data and
then a synthetic national-scale set (UNITS gminy x YEARS years x INDICATORS indicators) through the product's
bulk write path, and times the API in-process with Django's test client (no network in the figures).

    python bench/api_observations.py [--units 2477] [--years 20] [--indicators 25] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2477, help="synthetic gminy (Poland has 2,477)")
    parser.add_argument("--years", type=int, default=20, help="years per unit and indicator")
    parser.add_argument("--indicators", type=int, default=25, help="synthetic indicators (one of them is timed)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement")
    return parser.parse_args()


def _timed(label: str, repeat: int, run: Callable[[], int]) -> None:
    """Run `run` (which returns a size) `repeat` times after one warm-up; print median and best."""
    size = run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    print(f"  {label:<62} median {statistics.median(times):8.1f} ms   best {min(times):8.1f} ms   {size:>10,}")


def _synthetic_units(count: int) -> Iterator[tuple[str, str]]:
    """Distinct 7-digit TERYT-shaped codes (odd voivodeship digits, which real codes never use)."""
    for i in range(count):
        voivodeship, powiat, gmina, kind = 1 + 2 * (1 + i // 160), 1 + (i % 160) // 10, 1 + i % 10, 1 + i % 3
        yield f"{voivodeship:02d}{powiat:02d}{gmina:02d}{kind}", f"Gmina {i + 1}"


def _load_synthetic(*, units: int, years: int, indicators: int) -> str:
    """Units, indicators and values of the national-scale set; returns the code of the timed indicator."""
    from obserwatorium.indicators.bulk import ObservationRow
    from obserwatorium.indicators.models import BatchKind, Domain, Flag, ImportBatch, Indicator
    from obserwatorium.indicators.services import write_observations
    from obserwatorium.territory.models import GminaType, Level, Unit

    kinds = [GminaType.URBAN, GminaType.RURAL, GminaType.URBAN_RURAL]
    Unit.objects.bulk_create([Unit(teryt=teryt, name=name, slug=f"bench-{teryt}", level=Level.GMINA,
                                   gmina_type=kinds[int(teryt[-1]) - 1]) for teryt, name in _synthetic_units(units)])
    domain = Domain.objects.create(code="bench", name_pl="Bench", name_en="Bench", order=99)
    Indicator.objects.bulk_create([Indicator(code=f"bench-{k:03d}", domain=domain, name_pl=f"Bench {k}",
                                             name_en=f"Bench {k}", order=k) for k in range(indicators)])
    unit_ids = list(Unit.objects.filter(slug__startswith="bench-").values_list("id", flat=True))
    indicator_ids = list(Indicator.objects.filter(domain=domain).values_list("id", flat=True))
    first_year = 2024 - years
    rows = (ObservationRow(indicator_id, unit_id, str(year), (unit_id * 7919 + year * 31 + indicator_id) % 100_000 / 10,
                           Flag.FINAL)
            for indicator_id in indicator_ids for unit_id in unit_ids for year in range(first_year, 2024))
    start = time.perf_counter()
    outcome = write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="synthetic benchmark set"),
                                 rows=rows)
    elapsed = time.perf_counter() - start
    print(f"  loaded {outcome.counts.inserted:,} synthetic observations in {elapsed:.1f} s "
          f"({outcome.counts.inserted / elapsed:,.0f} rows/s)")
    return f"bench-{indicators // 2:03d}"


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # Fresh statistics; on PostgreSQL VACUUM also sets the visibility map that index-only scans need.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _explain(code: str) -> None:
    from obserwatorium.indicators.api import observation_query
    from obserwatorium.indicators.params import ObservationFilters
    from obserwatorium.indicators.selectors import OBSERVATION_COLUMNS

    query = observation_query(ObservationFilters(indicator=[code])).values_list(*OBSERVATION_COLUMNS)[:10_000]
    print("  plan of the page query:")
    for line in query.explain().splitlines():
        print(f"    {line}")


def _measure(client, code: str, repeat: int, units: int) -> None:
    def get(url: str) -> Callable[[], int]:
        def run() -> int:
            response = client.get(url)
            assert response.status_code == 200, response.content[:500]
            return len(b"".join(response.streaming_content) if response.streaming else response.content)
        return run

    def raw_rows() -> int:
        from obserwatorium.indicators.api import observation_query
        from obserwatorium.indicators.params import ObservationFilters
        from obserwatorium.indicators.selectors import OBSERVATION_COLUMNS

        query = observation_query(ObservationFilters(indicator=[code]))
        return len(list(query.values_list(*OBSERVATION_COLUMNS)))

    count = client.get(f"/api/observations?indicator={code}&page_size=1").json()["count"]
    last = -(-count // 10_000)
    print(f"  indicator {code}: {count:,} observations; sizes below are rows or response bytes")
    _timed("query only: every row of the indicator (values_list)", repeat, raw_rows)
    _timed("GET /api/observations?indicator=…&page_size=10000 (page 1)", repeat,
           get(f"/api/observations?indicator={code}&page_size=10000"))
    if last > 1:
        _timed(f"GET … &page_size=10000&page={last} (last page)", repeat,
               get(f"/api/observations?indicator={code}&page_size=10000&page={last}"))
    _timed("GET /api/observations.csv?indicator=… (every row, streamed)", repeat,
           get(f"/api/observations.csv?indicator={code}"))
    unit = client.get(f"/api/observations?indicator={code}&page_size=1").json()["items"][0]["teryt"]
    _timed("GET /api/observations?indicator=…&unit=… (one unit, all years)", repeat,
           get(f"/api/observations?indicator={code}&unit={unit}"))


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
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    test_name = (str(Path(scratch.name) / "bench.sqlite3") if connection.vendor == "sqlite"
                 else "bench_api_observations")
    connection.settings_dict.setdefault("TEST", {})["NAME"] = test_name
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"database: {connection.vendor} ({test_name})")
        call_command("preset", "load", "krakow", stdout=io.StringIO())
        call_command("preset", "demo", "krakow", stdout=io.StringIO())
        _analyze()
        client = Client()
        print("Kraków preset with demo data (15 members):")
        _measure(client, "population", args.repeat, 15)
        print(f"national scale: {args.units:,} units x {args.years} years x {args.indicators} indicators:")
        code = _load_synthetic(units=args.units, years=args.years, indicators=args.indicators)
        _analyze()
        _explain(code)
        _measure(client, code, args.repeat, args.units)
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
        scratch.cleanup()


if __name__ == "__main__":
    main()
