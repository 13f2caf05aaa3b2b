"""Reads of the cooperation registries: forums, meetings and their counts, partners, projects, aggregates,
documents and the association's own events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
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
    Document,
    Forum,
    Meeting,
    Partner,
    Project,
)


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
    return query.select_related("forum", "forum__domain").prefetch_related("units_represented", "attachments")


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
        query = query.filter(Q(name__icontains=filters.search) | Q(title_pl__icontains=filters.search)
                             | Q(title_en__icontains=filters.search))
    return query.distinct()


@dataclass(frozen=True)
class DocumentFilters:
    kind: str = ""
    domain: str = ""


def public_documents(filters: DocumentFilters | None = None) -> QuerySet[Document]:
    """Published documents of the kind and domain asked for, with what they belong to."""
    filters = filters or DocumentFilters()
    query = (Document.objects.public().select_related("domain", "source")
             .prefetch_related("units", "forums", "projects", "action_plans"))
    if filters.kind:
        query = query.filter(kind=filters.kind)
    if filters.domain:
        query = query.filter(domain__code=filters.domain)
    return query


def public_association_events() -> QuerySet[AssociationEvent]:
    """Published events of the association itself, newest year first."""
    return AssociationEvent.objects.public().select_related("domain", "source").prefetch_related("partners")


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
    """(gmina id, year) → how many published forum meetings of the year the gmina was represented at (one query)."""
    rows = (public_meetings().filter(units_represented__in=list(unit_ids)).annotate(year=ExtractYear("starts_at"))
            .values("units_represented", "year").annotate(n=Count("id", distinct=True)).order_by())
    return {(row["units_represented"], row["year"]): row["n"] for row in rows}
