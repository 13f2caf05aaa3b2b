"""`obserwatorium report annual YEAR --lang pl --format pdf|html [--output PATH]`: a report to a file;
`obserwatorium report monitoring YEAR [--lang] [--format] [--output]`: the Strategy 2030 monitoring report.

`report card TERYT|--members [--year] [--lang] [--format] [--output DIR]`: municipality cards;
`report annex TERYT YEAR [--lang] [--format] [--output DIR]`: a member gmina's statutory data annex;
`report publish KIND YEAR [TERYT] --user NAME`: the draft published as the next frozen edition;
`report editions [KIND]`: the published editions. Each subcommand is its own method."""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from obserwatorium.indicators.selectors import comparison_units
from obserwatorium.reports import kinds as report_kinds
from obserwatorium.reports import selectors, services
from obserwatorium.reports.annex import NotAMember, build_annex
from obserwatorium.reports.annual import UnknownYear, build_annual, report_years
from obserwatorium.reports.card import build_card
from obserwatorium.reports.document import Report
from obserwatorium.reports.edition_pages import edition_url
from obserwatorium.reports.gmina import GminaBatch, NoDataForYear, UnknownGmina, all_indicators, key_indicators, prepare
from obserwatorium.reports.monitoring import UnknownMonitoringYear, build_monitoring, monitoring_years
from obserwatorium.reports.render_docx import render_docx
from obserwatorium.reports.render_html import render_html
from obserwatorium.reports.render_pdf import render_pdf
from obserwatorium.reports.services import DataChanged


def _rendered(report: Report, fmt: str) -> bytes:
    """The report in the format asked for: an accessible PDF, an HTML page or a DOCX document for the editors."""
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "docx":
        return render_docx(report)
    return render_html(report).encode("utf-8")


class Command(BaseCommand):
    help = ("Write a report (the yearly effects report, municipality cards, a data annex, the strategy monitoring) "
            "as an accessible PDF or an HTML page.")

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="REPORT",
                                      help="which report: annual, card, annex, monitoring; or publish, editions")
        publish = kinds.add_parser("publish", help="publish a report's draft as its next frozen edition")
        publish.add_argument("report", help="the kind of report: " + ", ".join(report_kinds.KINDS))
        publish.add_argument("year", type=int, help="the report year, e.g. 2022")
        publish.add_argument("teryt", nargs="?", default="", help="the gmina's TERYT code (card, annex)")
        publish.add_argument("--user", required=True,
                             help="the user name of the office member who publishes (recorded with the edition)")
        editions = kinds.add_parser("editions", help="list the published editions, newest first")
        editions.add_argument("report", nargs="?", default="", help="only editions of this kind")
        annual = kinds.add_parser("annual", help="the yearly effects report (Moc efektów) of a year")
        annual.add_argument("year", type=int, help="the report year, e.g. 2022")
        annual.add_argument("--lang", choices=["pl", "en"], default="pl", help="the report's language (pl)")
        annual.add_argument("--format", choices=["pdf", "html", "docx"], default="pdf",
                            help="pdf (default), html, or docx for the editors")
        annual.add_argument("--output", help="the file to write (default: moc-efektow-YEAR-LANG.FORMAT)")
        monitoring = kinds.add_parser("monitoring", help="the Strategy 2030 monitoring report of a year")
        monitoring.add_argument("year", type=int, help="the report year, e.g. 2022")
        monitoring.add_argument("--lang", choices=["pl", "en"], default="pl", help="the report's language (pl)")
        monitoring.add_argument("--format", choices=["pdf", "html", "docx"], default="pdf",
                            help="pdf (default), html, or docx for the editors")
        monitoring.add_argument("--output",
                                help="the file to write (default: monitoring-strategii-YEAR-LANG.FORMAT)")
        card = kinds.add_parser("card", help="municipality cards: of one gmina (TERYT) or of every member")
        which = card.add_mutually_exclusive_group(required=True)
        which.add_argument("teryt", nargs="?", help="the gmina's 7-digit TERYT code")
        which.add_argument("--members", action="store_true", help="the card of every member gmina")
        card.add_argument("--year", type=int, help="the card's year (default: each gmina's latest year with data)")
        self._gmina_options(card)
        annex = kinds.add_parser("annex", help="a member gmina's data annex to its report on the state of the gmina")
        annex.add_argument("teryt", help="the member gmina's 7-digit TERYT code")
        annex.add_argument("year", type=int, help="the report year, e.g. 2023")
        self._gmina_options(annex)

    @staticmethod
    def _gmina_options(parser) -> None:
        parser.add_argument("--lang", choices=["pl", "en"], default="pl", help="the report's language (pl)")
        parser.add_argument("--format", choices=["pdf", "html", "docx"], default="pdf",
                            help="pdf (default), html, or docx for the editors")
        parser.add_argument("--output", default=".", help="the folder to write into (default: the current one)")

    def handle(self, *args, kind: str, **options):
        if kind == "publish":
            return self._publish(options["report"], options["year"], options["teryt"], options["user"])
        if kind == "editions":
            return self._editions(options["report"])
        language = options["lang"]
        with translation.override(language):
            if kind == "annual":
                self._annual(options["year"], language, options["format"], options.get("output"))
            elif kind == "card":
                self._cards(options.get("teryt"), options["members"], options.get("year"), language,
                            options["format"], Path(options["output"]))
            elif kind == "annex":
                self._annex(options["teryt"], options["year"], language, options["format"], Path(options["output"]))
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
        data = _rendered(report, fmt)
        steps.update()
        steps.close()
        path.write_bytes(data)
        self.stdout.write(_("Written: %(path)s") % {"path": path})

    def _write(self, report: Report, folder: Path, stem: str, fmt: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}.{fmt}"
        path.write_bytes(_rendered(report, fmt))
        return path

    def _cards(self, teryt: str | None, members: bool, year: int | None, language: str, fmt: str,
               folder: Path) -> None:
        teryts = [m.teryt for m in comparison_units()] if members else [teryt or ""]
        batch: GminaBatch = prepare(teryts=teryts, compared=key_indicators(), year=year)
        written = 0
        for code in tqdm(teryts, unit="card", file=sys.stderr, disable=None, desc=_("Municipality cards")):
            try:
                report = build_card(teryt=code, year=year, language=language, batch=batch)
            except UnknownGmina as error:
                raise CommandError(_("No current gmina has the TERYT code %(teryt)s.") % {"teryt": code}) from error
            except NoDataForYear as error:
                if members:
                    self.stderr.write(_("%(teryt)s: no data for the year; no card written.") % {"teryt": code})
                    continue
                years = ", ".join(str(y) for y in batch.years(batch.unit(code))) or "—"
                raise CommandError(_("%(teryt)s has no data for %(year)s; cards can be made for: %(years)s.")
                                   % {"teryt": code, "year": year, "years": years}) from error
            self._write(report, folder, f"{_('card')}-{code}-{language}", fmt)
            written += 1
        self.stdout.write(_("Written: %(count)d card(s) in %(folder)s") % {"count": written, "folder": folder})

    def _annex(self, teryt: str, year: int, language: str, fmt: str, folder: Path) -> None:
        steps = tqdm(total=2, unit="step", file=sys.stderr, disable=None, leave=False,
                     desc=_("Reading the indicators and the registries"))
        batch = prepare(teryts=[teryt], compared=all_indicators(), year=year)
        try:
            report = build_annex(teryt=teryt, year=year, language=language, batch=batch)
        except UnknownGmina as error:
            raise CommandError(_("No current gmina has the TERYT code %(teryt)s.") % {"teryt": teryt}) from error
        except NotAMember as error:
            raise CommandError(_("%(teryt)s is not a member of the association; the data annex is made for "
                                 "member gminy.") % {"teryt": teryt}) from error
        except NoDataForYear as error:
            years = ", ".join(str(y) for y in batch.years(batch.unit(teryt))) or "—"
            raise CommandError(_("%(teryt)s has no data for %(year)s; annexes can be made for: %(years)s.")
                               % {"teryt": teryt, "year": year, "years": years}) from error
        finally:
            steps.update()
        steps.set_description(_("Typesetting the PDF") if fmt == "pdf" else _("Writing the page"))
        path = self._write(report, folder, f"{_('data-annex')}-{teryt}-{year}-{language}", fmt)
        steps.update()
        steps.close()
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
        data = _rendered(report, fmt)
        steps.update()
        steps.close()
        path.write_bytes(data)
        self.stdout.write(_("Written: %(path)s") % {"path": path})

    def _publish(self, kind: str, year: int, teryt: str, username: str) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("No active user is called %(name)s.") % {"name": username})
        try:
            report_kinds.kind(kind)
            steps = tqdm(total=1, unit="edition", file=sys.stderr, disable=None, leave=False,
                         desc=_("Typesetting both languages"))
            edition = services.publish_edition(kind=kind, year=year, subject=teryt, user=user, via="command")
            steps.update()
            steps.close()
        except report_kinds.UnknownReport as error:
            raise CommandError(_("There is no such report to publish: %(what)s.") % {"what": error}) from error
        except PermissionDenied as error:
            raise CommandError(_("%(name)s may not publish editions (the office publishes them).")
                               % {"name": username}) from error
        except DataChanged as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("Published: edition %(number)d, %(url)s") % {"number": edition.number,
                                                                         "url": edition_url(edition)})

    def _editions(self, kind: str) -> None:
        found = selectors.all_editions()
        if kind:
            found = found.filter(kind=kind)
        for edition in found:
            successor = edition.successor
            state = (_("superseded by edition %(number)d") % {"number": successor.number}) if successor \
                else _("current")
            self.stdout.write(f"{edition.kind}\t{edition.year}\t{edition.subject or '-'}\t{edition.number}\t"
                              f"{edition.published_at:%Y-%m-%d %H:%M}\t{state}\t{edition_url(edition)}")
