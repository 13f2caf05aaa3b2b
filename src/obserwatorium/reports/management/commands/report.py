"""`obserwatorium report annual YEAR --lang pl --format pdf|html [--output PATH]`: a report to a file;
`obserwatorium report monitoring YEAR [--lang] [--format] [--output]`: the Strategy 2030 monitoring report.

Subcommands for the other reports (card, annex, monitoring) join `annual` here."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from obserwatorium.reports.annual import UnknownYear, build_annual, report_years
from obserwatorium.reports.monitoring import UnknownMonitoringYear, build_monitoring, monitoring_years
from obserwatorium.reports.render_html import render_html
from obserwatorium.reports.render_pdf import render_pdf


class Command(BaseCommand):
    help = "Write a report (the yearly effects report, the strategy monitoring) as an accessible PDF or an HTML page."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="REPORT",
                                      help="which report: annual, monitoring")
        annual = kinds.add_parser("annual", help="the yearly effects report (Moc efektów) of a year")
        annual.add_argument("year", type=int, help="the report year, e.g. 2022")
        annual.add_argument("--lang", choices=["pl", "en"], default="pl", help="the report's language (pl)")
        annual.add_argument("--format", choices=["pdf", "html"], default="pdf", help="pdf (default) or html")
        annual.add_argument("--output", help="the file to write (default: moc-efektow-YEAR-LANG.FORMAT)")
        monitoring = kinds.add_parser("monitoring", help="the Strategy 2030 monitoring report of a year")
        monitoring.add_argument("year", type=int, help="the report year, e.g. 2022")
        monitoring.add_argument("--lang", choices=["pl", "en"], default="pl", help="the report's language (pl)")
        monitoring.add_argument("--format", choices=["pdf", "html"], default="pdf", help="pdf (default) or html")
        monitoring.add_argument("--output",
                                help="the file to write (default: monitoring-strategii-YEAR-LANG.FORMAT)")

    def handle(self, *args, kind: str, **options):
        language = options["lang"]
        with translation.override(language):
            if kind == "annual":
                self._annual(options["year"], language, options["format"], options.get("output"))
            elif kind == "monitoring":
                self._monitoring(options["year"], language, options["format"], options.get("output"))

    def _annual(self, year: int, language: str, fmt: str, output: str | None) -> None:
        path = Path(output or f"moc-efektow-{year}-{language}.{fmt}").expanduser()
        steps = tqdm(total=2, unit="step", file=sys.stderr, disable=None, leave=False,
                     desc=_("Reading the registries"))
        try:
            report = build_annual(year=year, language=language)
        except UnknownYear as error:
            steps.close()
            years = ", ".join(str(y) for y in report_years()) or "—"
            raise CommandError(_("The registries hold nothing for %(year)d; reports can be made for: %(years)s.")
                               % {"year": year, "years": years}) from error
        steps.update()
        steps.set_description(_("Typesetting the PDF") if fmt == "pdf" else _("Writing the page"))
        data = render_pdf(report) if fmt == "pdf" else render_html(report).encode("utf-8")
        steps.update()
        steps.close()
        path.write_bytes(data)
        self.stdout.write(_("Written: %(path)s") % {"path": path})

    def _monitoring(self, year: int, language: str, fmt: str, output: str | None) -> None:
        path = Path(output or f"monitoring-strategii-{year}-{language}.{fmt}").expanduser()
        steps = tqdm(total=2, unit="step", file=sys.stderr, disable=None, leave=False,
                     desc=_("Reading the strategy registry and the indicators"))
        try:
            report = build_monitoring(year=year, language=language)
        except UnknownMonitoringYear as error:
            steps.close()
            years = ", ".join(str(y) for y in monitoring_years()) or "—"
            raise CommandError(_("The strategy registry holds nothing for %(year)d; the monitoring can be made for: "
                                 "%(years)s.") % {"year": year, "years": years}) from error
        steps.update()
        steps.set_description(_("Typesetting the PDF") if fmt == "pdf" else _("Writing the page"))
        data = render_pdf(report) if fmt == "pdf" else render_html(report).encode("utf-8")
        steps.update()
        steps.close()
        path.write_bytes(data)
        self.stdout.write(_("Written: %(path)s") % {"path": path})
