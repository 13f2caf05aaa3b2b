"""API reads at national shape, side by side: raw SQL, the product cold, the product cached, and over HTTP.

Builds (or reuses: it resumes where a previous run stopped) a national-shape dataset through the product's bulk
write path (`write_observations`, one batch per indicator): 2,477 gminy x INDICATORS x 20 years, in
DATA_DIR (SQLite; OBS_DATABASE_URL selects PostgreSQL instead). Then, over CASES random (indicator, year) pairs,
"one indicator, one year, all gminy" (`/api/observations?indicator=…&period_from=Y&period_to=Y&page_size=2500`):

- raw SQL: the page's query through a cursor (rows fetched, nothing encoded);
- product cold: in-process (Django test client), the cache emptied before each request;
- product cached: in-process, the answer stored (the request after a first one);
- HTTP: `obserwatorium serve` on PORT (a worker per core), over one keep-alive connection (`http.client`, the
  body read whole and not decoded, as a browser asking for brotli receives it): cold (a never-seen query), cached
  (brotli, and uncompressed), and 304 (If-None-Match);
- wrk (when Debian's `wrk` is installed): 2 threads, 8 connections, a random case per request, WRK_SECONDS, with
  the server's resident memory before, during and after;

and every other read of the API (units, the catalogue, one indicator, one unit's series). Median and p95 in ms.
With `--baseline-src DIR` (the `src` folder of another checkout, e.g. main) every HTTP and wrk figure is measured
for that code too, on the next port, in the same run. With `--datasette` the same one-year question is put to
Datasette (pinned, installed once into a bench-only environment, `--datasette-venv`) serving the same SQLite file
immutable, as SQL with the same joins, over HTTP and under wrk.

    python -m bench.api_national [--indicators 10 | --full] [--cases 200] [--data-dir DIR] [--port 8101]
                                 [--wrk-seconds 30] [--baseline-src ../main/src] [--datasette]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench._serve import answering

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

GMINY, YEARS, FIRST_YEAR = 2477, 20, 2004
DOMAIN = "national"
DATASETTE = "0.65.5"
# The one-year question as Datasette answers it: the same joins and order as the raw SQL, named parameters.
DATASETTE_SQL = (
    "SELECT i.code, u.teryt, u.name, o.period, o.value, o.flag, o.batch_id FROM indicators_observation o "
    "JOIN indicators_indicator i ON i.id = o.indicator_id JOIN territory_unit u ON u.id = o.unit_id "
    "WHERE i.code = :code AND o.period = :year AND o.replaced_by_id IS NULL ORDER BY u.teryt, o.period, o.id")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=10, help="indicators in the dataset (default 10)")
    parser.add_argument("--full", action="store_true", help="the national catalogue: 500 indicators (24.77M rows)")
    parser.add_argument("--cases", type=int, default=200, help="random (indicator, year) cases per measurement")
    parser.add_argument("--data-dir", default="/tmp/obs-bench-national", help="where the SQLite dataset lives")
    parser.add_argument("--port", type=int, default=8101, help="port of the `obserwatorium serve` it starts")
    parser.add_argument("--wrk-seconds", type=int, default=30, help="length of the wrk run (0: none)")
    parser.add_argument("--baseline-src", default="", help="src folder of the code to measure beside this one")
    parser.add_argument("--datasette", action="store_true",
                        help=f"also time Datasette {DATASETTE} on the same SQLite file (a bench-only venv)")
    parser.add_argument("--datasette-venv", default="/tmp/obs-bench-datasette-venv",
                        help="where the bench-only environment with Datasette is made (kept)")
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


def _serve(port: int, src: str = "") -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": src} if src else None
    server = subprocess.Popen([sys.executable, "-m", "obserwatorium.cli", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    return answering(server, f"http://127.0.0.1:{port}/api/domains", "obserwatorium serve", tries=200)


class _Wire:
    """One keep-alive connection; the body read whole, not decoded (what the server sends is what is timed)."""

    def __init__(self, port: int) -> None:
        import http.client

        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, address: str, *, coding: str = "br", etag: str = "",
            status: int = 200) -> tuple[int, dict[str, str], bytes]:
        headers = {"Accept-Encoding": coding, "Accept-Language": "pl"}
        if etag:
            headers["If-None-Match"] = etag
        self.connection.request("GET", address, headers=headers)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != status:
            raise SystemExit(f"{address}: {response.status}, expected {status}")
        return response.status, {name.lower(): value for name, value in response.getheaders()}, body

    def close(self) -> None:
        self.connection.close()


WRK_SCRIPT = """
local paths = {%s}
math.randomseed(15)
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Accept-Encoding"] = "br", ["Accept-Language"] = "pl"})
end
"""


def _datasette(venv: str, database: Path, port: int) -> subprocess.Popen:
    """Datasette in a bench-only environment (made once, pinned), serving the file immutable, once it answers."""
    folder = Path(venv)
    if not (folder / "bin" / "datasette").exists():
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
        subprocess.run([str(folder / "bin" / "pip"), "install", "--quiet", f"datasette=={DATASETTE}"], check=True)
    server = subprocess.Popen([str(folder / "bin" / "datasette"), "serve", "-i", str(database), "--port", str(port),
                               "--setting", "max_returned_rows", "3000", "--setting", "sql_time_limit_ms", "10000"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return answering(server, f"http://127.0.0.1:{port}/-/versions.json", "datasette", tries=300)


def _wrk(port: int, server_pid: int, addresses: list[str], seconds: int) -> str:
    """Requests/s, latency percentiles, errors and the workers' resident memory (MB) before, during, after."""
    import tempfile

    from bench.serve_workers import _resident_mb

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(f'"{address}"' for address in addresses))
    memory = [sum(_resident_mb(server_pid))]
    run = subprocess.Popen(["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "-s", script.name,
                            f"http://127.0.0.1:{port}"], stdout=subprocess.PIPE, text=True)
    step = max(1, seconds // 5)
    while run.poll() is None:
        time.sleep(step)
        if run.poll() is None:
            memory.append(sum(_resident_mb(server_pid)))
    output = run.communicate()[0]
    memory.append(sum(_resident_mb(server_pid)))
    os.unlink(script.name)
    figures: dict[str, str] = {}
    for line in output.splitlines():
        words = line.split()
        if line.startswith("Requests/sec:"):
            figures["rps"] = words[1]
        elif words[:1] in (["50%"], ["99%"]):
            figures[words[0]] = words[1]
        elif "Non-2xx" in line or line.strip().startswith("Socket errors"):
            figures.setdefault("errors", "")
            figures["errors"] += line.strip() + "; "
    return (f"{figures.get('rps', '?'):>10} requests/s, median {figures.get('50%', '?')}, "
            f"p99 {figures.get('99%', '?')}, errors: {figures.get('errors', 'none')}; resident MB (all workers) "
            + " → ".join(f"{mb:.0f}" for mb in memory))


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

    servers = [("", args.port)] + ([(args.baseline_src, args.port + 1)] if args.baseline_src else [])
    wrk_rows: list[str] = []
    sizes: dict[str, int] = {}

    def over_http(src: str, port: int) -> None:
        nonlocal case
        tag = " [baseline]" if src else ""
        server = _serve(port, src)
        try:
            http = _Wire(port)
            nonce = iter(range(10**9))
            case = iter(cases * 3)
            measure(one_year, "HTTP, cold (never-seen query)" + tag,
                    lambda: http.get(url(*next_case()) + f"&_={next(nonce)}"))
            for address in {url(*c) for c in cases}:
                http.get(address)
                http.get(address, coding="identity")
            case = iter(cases * 3)
            measure(one_year, "HTTP, cached (brotli)" + tag, lambda: http.get(url(*next_case())))
            case = iter(cases * 3)
            measure(one_year, "HTTP, cached (uncompressed)" + tag,
                    lambda: http.get(url(*next_case()), coding="identity"))
            etags = {url(*c): http.get(url(*c))[1]["etag"] for c in set(cases)}
            case = iter(cases * 3)

            def revalidate() -> None:
                address = url(*next_case())
                status, _headers, _body = http.get(address, etag=etags[address], status=304)

            measure(one_year, "HTTP, 304 (If-None-Match)" + tag, revalidate)
            unit = client.get(url(_code(0), FIRST_YEAR)).json()["items"][0]["teryt"]
            others = {"units (/api/units)": "/api/units",
                      "catalogue (/api/indicators)": "/api/indicators",
                      "one indicator (/api/indicators/{code})": f"/api/indicators/{_code(0)}",
                      "one unit's series (20 years)": f"/api/observations?indicator={_code(0)}&unit={unit}"}
            for label, address in others.items():
                if not src:
                    measure(label, "product, cold (in-process)", lambda a=address: (cache.clear(), client.get(a)))
                measure(label, "HTTP, cold" + tag, lambda a=address: http.get(
                    a + ("&" if "?" in a else "?") + f"_={next(nonce)}"))
                measure(label, "HTTP, cached" + tag, lambda a=address: http.get(a))
            if not src:
                sizes["rows"] = len(http.get(url(*cases[0]), coding="identity")[2])
                sizes["columns"] = len(http.get(url(*cases[0]) + "&shape=columns", coding="identity")[2])
            http.close()
            if args.wrk_seconds and shutil.which("wrk"):
                wrk_rows.append(_wrk(port, server.pid, [url(*c) for c in cases], args.wrk_seconds) + tag)
        finally:
            server.terminate()
            server.wait(10)

    for src, port in servers:
        over_http(src, port)
    size, columns = sizes["rows"], sizes["columns"]
    if args.datasette:
        from django.db import connection

        if connection.vendor != "sqlite":
            raise SystemExit("--datasette reads the SQLite file: run it without OBS_DATABASE_URL")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # immutable mode reads the file alone, not the WAL
        database = Path(connection.settings_dict["NAME"])
        port = args.port + 2
        datasette = _datasette(args.datasette_venv, database, port)
        try:
            from urllib.parse import urlencode

            def datasette_url(code: str, year: int) -> str:
                return f"/{database.stem}.json?" + urlencode({"sql": DATASETTE_SQL, "code": code,
                                                              "year": str(year), "_size": "max"})

            wire = _Wire(port)
            case = iter(cases * 3)
            measure(one_year, f"Datasette {DATASETTE} (immutable), HTTP",
                    lambda: wire.get(datasette_url(*next_case()), coding="identity"))
            sizes["datasette"] = len(wire.get(datasette_url(*cases[0]), coding="identity")[2])
            wire.close()
            if args.wrk_seconds and shutil.which("wrk"):
                wrk_rows.append(_wrk(port, datasette.pid, [datasette_url(*c) for c in cases], args.wrk_seconds)
                                + f" [Datasette {DATASETTE}]")
        finally:
            datasette.terminate()
            datasette.wait(10)
    from django.db import connection

    print(f"\n{GMINY:,} gminy x {indicators} indicators x {YEARS} years, {connection.vendor}; {args.cases} cases; "
          f"load {os.getloadavg()[0]:.2f}; one-year page {size:,} bytes (columns: {columns:,}"
          + (f"; Datasette's: {sizes['datasette']:,}" if "datasette" in sizes else "") + ")")
    print(f"{'read':<42} {'how':<42} {'median':>8} {'p95':>8}  (ms)")
    for label, how, figures in rows:
        print(f"{label:<42} {how:<42} {figures}")
    if wrk_rows:
        print(f"\nwrk -t2 -c8 -d{args.wrk_seconds}s, a random case of the {len(set(cases))} per request, "
              "Accept-Encoding: br (target: >= 500 requests/s, 0 errors)")
        for line in wrk_rows:
            print(line)


if __name__ == "__main__":
    main()
