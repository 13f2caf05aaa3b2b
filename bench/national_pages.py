"""Public page times at national scale: 2,477 member gminy x ~50 indicators x 20 years, over HTTP to `serve`.

    nice python -m bench.national_pages [--data-dir /tmp/obs-national] [--indicators 50] [--years 20]
                                        [--units 2477] [--repeat 20] [--port 8103] [--build-only]
                                        [--pages rankings ...] [--write-indicator CODE]
                                        [--src /other/worktree/src]

Builds (resumable: run it again and it continues where it stopped) a national dataset in a SQLite data folder:
the Kraków preset (domains, catalogue, strategy, its gminy), then synthetic TERYT-shaped gminy and powiaty up to
`--units` gminy, every one a member (the shape of an observatory of all of Poland), then the values of the first
`--indicators` stored (not derived) catalogue indicators for `--years` years, one CSV per indicator through the
product's own import (`ingest.services.import_observations`, which also recomputes the derived indicators).
The real list of the 2,477 gminy is not in ../shared/data, so the codes are generated: voivodeship, powiat,
gmina and type digit as TERYT has them, never one of the preset's real codes.

It then starts `obserwatorium serve` on that folder and times every public page type over HTTP: the first GET
after a write of what every figure depends on (every figure the pages keep is computed again: "after a write"),
the first GET after an import of one indicator's values (one value of `--write-indicator`, by default the
indicator the indicator page and the rankings show, written through the one write path: "after an import"),
then median and p95 of `--repeat` more. Both writes are made by the served tree's code, in a process of their
own. `--pages` times only the pages whose label holds one of the words; `--src` serves another tree's code (say
main's, for a before and after on the same data; its data folder must be at that tree's migrations).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench._serve import answering

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY / "src"))

LAST_YEAR = 2024
PAGES = (  # (label, path); {indicator}, {unit}, {domain}, {year} are filled from the data
    ("home", "/"),
    ("domain page", "/domains/{domain}/"),
    ("indicator catalogue", "/indicators/"),
    ("indicator page", "/indicators/{indicator}/"),
    ("units list", "/units/"),
    ("units list, filtered", "/units/?q=gmina&type=rural&page=3"),  # a page of a filtered list (#15)
    ("municipality page", "/units/{unit}/"),
    ("rankings of all gminy", "/analytics/rankings/?indicator={indicator}&period={year}"),
    ("search", "/search/?q=gmina"),
)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="/tmp/obs-national", help="SQLite data folder (kept; resumable)")
    parser.add_argument("--units", type=int, default=2477, help="gminy in all (Poland has 2,477)")
    parser.add_argument("--indicators", type=int, default=50, help="stored indicators given values (default 50)")
    parser.add_argument("--years", type=int, default=20, help="years per gmina and indicator (default 20)")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
    parser.add_argument("--port", type=int, default=8103, help="port of the server the pages are timed on")
    parser.add_argument("--build-only", action="store_true", help="build the dataset and stop")
    parser.add_argument("--pages", nargs="+", default=(), metavar="WORD",
                        help="time only the pages whose label holds one of these words (e.g. rankings)")
    parser.add_argument("--write-indicator", default="", metavar="CODE",
                        help="the indicator an import writes (default: the one the indicator page shows)")
    parser.add_argument("--src", default=str(REPOSITORY / "src"),
                        help="source tree the server runs (default: this repository's src)")
    return parser.parse_args(argv)


def _setup_django(data_dir: str) -> None:
    os.environ["OBS_DATA_DIR"] = data_dir
    os.environ.setdefault("OBS_SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
    import django

    django.setup()


def _prepare_site(data_dir: str, src: str) -> None:
    """Migrate and load the preset once (a later run finds the catalogue and skips it)."""
    from django.core.management import call_command
    from django.db.utils import DatabaseError

    from obserwatorium.indicators.models import Indicator

    try:
        if Indicator.objects.exists():
            # A folder built by an earlier version of the code: migrated by the served tree (`--src`), to the
            # migrations that tree's server expects, in a process of its own.
            subprocess.run([sys.executable, "-m", "django", "migrate", "--verbosity", "0"], check=True,
                           env={**os.environ, "OBS_DATA_DIR": data_dir, "PYTHONPATH": src,
                                "DJANGO_SETTINGS_MODULE": "obserwatorium.settings"})
            return
    except DatabaseError:  # no tables yet (SQLite: OperationalError, PostgreSQL: ProgrammingError)
        pass
    print("setting up the site with the krakow preset …", flush=True)
    call_command("setup", preset="krakow")


def _synthetic_codes(taken: set[str], count: int) -> list[tuple[str, str]]:
    """`count` (gmina TERYT, powiat TERYT) pairs shaped like real codes: WW PP GG T, none of them in `taken`."""
    codes: list[tuple[str, str]] = []
    voivodeships = range(2, 33, 2)
    for powiat in range(1, 100):
        for voivodeship in voivodeships:
            for gmina in range(1, 11):
                teryt = f"{voivodeship:02d}{powiat:02d}{gmina:02d}{1 + (gmina + powiat) % 3}"
                if teryt[:4] in {t[:4] for t in taken} or teryt in taken:
                    continue
                codes.append((teryt, teryt[:4]))
                if len(codes) == count:
                    return codes
    raise SystemExit("not enough synthetic TERYT codes")


def _national_units(total: int) -> None:
    """Synthetic gminy (and their powiaty) up to `total` gminy; every gmina a member."""
    from obserwatorium.territory.models import GminaType, Level, Membership, Unit

    gminy = Unit.objects.gminy().current()
    missing = total - gminy.count()
    if missing > 0:
        taken = set(Unit.objects.values_list("teryt", flat=True))
        codes = _synthetic_codes(taken, missing)
        print(f"creating {missing:,} synthetic gminy …", flush=True)
        kinds = {"1": GminaType.URBAN, "2": GminaType.RURAL, "3": GminaType.URBAN_RURAL}
        Unit.objects.bulk_create([Unit(teryt=p, name=f"Powiat syntetyczny {p}", slug=f"powiat-{p}",
                                       level=Level.POWIAT) for p in sorted({p for _, p in codes})],
                                 ignore_conflicts=True)
        powiaty = dict(Unit.objects.filter(level=Level.POWIAT).values_list("teryt", "pk"))
        Unit.objects.bulk_create([
            Unit(teryt=t, name=f"Gmina syntetyczna {t}", slug=f"gmina-{t}", level=Level.GMINA,
                 gmina_type=kinds[t[-1]], parent_id=powiaty[p], membership=Membership.MEMBER,
                 area_km2=50 + int(t[4:6]) * 7.5)
            for t, p in codes])
    gminy.exclude(membership=Membership.MEMBER).update(membership=Membership.MEMBER)


def _chosen_indicators(count: int) -> list:
    """The first `count` stored indicators of the catalogue (derived ones are computed by the product)."""
    from obserwatorium.indicators.models import Indicator

    stored = Indicator.objects.filter(derivation__isnull=True).order_by("domain__order", "order", "code")
    return list(stored[:count])


def _value(indicator, index: int, year: int) -> str:
    """A plausible value inside the indicator's declared range, growing slowly, with decimal commas."""
    low = indicator.min_value if indicator.min_value is not None else 0.0
    high = indicator.max_value if indicator.max_value is not None else low + 50_000
    base = low + (high - low) * (0.1 + 0.6 * ((index * 7919) % 1000) / 1000)
    value = min(high, base * (1 + 0.01 * (year - LAST_YEAR)) + ((index + year) % 7) * (high - low) / 1e4)
    return f"{value:.{indicator.decimals}f}".replace(".", ",")


def _indicator_csv(indicator, teryts: list[str], years: range) -> bytes:
    lines = ["teryt;indicator;period;value"]
    lines += [f"{teryt};{indicator.code};{year};{_value(indicator, index, year)}"
              for index, teryt in enumerate(teryts) for year in years]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _load_values(indicator_count: int, years: int) -> None:
    """One import per indicator still short of its values; a later run skips those already complete."""
    from tqdm import tqdm

    from obserwatorium.indicators.models import Observation
    from obserwatorium.ingest.services import ImportOptions, import_observations
    from obserwatorium.territory.models import Unit

    teryts = list(Unit.objects.members().current().order_by("teryt").values_list("teryt", flat=True))
    span = range(LAST_YEAR - years + 1, LAST_YEAR + 1)
    chosen = _chosen_indicators(indicator_count)
    wanted = len(teryts) * len(span)
    bar = tqdm(chosen, desc="importing", unit="indicator", file=sys.stderr)
    for indicator in bar:
        bar.set_postfix_str(indicator.code)
        have = Observation.objects.filter(indicator=indicator, unit__teryt__in=teryts,
                                          period__in=[str(y) for y in span]).count()
        if have >= wanted:
            continue
        outcome = import_observations(content=_indicator_csv(indicator, teryts, span),
                                      file_name=f"national-{indicator.code}.csv", office=True,
                                      options=ImportOptions(source="synthetic national benchmark set"))
        if not outcome.ok:
            raise SystemExit(f"{indicator.code}: {outcome.problems[:5]}")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"dataset: {len(teryts):,} member gminy x {len(chosen)} indicators x {years} years; "
          f"{Observation.objects.count():,} observations in all", flush=True)


def _page_arguments(indicator_count: int, written: str = "") -> dict[str, str]:
    from obserwatorium.indicators.selectors import strategy_domains
    from obserwatorium.territory.models import Unit

    chosen = _chosen_indicators(indicator_count)
    middle = chosen[len(chosen) // 2]
    unit = Unit.objects.members().current().order_by("teryt").first()
    # A strategy domain (only those have a page), the one with the most headline indicators.
    domain = max(strategy_domains(), key=lambda found: len(found.headline_indicators))
    return {"indicator": middle.code, "domain": domain.code, "unit": unit.slug if unit else "",
            "teryt": unit.teryt if unit else "", "year": str(LAST_YEAR), "written": written or middle.code}


def _serve(data_dir: str, port: int, src: str) -> subprocess.Popen:
    environment = {**os.environ, "OBS_DATA_DIR": data_dir, "PYTHONPATH": src}
    server = subprocess.Popen([sys.executable, "-m", "obserwatorium.cli", "serve", "--port", str(port)],
                              env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return answering(server, f"http://127.0.0.1:{port}/domains.css", "obserwatorium serve", tries=100, every=0.2)


# A write as the served tree's own code makes it (a process of its own: `--src` may be another tree, whose
# versions the server reads): "every" bumps what every figure depends on, as a write of units or of the catalogue
# does; "import" writes one value of one indicator through the one write path of observations, as an import of
# that indicator's values does (its derived indicators are recomputed too).
WRITE = """
import sys, time
import django
django.setup()
from django.db import transaction
kind, code, teryt, period = sys.argv[1:]
if kind == "every":
    from obserwatorium.dataversion.services import bump_data_version
    with transaction.atomic():
        bump_data_version()
else:
    from obserwatorium.indicators.bulk import ObservationRow
    from obserwatorium.indicators.models import BatchKind, ImportBatch, Indicator
    from obserwatorium.indicators.services import write_observations
    from obserwatorium.territory.models import Unit
    indicator = Indicator.objects.get(code=code)
    unit = Unit.objects.get(teryt=teryt, valid_to=None)
    value = (time.time() * 1000) % 100_000 / 10  # another value every time: a write that changes it
    outcome = write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="bench.national_pages"),
                                 rows=[ObservationRow(indicator.pk, unit.pk, period, value, "final")])
    assert outcome.counts.updated == 1, outcome.counts
"""


def _write(kind: str, *, data_dir: str, src: str, values: dict[str, str]) -> None:
    """Write as `WRITE` says, with the served tree's code (the pages then compute what the write changed)."""
    environment = {**os.environ, "OBS_DATA_DIR": data_dir, "PYTHONPATH": src,
                   "DJANGO_SETTINGS_MODULE": "obserwatorium.settings"}
    subprocess.run([sys.executable, "-c", WRITE, kind, values["written"], values["teryt"], values["year"]],
                   env=environment, check=True)


def _time_pages(port: int, repeat: int, values: dict[str, str], words: tuple[str, ...] = (), *, data_dir: str,
                src: str) -> None:
    import httpx

    chosen = [(label, template) for label, template in PAGES
              if not words or any(word.lower() in label for word in words)]
    print(f"\n{'page':<24} {'after a write':>13} {'after an import':>15} {'median ms':>10} {'p95 ms':>9} {'KB':>8}"
          "  path")
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60,
                      headers={"Accept-Language": "pl"}) as client:
        for label, template in chosen:
            path = template.format(**values)
            firsts = []
            for kind in ("every", "import"):
                _write(kind, data_dir=data_dir, src=src, values=values)
                start = time.perf_counter()
                first = client.get(path)
                firsts.append((time.perf_counter() - start) * 1000)
            if first.status_code != 200:
                print(f"{label:<24} HTTP {first.status_code}  {path}")
                continue
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                client.get(path).raise_for_status()
                times.append((time.perf_counter() - start) * 1000)
            p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
            print(f"{label:<24} {firsts[0]:>13.1f} {firsts[1]:>15.1f} {statistics.median(times):>10.1f} {p95:>9.1f}"
                  f" {len(first.content) / 1000:>8.0f}"
                  f"  {path}", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Build (or finish building) the national dataset, then time the public pages over HTTP."""
    args = _arguments(argv)
    data_dir = str(Path(args.data_dir).resolve())
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    _setup_django(data_dir)
    _prepare_site(data_dir, args.src)
    _national_units(args.units)
    _load_values(args.indicators, args.years)
    if args.build_only:
        return
    values = _page_arguments(args.indicators, args.write_indicator)
    from django.db import connections

    connections.close_all()
    server = _serve(data_dir, args.port, args.src)
    try:
        print(f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} cores; {args.repeat} requests per page; "
              f"serving {args.src}")
        print(f"an import writes one value of {values['written']} ({values['teryt']}, {values['year']})")
        _time_pages(args.port, args.repeat, values, tuple(args.pages), data_dir=data_dir, src=args.src)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main(sys.argv[1:])
