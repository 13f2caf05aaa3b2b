"""The kinds of report the observatory makes, by name: each a builder `(year=, subject=, language=) -> Report`.

Drafts, editions, their pages and the `report publish` command work for every kind registered here. A new report
registers its builder with `@register("card", subject=True)` in this module (or calls `register(...)(builder)`);
a builder raises `UnknownReport` when it has nothing for the year and subject asked for (404 on the site).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext_lazy as _

from obserwatorium.reports.annex import NotAMember, build_annex
from obserwatorium.reports.annual import UnknownYear, build_annual, report_years
from obserwatorium.reports.card import build_card
from obserwatorium.reports.document import Report
from obserwatorium.reports.gmina import NoDataForYear, UnknownGmina
from obserwatorium.reports.monitoring import UnknownMonitoringYear, build_monitoring, monitoring_years


class UnknownReport(LookupError):
    """There is no report of this kind for this year and subject (or no such kind)."""


class Builder(Protocol):
    def __call__(self, *, year: int, subject: str, language: str, today: datetime.date | None = None) -> Report:
        ...


@dataclass(frozen=True)
class ReportKind:
    """A registered kind: its builder, whether it is made per subject (a TERYT code), its name for people, the
    stem of its file names ("moc-efektow-2022-pl.pdf") and the years it can be made for (None: any)."""

    name: str
    build: Builder
    subject: bool
    label: Callable[[], str]
    file_stem: Callable[[str], str]  # language → stem
    years: Callable[[], list[int]] | None = None


KINDS: dict[str, ReportKind] = {}


def register(name: str, *, subject: bool = False, label: Callable[[], str], file_stem: Callable[[str], str],
             years: Callable[[], list[int]] | None = None) -> Callable[[Builder], Builder]:
    """Register the decorated builder as the report kind `name`."""
    def decorate(build: Builder) -> Builder:
        KINDS[name] = ReportKind(name=name, build=build, subject=subject, label=label, file_stem=file_stem,
                                 years=years)
        return build
    return decorate


def kind(name: str) -> ReportKind:
    """The registered kind of this name; UnknownReport otherwise."""
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownReport(name) from None


def build(*, kind_name: str, year: int, subject: str, language: str, today: datetime.date | None = None) -> Report:
    """The generated report (without editorial text) of this kind, year and subject in `language`."""
    found = kind(kind_name)
    if bool(subject) != found.subject:
        raise UnknownReport(f"{kind_name} {year} {subject!r}")
    return found.build(year=year, subject=subject, language=language, today=today)


@register("annual", label=lambda: str(_("The power of effects (yearly report)")),
          file_stem=lambda language: "moc-efektow" if language == "pl" else "power-of-effects", years=report_years)
def _annual(*, year: int, subject: str, language: str, today: datetime.date | None = None) -> Report:
    try:
        return build_annual(year=year, language=language, today=today)
    except UnknownYear as error:
        raise UnknownReport(f"annual {year}") from error


@register("card", subject=True, label=lambda: str(_("Municipality card")),
          file_stem=lambda language: "karta-gminy" if language == "pl" else "municipality-card")
def _card(*, year: int, subject: str, language: str, today: datetime.date | None = None) -> Report:
    try:
        return build_card(teryt=subject, year=year, language=language, today=today)
    except (UnknownGmina, NoDataForYear) as error:
        raise UnknownReport(f"card {year} {subject}") from error


@register("annex", subject=True, label=lambda: str(_("Data annex to the report on the state of the gmina")),
          file_stem=lambda language: "zalacznik-danych" if language == "pl" else "data-annex")
def _annex(*, year: int, subject: str, language: str, today: datetime.date | None = None) -> Report:
    try:
        return build_annex(teryt=subject, year=year, language=language, today=today)
    except (UnknownGmina, NoDataForYear, NotAMember) as error:
        raise UnknownReport(f"annex {year} {subject}") from error


@register("monitoring", label=lambda: str(_("Strategy 2030 monitoring")),
          file_stem=lambda language: "monitoring-strategii" if language == "pl" else "strategy-monitoring",
          years=monitoring_years)
def _monitoring(*, year: int, subject: str, language: str, today: datetime.date | None = None) -> Report:
    try:
        return build_monitoring(year=year, language=language, today=today)
    except UnknownMonitoringYear as error:
        raise UnknownReport(f"monitoring {year}") from error
