"""`obserwatorium import FILE`: load observations from a CSV or spreadsheet file, all or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from obserwatorium.ingest.display import LAYOUT_NAMES, flag_name, format_value
from obserwatorium.ingest.problems import write_report
from obserwatorium.ingest.services import ImportOptions, ImportOutcome, Progress, import_observations


class BarProgress(Progress):
    """Stage lines and a tqdm bar over the rows being written (hidden when the output is not a terminal)."""

    def __init__(self, stream):
        self.stream = stream  # the command's stderr, for the stage lines; the bar draws on the terminal

    def stage(self, text: str) -> None:
        labels = {"reading": _("Reading the file…"), "checking": _("Checking every value…"),
                  "writing": _("Writing…")}
        self.stream.write(labels.get(text, text))

    def rows(self, rows, *, total: int):
        return tqdm(rows, total=total, unit=" rows", unit_scale=True, file=sys.stderr, disable=None, leave=False)


class Command(BaseCommand):
    help = ("Import observations from a CSV, XLSX, XLS or ODS file (long or wide, as Statistics Poland exports "
            "them). Every value is checked first; when any fails nothing is imported and the command exits with 1.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the file to import")
        parser.add_argument("--indicator", default="", help="indicator code for files that name no indicator")
        parser.add_argument("--flag", default="final", help="flag of rows without one (default: final)")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
        parser.add_argument("--sheet", default="", help="sheet of a workbook (default: the first)")
        parser.add_argument("--source", default="", help="producer and title of the data, kept with the batch")
        parser.add_argument("--url", default="", help="address the data was retrieved from (http or https)")
        parser.add_argument("--retrieved", default="", help="day the data was retrieved, YYYY-MM-DD (not later "
                                                             "than today)")
        parser.add_argument("--licence", default="", help="licence of the data, e.g. CC-BY-4.0")
        parser.add_argument("--skip-empty", action="store_true",
                            help="skip empty value cells (otherwise each is reported as a problem of its row)")
        parser.add_argument("--max-problems", type=int, default=200, help="problems to print (default: 200)")
        parser.add_argument("--report", default="", help="write every problem to this CSV file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        outcome = import_observations(
            path=path, file_name=path.name, office=True, dry_run=options["dry_run"],
            options=ImportOptions(indicator=options["indicator"], flag=options["flag"], sheet=options["sheet"],
                                  source=options["source"], url=options["url"], retrieved=options["retrieved"],
                                  licence=options["licence"], skip_empty=options["skip_empty"]),
            progress=BarProgress(self.stderr),
        )
        self._describe_file(outcome)
        for item in outcome.notices:
            self.stdout.write(item.message)
        if options["report"]:
            self._write_report(outcome, Path(options["report"]))
        if not outcome.ok:
            self._print_problems(outcome, options["max_problems"])
            raise CommandError(_("Nothing was imported: %(count)s problems.") % {"count": len(outcome.problems)})
        self._print_changes(outcome)

    def _describe_file(self, outcome: ImportOutcome) -> None:
        info = outcome.info
        self.stdout.write(_("File %(name)s, SHA-256 %(checksum)s") % {"name": outcome.file_name,
                                                                      "checksum": outcome.checksum})
        if info:
            details = [info.get("format", ""), info.get("encoding", ""), info.get("sheet", "")]
            if info.get("separator"):
                details.append(_("separator %(sep)r") % {"sep": info["separator"]})
            self.stdout.write(_("Read as %(details)s; %(layout)s layout, header in row %(row)s; columns: %(cols)s") % {
                "details": ", ".join(d for d in details if d), "layout": LAYOUT_NAMES.get(info.get("layout", ""), ""),
                "row": info.get("header_row", ""),
                "cols": ", ".join(f"{role}={label}" for role, label in info.get("columns", {}).items())})

    def _print_problems(self, outcome: ImportOutcome, limit: int) -> None:
        self.stdout.write(self.style.ERROR(_("%(count)s problems:") % {"count": len(outcome.problems)}))
        for problem in outcome.problems[:limit]:
            where = _("row %(row)s") % {"row": problem.row} if problem.row else _("file")
            column = f", {problem.column}" if problem.column else ""
            self.stdout.write(f"  {where}{column}: {problem.message}")
        if len(outcome.problems) > limit:
            self.stdout.write(_("… and %(more)s more (--report FILE writes them all).") % {
                "more": len(outcome.problems) - limit})

    def _print_changes(self, outcome: ImportOutcome) -> None:
        counts = outcome.counts
        if counts is None:  # counted whenever the file passed its checks
            return
        self.stdout.write(_("%(values)s values: %(inserted)s new, %(updated)s changed, %(unchanged)s unchanged.") % {
            "values": outcome.values, "inserted": counts.inserted, "updated": counts.updated,
            "unchanged": counts.unchanged})
        for change in outcome.changes:
            old = (_("new") if change.inserted else
                   f"{format_value(change.old_value)} ({flag_name(change.old_flag)})")
            self.stdout.write(f"  {change.teryt} {change.unit}, {change.indicator}, {change.period}: "
                              f"{old} → {format_value(change.new_value)} ({flag_name(change.new_flag)})")
        if outcome.changes and counts.inserted + counts.updated > len(outcome.changes):
            self.stdout.write(_("… the first %(shown)s changes are shown.") % {"shown": len(outcome.changes)})
        if outcome.dry_run:
            self.stdout.write(self.style.WARNING(_("Dry run: nothing was written.")))
        elif outcome.batch is not None:
            self.stdout.write(self.style.SUCCESS(_("Imported as batch #%(batch)s.") % {"batch": outcome.batch.pk}))

    @staticmethod
    def _write_report(outcome: ImportOutcome, path: Path) -> None:
        with path.open("w", encoding="utf-8", newline="") as handle:
            write_report([*outcome.problems, *outcome.notices], handle)
