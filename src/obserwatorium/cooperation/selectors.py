"""Reads of the cooperation registries: forums, meetings and their counts, partners, projects, aggregates,
documents and the association's own events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Case, Count, F, IntegerField, Min, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Least

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

from obserwatorium.cooperation.models import (
    AggregateFigure,
    AggregateSubject,
    Agreement,
    AssociationEvent,
    Attendance,
    AttendanceStatus,
    Document,
    Forum,
    Meeting,
    Partner,
    Project,
)
from obserwatorium.registry.folding import folded_contains


def public_forums() -> QuerySet[Forum]:
    """Published forums with the number of their itemised published meetings."""
    return (Forum.objects.public().select_related("domain", "source")
            .annotate(meeting_count=Count("meetings", filter=Q(meetings__published=True,
                                                                meetings__archived_at__isnull=True))))


def public_meetings(*, forum: Forum | None = None) -> QuerySet[Meeting]:
    """Published meetings of published forums, newest first."""
    query = Meeting.objects.public().filter(forum__published=True, forum__archived_at__isnull=True)
    if forum is not None:
        query = query.filter(forum=forum)
    return query.select_related("forum", "forum__domain").prefetch_related(
        "agenda_items", "decisions", "attendance__unit", "attendance__partner", "attachments")


@dataclass(frozen=True)
class YearCount:
    key: str
    label: str
    year: int
    count: int


def meeting_counts(*, by: str = "forum") -> list[YearCount]:
    """Itemised published meetings counted per year and per forum (by="forum") or per domain (by="domain")."""
    meetings = public_meetings().annotate(year=ExtractYear("starts_at"))
    if by == "domain":
        rows = meetings.values("year", "forum__domain__code").annotate(count=Count("id"))
        names = {f.domain.code: f.domain.name for f in Forum.objects.select_related("domain")
                 .filter(domain__isnull=False)}
        result = [YearCount(r["forum__domain__code"] or "", names.get(r["forum__domain__code"], ""), r["year"],
                            r["count"]) for r in rows]
    elif by == "forum":
        rows = meetings.values("year", "forum__slug").annotate(count=Count("id"))
        names = {f.slug: f.name for f in Forum.objects.all()}
        result = [YearCount(r["forum__slug"], names.get(r["forum__slug"], ""), r["year"], r["count"]) for r in rows]
    else:
        raise ValueError(f"count meetings by 'forum' or 'domain', not {by!r}")
    return sorted(result, key=lambda c: (c.year, c.label))


def aggregates(*, subjects: Sequence[str] | None = None) -> QuerySet[AggregateFigure]:
    """Published aggregate figures (activity known only as totals), newest year first."""
    query = AggregateFigure.objects.public().select_related("source", "domain")
    if subjects:
        query = query.filter(subject__in=subjects)
    # Within a year, in the order of AggregateSubject (forums active before their meetings).
    rank = Case(*(When(subject=s, then=Value(i)) for i, s in enumerate(AggregateSubject.values)),
                default=Value(len(AggregateSubject.values)), output_field=IntegerField())
    return query.order_by("-year", rank, "pk")


FORUM_AGGREGATES = [AggregateSubject.FORUMS_ACTIVE, AggregateSubject.FORUM_MEETINGS]
PARTNER_AGGREGATES = [AggregateSubject.NEW_PARTNERS]


class PartnerStart(TypedDict):
    """The annotations of `partners_with_start`."""

    first_agreement: date | None
    first_date: date | None


def partners_with_start() -> QuerySet[WithAnnotations[Partner, PartnerStart]]:
    """Published partners annotated with `first_date`: when the partnership began, or its earliest agreement."""
    first_agreement = Min("agreements__signed_on", filter=Q(agreements__archived_at__isnull=True))
    return (Partner.objects.public().select_related("unit", "source")
            .annotate(first_agreement=first_agreement)
            .annotate(first_date=Coalesce(Least(F("partner_since"), F("first_agreement")), F("partner_since"),
                                          F("first_agreement"))))


def new_partners(*, year: int) -> QuerySet[WithAnnotations[Partner, PartnerStart]]:
    """Partners whose partnership began in the year (the query behind 'new partners in year Y')."""
    return (partners_with_start().filter(first_date__gte=date(year, 1, 1), first_date__lt=date(year + 1, 1, 1))
            .order_by("first_date", "name"))


def new_partner_counts() -> list[tuple[int, int]]:
    """(year, number of new partners) for every year with itemised new partners."""
    # first_date is itself an aggregate, so the years are counted here rather than grouped in SQL.
    years = Counter(p.first_date.year for p in partners_with_start() if p.first_date is not None)
    return sorted(years.items())


def public_agreements() -> QuerySet[Agreement]:
    return (Agreement.objects.public().select_related("domain", "source").prefetch_related("parties")
            .order_by(F("signed_on").desc(nulls_last=True), "title", "pk"))


@dataclass(frozen=True)
class ProjectFilters:
    programme: str = ""
    status: str = ""
    domain: str = ""
    unit: str = ""
    search: str = ""


def public_projects(filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """Published projects matching the filters, with partners, gminy and results."""
    filters = filters or ProjectFilters()
    query = (Project.objects.public().select_related("lead", "domain", "source")
             .prefetch_related("partners", "units", "results__values__unit", "results__values__source",
                               "results__indicator"))
    if filters.programme:
        query = query.filter(programme=filters.programme)
    if filters.status:
        query = query.filter(status=filters.status)
    if filters.domain:
        query = query.filter(domain__code=filters.domain)
    if filters.unit:
        query = query.filter(units__teryt=filters.unit)
    if filters.search:
        annotations, matches = folded_contains(("name", "title_pl", "title_en"), filters.search)
        query = query.alias(**annotations).filter(matches)
    return query.distinct()


@dataclass(frozen=True)
class DocumentFilters:
    kind: str = ""
    status: str = ""
    domain: str = ""
    unit: str = ""  # TERYT of a gmina that adopted or signed it
    year: int | None = None
    search: str = ""


def public_documents(filters: DocumentFilters | None = None) -> QuerySet[Document]:
    """Published documents matching the filters, with what they belong to and their versions (newest first)."""
    filters = filters or DocumentFilters()
    query = (Document.objects.public().select_related("domain", "source")
             .prefetch_related("units", "forums", "projects", "action_plans", "versions"))
    if filters.kind:
        query = query.filter(kind=filters.kind)
    if filters.status:
        query = query.filter(status=filters.status)
    if filters.domain:
        query = query.filter(domain__code=filters.domain)
    if filters.unit:
        query = query.filter(pk__in=Document.units.through.objects.filter(unit__teryt=filters.unit)
                             .values("document_id"))
    if filters.year:
        query = query.filter(year=filters.year)
    if filters.search:
        annotations, matches = folded_contains(("title_pl", "title_en"), filters.search)
        query = query.alias(**annotations).filter(matches)
    return query


def document_years() -> list[int]:
    """The years of the published documents, newest first (the list's year filter)."""
    return list(Document.objects.public().filter(year__isnull=False).order_by("-year")
                .values_list("year", flat=True).distinct())


def public_association_events() -> QuerySet[AssociationEvent]:
    """Published events of the association itself, newest year first."""
    return AssociationEvent.objects.public().select_related("domain", "source").prefetch_related("partners")


@dataclass(frozen=True)
class YearActivity:
    """The cooperation of one year in counts, each either itemised (records) or stated (a source's total)."""

    year: int
    meetings: int  # itemised published meetings held in the year
    meetings_stated: AggregateFigure | None  # a source's total, shown instead when it says more
    active_projects: int  # published projects running at some time of the year (dated ones only)
    new_partners: int  # itemised partners whose partnership began in the year
    new_partners_stated: AggregateFigure | None

    @property
    def meetings_shown(self) -> int:
        """The number shown for meetings: the stated total when a source gives one, else the records."""
        return round(self.meetings_stated.value) if self.meetings_stated else self.meetings

    @property
    def new_partners_shown(self) -> int:
        return round(self.new_partners_stated.value) if self.new_partners_stated else self.new_partners

    @property
    def empty(self) -> bool:
        return not (self.meetings or self.meetings_stated or self.active_projects or self.new_partners
                    or self.new_partners_stated)


def _stated(year: int, subject: str) -> AggregateFigure | None:
    return aggregates(subjects=[subject]).filter(year=year).first()


def activity_of_year(year: int) -> YearActivity:
    """The year's meetings, running projects and new partners (three to five queries, whatever the registries hold)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    meetings = public_meetings().filter(starts_at__year=year).count()
    running = (Project.objects.public().filter(start_date__lte=last)
               .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))).count()
    partners = new_partners(year=year).count()
    return YearActivity(year=year, meetings=meetings, meetings_stated=_stated(year, AggregateSubject.FORUM_MEETINGS),
                        active_projects=running, new_partners=partners,
                        new_partners_stated=_stated(year, AggregateSubject.NEW_PARTNERS))


def latest_activity_year(*, until: int) -> int | None:
    """The latest year up to `until` with a published meeting, a dated project, a new partner or a stated total."""
    years = [*aggregates().filter(year__lte=until).values_list("year", flat=True)[:1],
             *(d.year for d in public_meetings().filter(starts_at__year__lte=until)
               .values_list("starts_at", flat=True)[:1]),
             *(d.year for d in Project.objects.public().filter(start_date__year__lte=until)
               .order_by("-start_date").values_list("start_date", flat=True)[:1])]
    return max(years) if years else None


def upcoming_meetings(*, since: datetime, limit: int = 5) -> list[Meeting]:
    """The next published meetings from `since`, earliest first."""
    return list(public_meetings().filter(starts_at__gte=since).order_by("starts_at")[:limit])


@dataclass(frozen=True)
class DomainCooperation:
    """A domain's forums (with their itemised meeting counts) and projects."""

    forums: list[Forum]
    projects: list[Project]


def cooperation_of_domain(domain_code: str) -> DomainCooperation:
    """The domain's published forums and projects (two queries)."""
    forums = list(public_forums().filter(domain__code=domain_code).order_by("kind", "name_pl"))
    projects = list(Project.objects.public().filter(domain__code=domain_code).select_related("domain")
                    .order_by(F("start_date").desc(nulls_last=True), "name"))
    return DomainCooperation(forums=forums, projects=projects)
def projects_by_unit(unit_ids: Sequence[int]) -> dict[int, list[Project]]:
    """Published projects covering each of these gminy (a gmina card's projects), in a fixed number of queries."""
    links = (Project.units.through.objects.filter(unit_id__in=list(unit_ids), project__published=True,
                                                  project__archived_at__isnull=True)
             .values_list("unit_id", "project_id"))
    pairs = list(links)
    projects = {p.pk: p for p in Project.objects.filter(pk__in={pk for _u, pk in pairs})
                .select_related("source", "domain").order_by(F("start_date").desc(nulls_last=True), "name")}
    found: dict[int, list[Project]] = {}
    for unit_id, project_id in pairs:
        found.setdefault(unit_id, []).append(projects[project_id])
    order = list(projects)
    return {unit_id: sorted(items, key=lambda p: order.index(p.pk)) for unit_id, items in found.items()}


def forums_by_unit(unit_ids: Sequence[int]) -> dict[int, list[Forum]]:
    """Published forums each of these gminy is a member of, by name, in a fixed number of queries."""
    pairs = list(Forum.member_units.through.objects.filter(
        unit_id__in=list(unit_ids), forum__published=True, forum__archived_at__isnull=True)
        .values_list("unit_id", "forum_id"))
    forums = {f.pk: f for f in Forum.objects.filter(pk__in={pk for _u, pk in pairs}).select_related("source")}
    found: dict[int, list[Forum]] = {}
    for unit_id, forum_id in pairs:
        found.setdefault(unit_id, []).append(forums[forum_id])
    return {unit_id: sorted(items, key=lambda f: (f.name, f.pk)) for unit_id, items in found.items()}


def represented_meeting_counts(unit_ids: Sequence[int]) -> dict[tuple[int, int], int]:
    """(gmina id, year) → how many published forum meetings of the year the gmina was present at (one query)."""
    rows = (present_attendance().filter(unit__in=list(unit_ids)).annotate(year=ExtractYear("meeting__starts_at"))
            .values("unit", "year").annotate(n=Count("meeting", distinct=True)).order_by())
    return {(row["unit"], row["year"]): row["n"] for row in rows}


def present_attendance() -> QuerySet[Attendance]:
    """The gminy and partners present at published meetings of published forums."""
    return Attendance.objects.filter(status=AttendanceStatus.PRESENT, meeting__in=public_meetings().order_by())
