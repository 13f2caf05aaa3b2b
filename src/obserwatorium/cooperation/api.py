"""JSON API of the cooperation registries: sources, forums, meetings (with counts per year), partners (with new
partners per year), agreements, projects, their results, aggregate figures, documents and the association's
own events."""

from typing import Annotated

from django.http import Http404, HttpRequest
from ninja import Field, FilterLookup, FilterSchema, ModelSchema, Path, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from obserwatorium.api.params import MAX_ID, Day, Moment, Number, RecordId, Year
from obserwatorium.cooperation import selectors
from obserwatorium.cooperation.document_schemas import (
    AssociationEventIn,
    AssociationEventOut,
    DocumentFilters,
    DocumentIn,
    DocumentOut,
)
from obserwatorium.cooperation.models import (
    AggregateFigure,
    Agreement,
    AssociationEvent,
    Decision,
    Document,
    Forum,
    Meeting,
    Partner,
    Project,
    ProjectResult,
    ResultValue,
    Source,
)
from obserwatorium.cooperation.services import feed_result_to_indicator
from obserwatorium.registry.api import register

router = Router()
PUBLIC = ["published", "created_at", "updated_at"]


def _ids(manager) -> list[int]:
    return [item.pk for item in manager.all()]


class SourceOut(ModelSchema):
    class Meta:
        model = Source
        fields = ["id", "key", "title", "publisher", "published_on", "url", "note", *PUBLIC]


class SourceIn(Schema):
    key: str
    title: str
    publisher: str = ""
    published_on: Day | None = None
    url: str = ""
    note: str = ""
    published: bool = True


class ForumOut(ModelSchema):
    member_units: list[int]
    member_institutions: list[int]

    class Meta:
        model = Forum
        fields = ["id", "slug", "kind", "name_pl", "name_en", "description_pl", "description_en", "domain",
                  "coordinator", "active_from", "active_to", "source", *PUBLIC]

    @staticmethod
    def resolve_member_units(obj: Forum) -> list[int]:
        return _ids(obj.member_units)

    @staticmethod
    def resolve_member_institutions(obj: Forum) -> list[int]:
        return _ids(obj.member_institutions)


class ForumIn(Schema):
    slug: str
    kind: str = "forum"
    name_pl: str
    name_en: str = ""
    description_pl: str = ""
    description_en: str = ""
    domain: RecordId | None = None
    coordinator: str = ""
    member_units: list[RecordId] = []
    member_institutions: list[RecordId] = []
    active_from: Day | None = None
    active_to: Day | None = None
    source: RecordId | None = None
    published: bool = True


class ForumFilters(FilterSchema):
    domain: Annotated[str | None, FilterLookup("domain__code")] = None
    kind: str | None = None


class DecisionOut(Schema):
    number: int
    text: str
    effect: str
    action: int | None = Field(None, alias="action_id")
    action_plan: int | None = Field(None, alias="action_plan_id")
    follow_up: str
    due_on: Day | None = None


class MeetingOut(ModelSchema):
    """A meeting with its agenda items in order, numbered decisions and attendance (read-only here: they are
    written on the meeting's pages)."""

    agenda: list[str]
    decisions: list[DecisionOut]
    units_represented: list[int]  # the gminy present
    attendance: list[dict[str, int | str]]

    class Meta:
        model = Meeting
        fields = ["id", "forum", "starts_at", "ends_at", "place", "online", "online_url", "minutes",
                  "participants", "source", *PUBLIC]

    @staticmethod
    def resolve_agenda(obj: Meeting) -> list[str]:
        return [item.title for item in obj.agenda_items.all()]

    @staticmethod
    def resolve_decisions(obj: Meeting) -> list[Decision]:
        return list(obj.decisions.all())

    @staticmethod
    def resolve_units_represented(obj: Meeting) -> list[int]:
        return sorted(a.unit_id for a in obj.attendance.all() if a.unit_id is not None and a.status == "present")

    @staticmethod
    def resolve_attendance(obj: Meeting) -> list[dict[str, int | str]]:
        return [{"unit": a.unit_id, "status": a.status} if a.unit_id is not None
                else {"partner": a.partner_id or 0, "status": a.status} for a in obj.attendance.all()]


class MeetingIn(Schema):
    forum: RecordId
    starts_at: Moment
    ends_at: Moment | None = None
    place: str = ""
    online: bool = False
    online_url: str = ""
    minutes: str = ""
    participants: Number | None = Field(None, ge=0)
    source: RecordId | None = None
    published: bool = True


class MeetingFilters(FilterSchema):
    forum: Annotated[str | None, FilterLookup("forum__slug")] = None
    domain: Annotated[str | None, FilterLookup("forum__domain__code")] = None
    year: Annotated[Year | None, FilterLookup("starts_at__year")] = None


class PartnerOut(ModelSchema):
    class Meta:
        model = Partner
        # Contact persons are personal data: kept for the office (admin), not published.
        fields = ["id", "name", "kind", "unit", "website", "partner_since", "source", *PUBLIC]


class PartnerIn(Schema):
    name: str
    kind: str = ""
    unit: RecordId | None = None
    website: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    partner_since: Day | None = None
    source: RecordId | None = None
    published: bool = True


class AgreementOut(ModelSchema):
    parties: list[int]

    class Meta:
        model = Agreement
        fields = ["id", "kind", "title", "signed_on", "scope", "domain", "document_url", "source", *PUBLIC]

    @staticmethod
    def resolve_parties(obj: Agreement) -> list[int]:
        return _ids(obj.parties)


class AgreementIn(Schema):
    kind: str = ""
    title: str = ""
    parties: list[RecordId]
    signed_on: Day | None = None
    scope: str = ""
    domain: RecordId | None = None
    document_url: str = ""
    source: RecordId | None = None
    published: bool = True


class ProjectOut(ModelSchema):
    partners: list[int]
    units: list[int]

    class Meta:
        model = Project
        fields = ["id", "slug", "name", "title_pl", "title_en", "description_pl", "description_en", "programme",
                  "budget", "eu_cofinancing", "currency", "start_date", "end_date", "status", "lead", "domain",
                  "website", "source", *PUBLIC]

    @staticmethod
    def resolve_partners(obj: Project) -> list[int]:
        return _ids(obj.partners)

    @staticmethod
    def resolve_units(obj: Project) -> list[int]:
        return _ids(obj.units)


class ProjectIn(Schema):
    slug: str
    name: str
    title_pl: str = ""
    title_en: str = ""
    description_pl: str = ""
    description_en: str = ""
    programme: str = ""
    budget: float | None = Field(None, ge=0)
    eu_cofinancing: float | None = Field(None, ge=0)
    currency: str = "PLN"
    start_date: Day | None = None
    end_date: Day | None = None
    status: str = ""
    lead: RecordId | None = None
    partners: list[RecordId] = []
    units: list[RecordId] = []
    domain: RecordId | None = None
    website: str = ""
    source: RecordId | None = None
    published: bool = True


class ProjectFilters(FilterSchema):
    programme: str | None = None
    status: str | None = None
    domain: Annotated[str | None, FilterLookup("domain__code")] = None
    gmina: Annotated[str | None, FilterLookup("units__teryt")] = None


class ResultOut(ModelSchema):
    class Meta:
        model = ProjectResult
        fields = ["id", "project", "name_pl", "name_en", "unit_of_measure", "indicator", *PUBLIC]


class ResultIn(Schema):
    project: RecordId
    name_pl: str
    name_en: str = ""
    unit_of_measure: str = ""
    indicator: RecordId | None = None
    published: bool = True


class ResultValueOut(ModelSchema):
    class Meta:
        model = ResultValue
        fields = ["id", "result", "year", "unit", "value", "approximate", "source"]


class ResultValueIn(Schema):
    result: RecordId
    year: Year
    unit: RecordId | None = None
    value: float
    approximate: bool = False
    source: RecordId | None = None


class ResultValueFilters(FilterSchema):
    result: RecordId | None = None
    project: Annotated[str | None, FilterLookup("result__project__slug")] = None
    year: Year | None = None


class AggregateFigureOut(ModelSchema):
    class Meta:
        model = AggregateFigure
        fields = ["id", "subject", "year", "qualifier", "value", "statement_pl", "statement_en", "domain", "source",
                  *PUBLIC]


class AggregateIn(Schema):
    subject: str
    year: Year
    qualifier: str = "exact"
    value: float
    statement_pl: str
    statement_en: str = ""
    domain: RecordId | None = None
    source: RecordId
    published: bool = True


register(router, model=Source, path="sources", out=SourceOut, payload=SourceIn)
register(router, model=Forum, path="forums", out=ForumOut, payload=ForumIn, filters=ForumFilters,
         public=lambda: Forum.objects.public().prefetch_related("member_units", "member_institutions"))
register(router, model=Meeting, path="meetings", out=MeetingOut, payload=MeetingIn, filters=MeetingFilters,
         public=lambda: selectors.public_meetings())
register(router, model=Partner, path="partners", out=PartnerOut, payload=PartnerIn)
register(router, model=Agreement, path="agreements", out=AgreementOut, payload=AgreementIn,
         public=lambda: selectors.public_agreements())
register(router, model=Project, path="projects", out=ProjectOut, payload=ProjectIn, filters=ProjectFilters,
         public=lambda: selectors.public_projects())
register(router, model=ProjectResult, path="results", out=ResultOut, payload=ResultIn,
         public=lambda: ProjectResult.objects.public().filter(project__published=True,
                                                              project__archived_at__isnull=True))
register(router, model=ResultValue, path="result-values", out=ResultValueOut, payload=ResultValueIn,
         filters=ResultValueFilters,
         public=lambda: ResultValue.objects.filter(result__published=True, result__archived_at__isnull=True,
                                                   result__project__published=True,
                                                   result__project__archived_at__isnull=True))
register(router, model=AggregateFigure, path="aggregates", out=AggregateFigureOut, payload=AggregateIn)
register(router, model=Document, path="documents", out=DocumentOut, payload=DocumentIn, filters=DocumentFilters,
         public=lambda: selectors.public_documents())
register(router, model=AssociationEvent, path="association-events", out=AssociationEventOut,
         payload=AssociationEventIn, public=lambda: selectors.public_association_events())


class YearCountOut(Schema):
    key: str
    label: str
    year: int
    count: int


@router.get("/meeting-counts", response=list[YearCountOut], operation_id="meeting_counts")
def meeting_counts(request: HttpRequest, by: str = "forum"):
    """Recorded (itemised) meetings per year and forum (by=forum) or domain (by=domain); aggregates apart."""
    if by not in ("forum", "domain"):
        raise HttpError(422, "by must be 'forum' or 'domain'")
    return [vars(c) for c in selectors.meeting_counts(by=by)]


class NewPartnersOut(Schema):
    year: int
    count: int
    partners: list[PartnerOut]


@router.get("/new-partners", response=NewPartnersOut, operation_id="new_partners")
def new_partners(request: HttpRequest, year: Year):
    """Recorded partners whose partnership began in the year (by its start or their earliest agreement)."""
    partners = list(selectors.new_partners(year=year))
    return {"year": year, "count": len(partners), "partners": partners}


class FeedOut(Schema):
    batch: int
    inserted: int
    updated: int
    unchanged: int


@router.post("/results/{int:pk}/feed", response=FeedOut, auth=django_auth, operation_id="feed_result_indicator")
def feed_result(request: HttpRequest, pk: int = Path(..., ge=1, le=MAX_ID, description="Id of the result.")):
    """Write the result's values per unit to the indicator it feeds, as one upload batch with its source."""
    result = ProjectResult.objects.current().filter(pk=pk).first()
    if result is None:
        raise Http404
    outcome = feed_result_to_indicator(result=result, user=request.user)
    if outcome is None or outcome.batch is None:  # a batch is kept whenever values were written
        raise HttpError(422, "The result feeds no indicator or has no values per unit.")
    counts = outcome.counts
    return {"batch": outcome.batch.pk, "inserted": counts.inserted, "updated": counts.updated,
            "unchanged": counts.unchanged}
