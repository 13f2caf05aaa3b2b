"""`obserwatorium sync bdl`: load the catalogue's Statistics Poland BDL variables for the gminy in scope."""

from __future__ import annotations

import re
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from obserwatorium.ingest.bdl.client import BdlClient
from obserwatorium.ingest.bdl.errors import BdlError
from obserwatorium.ingest.bdl.limiter import Limit
from obserwatorium.ingest.bdl.sync import SyncError, SyncOptions, SyncReport, describe_variables, sync_bdl
from obserwatorium.ingest.bdl.units import OUTSIDE

CHANGES_SHOWN = 20
FRESH_SECONDS = 3600  # a dry run followed by the real run, or a resumed run, costs no second request


def parse_years(text: str) -> tuple[int, ...]:
    """'2010-2024', '2020' or '2018,2020-2022' as a tuple of years."""
    years: list[int] = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", part)
        if not match:
            raise CommandError(f"--years: {part!r} is not a year or a range like 2010-2024")
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first:
            raise CommandError(f"--years: {part!r} runs backwards")
        years += range(first, last + 1)
    return tuple(sorted(set(years)))


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


class Command(BaseCommand):
    help = "Sync data from a connector: `sync bdl` loads the catalogue's Statistics Poland BDL variables."

    transport = None  # tests inject an httpx transport here; the product talks to the real API

    def add_arguments(self, parser):
        parser.add_argument("source", choices=["bdl"], help="the connector: bdl, the Local Data Bank of Statistics "
                                                            "Poland")
        parser.add_argument("--indicator", dest="indicators", action="extend", nargs="+", default=[],
                            metavar="CODE", help="only these catalogue indicators (default: every one with a "
                                                 "BDL variable id)")
        parser.add_argument("--years", type=parse_years, default=(), help="e.g. 2010-2024 (default: every year)")
        parser.add_argument("--parent", dest="parents", action="append", default=[], metavar="UNIT_ID",
                            help="BDL id of the unit whose gminy are fetched (default: the powiaty of the gminy "
                                 "in the territory table), e.g. 011200000000 for Małopolskie")
        parser.add_argument("--describe", action="store_true",
                            help="only look the variables up in BDL (name, level, measure unit); fetch no data")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
        parser.add_argument("--restart", action="store_true",
                            help="start afresh instead of continuing an unfinished run with the same options")
        parser.add_argument("--refresh", action="store_true",
                            help="ask BDL again even for responses cached less than an hour ago")
        parser.add_argument("--max-wait", type=float, default=15 * 60, metavar="SECONDS",
                            help="longest wait for the request limits before stopping (default 900)")

    def handle(self, *args, source, indicators, years, parents, describe, dry_run, restart, refresh, max_wait,
               **options):
        progress = self.stderr.isatty() and options["verbosity"] > 0
        client = BdlClient(api_key=settings.OBS_BDL_API_KEY, cache_dir=settings.DATA_DIR / "cache" / "bdl",
                           transport=self.transport, fresh_seconds=0 if refresh else FRESH_SECONDS)
        client.limiter.max_wait = max_wait
        client.limiter.on_wait = self._announce_wait
        sync_options = SyncOptions(indicator_codes=tuple(indicators), years=years, parents=tuple(parents),
                                   dry_run=dry_run, restart=restart)
        try:
            with client:
                if describe:
                    return self._describe(client, indicators)
                report = sync_bdl(client=client, options=sync_options, progress=progress)
        except SyncError as exc:
            raise CommandError(str(exc)) from exc
        except BdlError as exc:  # look-ups stop at the first network or limit problem
            raise CommandError(str(exc)) from exc
        self._write_report(report, requests=client.requests_sent)
        if report.stopped:
            raise CommandError(report.stopped)
        if report.failed:
            codes = " ".join(result.code for result in report.failed)
            raise CommandError(f"{len(report.failed)} indicators failed (see above); to retry them: "
                               f"obserwatorium sync bdl --indicator {codes}")

    def _describe(self, client: BdlClient, indicators: list[str]) -> None:
        for check in describe_variables(client=client, codes=indicators):
            level = f"level {check.level}" if check.level is not None else "level unknown"
            line = f"{check.code} (variable {check.variable_id}): {check.name or '?'}; {level}"
            line += f"; {check.measure_unit}" if check.measure_unit else ""
            self.stdout.write(line + (f" — WARNING: {check.problem}" if check.problem else ""))

    def _announce_wait(self, seconds: float, limit: Limit) -> None:
        tqdm.write(f"Waiting {seconds:.0f} s for the BDL request limit ({limit.label}).", file=sys.stderr)

    def _write_report(self, report: SyncReport, *, requests: int) -> None:
        out = self.stdout
        heading = "BDL sync (dry run: nothing written)" if report.dry_run or report.run is None \
            else f"BDL sync run #{report.run.pk}"
        if report.resumed:
            heading += f", continued: {report.already_done} indicators were already done"
        out.write(f"{heading}; units fetched under {', '.join(report.parents)}; requests sent: {requests}.")
        for result in report.results:
            label = f"{result.code} (variable {result.variable_id})" if result.variable_id else result.code
            if result.counts is None:
                out.write(f"  {label}: {result.status}{f' — {result.message}' if result.message else ''}")
                continue
            counts = result.counts
            note = f"; {result.message}" if result.message else ""
            batch = f" [batch #{result.batch_id}]" if result.batch_id else ""
            out.write(f"  {label}: {counts.inserted} inserted, {counts.updated} changed, "
                      f"{counts.unchanged} unchanged{note}{batch}")
            for change in result.changes[:CHANGES_SHOWN]:
                flags = f" ({change.old_flag} → {change.new_flag})" if change.old_flag != change.new_flag else ""
                out.write(f"      {change.unit} ({change.teryt}) {change.period}: {_number(change.old_value)} → "
                          f"{_number(change.new_value)}{flags}")
            if len(result.changes) > CHANGES_SHOWN:
                out.write(f"      … and {len(result.changes) - CHANGES_SHOWN} more changed values (see the "
                          "revisions of the batch)")
        unknown = [u for u in report.unmapped.values() if u.reason != OUTSIDE]
        outside = [u for u in report.unmapped.values() if u.reason == OUTSIDE]
        if unknown:
            out.write(f"BDL unit ids not mapped to a gmina (their values were skipped): {len(unknown)}")
            for unit in unknown:
                out.write(f"  {unit.describe()}")
        if outside:
            listed = ", ".join(f"{u.bdl_unit_id} {u.name}" for u in outside[:10])
            more = f" and {len(outside) - 10} more" if len(outside) > 10 else ""
            out.write(f"Gminy returned by BDL but not in the territory table (ignored): {listed}{more}")
