"""JSON API of the strategy registry: strategies, goals, action plans, actions, targets, the tree with progress,
and the bulk progress update. Reads show published records; writes need a signed-in user with the role."""

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, File, FilterLookup, FilterSchema, ModelSchema, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import SessionAuth

from obserwatorium.access import rules
from obserwatorium.api.errors import ErrorOut
from obserwatorium.api.params import Day, Number, RecordId, Year
from obserwatorium.registry.api import register
from obserwatorium.strategy import selectors
from obserwatorium.strategy.models import Action, ActionPlan, Goal, Strategy, Target
from obserwatorium.strategy.services import update_progress_from_csv

router = Router()
PUBLIC = ["published", "created_at", "updated_at"]


class StrategyOut(ModelSchema):
    domains: list[int]

    class Meta:
        model = Strategy
        fields = ["id", "code", "name_pl", "name_en", "description_pl", "description_en", "start_year", "end_year",
                  "adopted_on", "source", *PUBLIC]

    @staticmethod
    def resolve_domains(obj: Strategy) -> list[int]:
        return [d.pk for d in obj.domains.all()]


class StrategyIn(Schema):
    code: str
    name_pl: str
    name_en: str = ""
    description_pl: str = ""
    description_en: str = ""
    start_year: Year | None = None
    end_year: Year | None = None
    adopted_on: Day | None = None
    source: RecordId | None = None
    domains: list[RecordId] = []
    published: bool = True


class GoalOut(ModelSchema):
    class Meta:
        model = Goal
        fields = ["id", "strategy", "domain", "level", "parent", "code", "name_pl", "name_en", "description_pl",
                  "description_en", "order", "weight", *PUBLIC]


class GoalIn(Schema):
    strategy: RecordId
    domain: RecordId
    level: str
    parent: RecordId | None = None
    code: str
    name_pl: str
    name_en: str = ""
    description_pl: str = ""
    description_en: str = ""
    order: Number = 0
    weight: float | None = None
    published: bool = True


class PlanOut(ModelSchema):
    class Meta:
        model = ActionPlan
        fields = ["id", "strategy", "domain", "name_pl", "name_en", "description_pl", "description_en", "adopted_on",
                  "status", "start_year", "end_year", "weight", "source", *PUBLIC]


class PlanIn(Schema):
    strategy: RecordId
    domain: RecordId
    name_pl: str
    name_en: str = ""
    description_pl: str = ""
    description_en: str = ""
    adopted_on: Day | None = None
    status: str = "draft"
    start_year: Year | None = None
    end_year: Year | None = None
    weight: float | None = None
    source: RecordId | None = None
    published: bool = True


class ActionOut(ModelSchema):
    partners: list[int]
    indicators: list[str]
    targets: list[int]

    class Meta:
        model = Action
        fields = ["id", "plan", "goal", "code", "name_pl", "name_en", "description_pl", "description_en",
                  "responsible_body", "responsible_unit", "start_date", "end_date", "status", "progress", "weight",
                  "order", *PUBLIC]

    @staticmethod
    def resolve_partners(obj: Action) -> list[int]:
        return [p.pk for p in obj.partners.all()]

    @staticmethod
    def resolve_indicators(obj: Action) -> list[str]:
        return [i.code for i in obj.indicators.all()]

    @staticmethod
    def resolve_targets(obj: Action) -> list[int]:
        return [t.pk for t in obj.targets.all()]


class ActionIn(Schema):
    plan: RecordId
    goal: RecordId | None = None
    code: str
    name_pl: str
    name_en: str = ""
    description_pl: str = ""
    description_en: str = ""
    responsible_body: str = ""
    responsible_unit: RecordId | None = None
    partners: list[RecordId] = []
    start_date: Day | None = None
    end_date: Day | None = None
    status: str = "planned"
    progress: Number | None = Field(None, ge=0, le=100)
    weight: float | None = Field(None, ge=0)
    indicators: list[RecordId] = []
    targets: list[RecordId] = []
    order: Number = 0
    published: bool = True


class ActionFilters(FilterSchema):
    domain: Annotated[str | None, FilterLookup("plan__domain__code")] = None
    status: str | None = None
    plan: RecordId | None = None
    responsible_unit: RecordId | None = None


class TargetOut(ModelSchema):
    class Meta:
        model = Target
        fields = ["id", "indicator", "unit", "goal", "baseline_year", "baseline_value", "target_year", "target_value",
                  "source", *PUBLIC]


class TargetIn(Schema):
    indicator: RecordId
    unit: RecordId
    goal: RecordId | None = None
    baseline_year: Year
    baseline_value: float
    target_year: Year
    target_value: float
    source: RecordId | None = None
    published: bool = True


register(router, model=Strategy, path="strategies", out=StrategyOut, payload=StrategyIn,
         public=lambda: Strategy.objects.public().prefetch_related("domains"))
register(router, model=Goal, path="goals", out=GoalOut, payload=GoalIn)
register(router, model=ActionPlan, path="plans", out=PlanOut, payload=PlanIn)
register(router, model=Action, path="actions", out=ActionOut, payload=ActionIn, filters=ActionFilters,
         public=lambda: Action.objects.public().prefetch_related("partners", "indicators", "targets"))
register(router, model=Target, path="targets", out=TargetOut, payload=TargetIn)


class DomainProgressOut(Schema):
    code: str
    name: str
    progress: float | None
    plans: int
    actions: int


class TreeOut(Schema):
    strategy: int
    code: str
    name: str
    progress: float | None
    domains: list[DomainProgressOut]


@router.get("/tree", response=list[TreeOut], operation_id="strategy_tree")
def tree(request: HttpRequest):
    """Each published strategy with its progress per domain, rolled up from the actions."""
    result = []
    for strategy in selectors.public_strategies():
        built = selectors.strategy_tree(strategy)
        result.append({
            "strategy": strategy.pk, "code": strategy.code, "name": strategy.name, "progress": built.progress,
            "domains": [{"code": d.domain.code, "name": d.domain.name, "progress": d.progress,
                         "plans": len(d.plans), "actions": d.action_count} for d in built.domains],
        })
    return result


class ProblemOut(Schema):
    row: int
    column: str
    message: str


class ProgressReportOut(Schema):
    rows: int
    changed: int
    unchanged: int
    applied: bool
    refused: bool
    problems: list[ProblemOut]


class ProgressWriters(SessionAuth):
    """A signed-in user who may change some action, checked before the CSRF token and so before the body is
    read: a refused upload costs nothing, whatever its size."""

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        if not rules.may_write_any(request.user, Action):
            raise PermissionDenied("You may not change any action.")
        return super().__call__(request)


@router.post("/actions/progress",
             response={200: ProgressReportOut, 400: ProgressReportOut, 403: ProgressReportOut | ErrorOut,
                       413: ErrorOut},
             auth=ProgressWriters(), operation_id="update_action_progress_csv")
def upload_progress(request: HttpRequest, file: File[UploadedFile], dry_run: bool = False):
    """Bulk update of action progress from a CSV file (code, progress, status): all rows or none."""
    report = update_progress_from_csv(content=file.read(), user=request.user, dry_run=dry_run, via="api")
    body = {"rows": report.rows, "changed": report.changed, "unchanged": report.unchanged, "applied": report.applied,
            "refused": report.refused, "problems": [vars(p) for p in report.problems]}
    return Status(403 if report.refused else 200 if report.ok else 400, body)
