"""Reads of the meetings across forums: the filtered list, yearly counts as tables, and member activity (meetings
attended per gmina per forum per year). Each is a fixed number of queries, whatever the registries hold."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import get_language

from obserwatorium.cooperation.models import Forum, Meeting
from obserwatorium.cooperation.selectors import YearCount, present_attendance, public_meetings


@dataclass(frozen=True)
class MeetingFilters:
    forum: str = ""  # forum slug
    domain: str = ""  # domain code
    year: int | None = None
    unit: str = ""  # TERYT of a gmina present at the meeting
    when: str = ""  # "upcoming", "past" or "" (both)


def filtered_meetings(filters: MeetingFilters, *, now: datetime) -> QuerySet[Meeting]:
    """Published meetings matching the filters: upcoming ones earliest first, otherwise newest first."""
    query = public_meetings()
    if filters.forum:
        query = query.filter(forum__slug=filters.forum)
    if filters.domain:
        query = query.filter(forum__domain__code=filters.domain)
    if filters.year:
        query = query.filter(starts_at__year=filters.year)
    if filters.unit:
        query = query.filter(pk__in=present_attendance().filter(unit__teryt=filters.unit).values("meeting"))
    if filters.when == "upcoming":
        return query.filter(starts_at__gte=now).order_by("starts_at", "pk")
    if filters.when == "past":
        query = query.filter(starts_at__lt=now)
    return query.order_by("-starts_at", "-pk")


@dataclass
class YearRow:
    key: str
    label: str
    counts: list[int]  # one per year of the table, in order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class YearTable:
    """Counts per year (columns) and per forum, domain, gmina… (rows), with the years' totals."""

    years: list[int]
    rows: list[YearRow] = field(default_factory=list)

    @property
    def totals(self) -> list[int]:
        return [sum(row.counts[i] for row in self.rows) for i in range(len(self.years))]

    @property
    def empty(self) -> bool:
        return not self.rows


def year_table(counts: Iterable[YearCount]) -> YearTable:
    """Pivot (key, label, year, count) into rows by label and a column per year."""
    counts = list(counts)
    years = sorted({c.year for c in counts})
    rows: dict[str, YearRow] = {}
    for count in counts:
        row = rows.setdefault(count.key, YearRow(count.key, count.label, [0] * len(years)))
        row.counts[years.index(count.year)] += count.count
    return YearTable(years=years, rows=sorted(rows.values(), key=lambda r: (r.label.casefold(), r.key)))


def attended_counts(*, forum: Forum | None = None, unit_id: int | None = None) -> list[YearCount]:
    """Meetings attended (present) per year: per member gmina for a forum, per forum for a gmina (one query)."""
    query = present_attendance().filter(unit__isnull=False).annotate(year=ExtractYear("meeting__starts_at"))
    if forum is not None:
        rows = (query.filter(meeting__forum=forum).values("year", "unit__teryt", "unit__name")
                .annotate(n=Count("meeting", distinct=True)).order_by())
        return [YearCount(r["unit__teryt"], r["unit__name"], r["year"], r["n"]) for r in rows]
    if unit_id is not None:
        rows = (query.filter(unit_id=unit_id).values("year", "meeting__forum__slug", "meeting__forum__name_pl",
                                                     "meeting__forum__name_en")
                .annotate(n=Count("meeting", distinct=True)).order_by())
        return [YearCount(r["meeting__forum__slug"], _forum_name(r), r["year"], r["n"]) for r in rows]
    raise ValueError("count attendance of a forum or of a gmina")


def _forum_name(row: dict) -> str:
    english = (get_language() or "pl").startswith("en")
    return (row["meeting__forum__name_en"] if english else "") or row["meeting__forum__name_pl"]


def held_counts(*, forum: Forum, now: datetime) -> dict[int, int]:
    """year → published meetings the forum held by `now` (the most a member can have attended)."""
    rows = (public_meetings().filter(forum=forum, starts_at__lte=now).annotate(year=ExtractYear("starts_at"))
            .values("year").annotate(n=Count("id")).order_by())
    return {r["year"]: r["n"] for r in rows}
