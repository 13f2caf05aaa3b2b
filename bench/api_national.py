"""API reads at national shape, side by side: raw SQL, the product cold, the product cached, and over HTTP.

Builds (or reuses: it resumes where a previous run stopped) a national-shape dataset through the product's bulk
write path (`write_observations`, one batch per indicator): 2,477 gminy x INDICATORS x 20 years, in
DATA_DIR (SQLite; OBS_DATABASE_URL selects PostgreSQL instead). Then, over CASES random (indicator, year) pairs,
"one indicator, one year, all gminy" (`/api/observations?indicator=…&period_from=Y&period_to=Y&page_size=2500`):

- raw SQL: the page's query through a cursor (rows fetched, nothing encoded);
- product cold: in-process (Django test client), the cache emptied before each request;
- product cached: in-process, the answer stored (the request after a first one);
- HTTP: `obserwatorium serve` on PORT, with httpx: cold (a never-seen query), cached, and 304 (If-None-Match);

and every other read of the API (units, the catalogue, one indicator, one unit's series). Median and p95 in ms.

    python -m bench.api_national [--indicators 10 | --full] [--cases 200] [--data-dir DIR] [--port 8101]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

GMINY, YEARS, FIRST_YEAR = 2477, 20, 2004
DOMAIN = "national"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=10, help="indicators in the dataset (default 10)")
    parser.add_argument("--full", action="store_true", help="the national catalogue: 500 indicators (24.77M rows)")
    parser.add_argument("--cases", type=int, default=200, help="random (indicator, year) cases per measurement")
    parser.add_argument("--data-dir", default="/tmp/obs-bench-national", help="where the SQLite dataset lives")
    parser.add_argument("--port", type=int, default=8101, help="port of the `obserwatorium serve` it starts")
    return parser.parse_args()


def _code(k: int) -> str:
    return f"nat-{k:03d}"


def _build(indicators: int) -> None:
    """Units, indicators and values, each indicator one batch; an indicator already complete is skipped."""
    from tqdm import tqdm

    from bench.api_observations import _synthetic_units
    from obserwatorium.indicators.bulk import ObservationRow
    from obserwatorium.indicators.models import BatchKind, Domain, Flag, ImportBatch, Indicator, Observation
    from obserwatorium.indicators.services import write_observations
    from obserwatorium.territory.models import GminaType, Level, Unit

    kinds = [GminaType.URBAN, GminaType.RURAL, GminaType.URBAN_RURAL]
    if not Unit.objects.filter(slug__startswith="nat-").exists():
        Unit.objects.bulk_create([Unit(teryt=teryt, name=name, slug=f"nat-{teryt}", level=Level.GMINA,
                                       gmina_type=kinds[int(teryt[-1]) - 1])
                                  for teryt, name in _synthetic_units(GMINY)])
    domain, _ = Domain.objects.get_or_create(code=DOMAIN, defaults={"name_pl": "Krajowe", "name_en": "National",
                                                                    "order": 99})
    for k in range(indicators):
        Indicator.objects.get_or_create(code=_code(k), defaults={"domain": domain, "name_pl": f"Wskaźnik {k}",
                                                                 "name_en": f"Indicator {k}", "order": k})
    unit_ids = list(Unit.objects.filter(slug__startswith="nat-").order_by("pk").values_list("pk", flat=True))
    wanted = len(unit_ids) * YEARS
    todo = [i for i in Indicator.objects.filter(domain=domain, code__in=[_code(k) for k in range(indicators)])
            if Observation.objects.filter(indicator=i).count() < wanted]
    start, loaded = time.perf_counter(), 0
    for indicator in tqdm(todo, desc="building", unit="indicator", disable=not todo):
        rows = (ObservationRow(indicator.pk, unit_id, str(year),
                               (unit_id * 7919 + year * 31 + indicator.pk) % 100_000 / 10, Flag.FINAL)
                for unit_id in unit_ids for year in range(FIRST_YEAR, FIRST_YEAR + YEARS))
        batch = ImportBatch(kind=BatchKind.UPLOAD, source=f"national bench {indicator.code}")
        loaded += write_observations(batch=batch, rows=rows).counts.inserted
    if todo:
        elapsed = time.perf_counter() - start
        print(f"built {loaded:,} observations in {elapsed:.0f} s ({loaded / elapsed:,.0f} rows/s)")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _stats(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered):8.2f} {p95:8.2f}"


def _time(run: Callable[[], object], cases: int) -> list[float]:
    times = []
    for _ in range(cases):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _raw_sql(code: str, year: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.code, u.teryt, u.name, o.period, o.value, o.flag, o.batch_id FROM indicators_observation o "
            "JOIN indicators_indicator i ON i.id = o.indicator_id JOIN territory_unit u ON u.id = o.unit_id "
            "WHERE i.code = %s AND o.period = %s ORDER BY u.teryt, o.period, o.id", [code, str(year)])
        cursor.fetchall()


def _serve(port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "obserwatorium.cli", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/domains", timeout=1)
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("obserwatorium serve did not start: " + (server.stderr.read() or b"").decode()[-2000:])


def main() -> None:
    args = _arguments()
    indicators = 500 if args.full else args.indicators
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("OBS_DATA_DIR", args.data_dir)
    os.environ.setdefault("OBS_SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    _build(indicators)
    rng = random.Random(15)
    cases = [(_code(rng.randrange(indicators)), FIRST_YEAR + rng.randrange(YEARS)) for _ in range(args.cases)]

    def url(code: str, year: int) -> str:
        return f"/api/observations?indicator={code}&period_from={year}&period_to={year}&page_size=2500"

    client = Client(HTTP_HOST="127.0.0.1")
    rows: list[tuple[str, str, str]] = []

    def measure(label: str, how: str, run: Callable[[], object]) -> None:
        run()  # warm-up (connection, first import)
        rows.append((label, how, _stats(_time(run, args.cases))))

    case = iter(cases * 3)

    def next_case() -> tuple[str, int]:
        return next(case)

    def cold() -> None:
        cache.clear()
        assert client.get(url(*next_case())).status_code == 200

    def cached() -> None:
        address = url(*next_case())
        client.get(address)
        start = time.perf_counter()
        client.get(address)
        return time.perf_counter() - start  # noqa: B901 - only the second request is timed below

    one_year = "one indicator, one year, all gminy"
    measure(one_year, "raw SQL", lambda: _raw_sql(*next_case()))
    case = iter(cases * 3)
    measure(one_year, "product, cold (in-process)", cold)
    case = iter(cases * 3)
    second: list[float] = []
    for _ in range(args.cases):
        second.append(cached() * 1000)
    rows.append((one_year, "product, cached (in-process)", _stats(second)))

    server = _serve(args.port)
    try:
        import httpx

        with httpx.Client(base_url=f"http://127.0.0.1:{args.port}") as http:
            nonce = iter(range(10**9))
            case = iter(cases * 3)
            measure(one_year, "HTTP, cold (never-seen query)",
                    lambda: http.get(url(*next_case()) + f"&_={next(nonce)}").raise_for_status())
            for address in {url(*c) for c in cases}:
                http.get(address)
            case = iter(cases * 3)
            measure(one_year, "HTTP, cached", lambda: http.get(url(*next_case())).raise_for_status())
            etags = {url(*c): http.get(url(*c)).headers["ETag"] for c in set(cases)}
            case = iter(cases * 3)

            def revalidate() -> None:
                address = url(*next_case())
                assert http.get(address, headers={"If-None-Match": etags[address]}).status_code == 304

            measure(one_year, "HTTP, 304 (If-None-Match)", revalidate)
            unit = client.get(url(_code(0), FIRST_YEAR)).json()["items"][0]["teryt"]
            others = {"units (/api/units)": "/api/units",
                      "catalogue (/api/indicators)": "/api/indicators",
                      "one indicator (/api/indicators/{code})": f"/api/indicators/{_code(0)}",
                      "one unit's series (20 years)": f"/api/observations?indicator={_code(0)}&unit={unit}"}
            for label, address in others.items():
                measure(label, "product, cold (in-process)", lambda a=address: (cache.clear(), client.get(a)))
                measure(label, "HTTP, cold", lambda a=address: http.get(a + ("&" if "?" in a else "?")
                                                                      + f"_={next(nonce)}").raise_for_status())
                measure(label, "HTTP, cached", lambda a=address: http.get(a).raise_for_status())
            size = len(http.get(url(*cases[0])).content)
            columns = len(http.get(url(*cases[0]) + "&shape=columns").content)
    finally:
        server.terminate()
        server.wait(10)
    from django.db import connection

    print(f"\n{GMINY:,} gminy x {indicators} indicators x {YEARS} years, {connection.vendor}; {args.cases} cases; "
          f"load {os.getloadavg()[0]:.2f}; one-year page {size:,} bytes (columns: {columns:,})")
    print(f"{'read':<42} {'how':<32} {'median':>8} {'p95':>8}  (ms)")
    for label, how, figures in rows:
        print(f"{label:<42} {how:<32} {figures}")


if __name__ == "__main__":
    main()
