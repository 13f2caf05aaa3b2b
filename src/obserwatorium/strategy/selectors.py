"""Reads of the strategy tree, with progress rolled up from actions to plans, goals, domains and the strategy."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from obserwatorium.indicators.models import Domain
from obserwatorium.strategy.models import Action, ActionPlan, ActionStatus, Goal, GoalLevel, Strategy, Target
from obserwatorium.strategy.progress import Part, roll_up


@dataclass
class GoalNode:
    goal: Goal
    children: list[GoalNode] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    progress: float | None = None


@dataclass
class PlanNode:
    plan: ActionPlan
    actions: list[Action] = field(default_factory=list)
    progress: float | None = None


@dataclass
class DomainNode:
    domain: Domain
    goals: list[GoalNode] = field(default_factory=list)
    plans: list[PlanNode] = field(default_factory=list)
    progress: float | None = None

    @property
    def action_count(self) -> int:
        return sum(len(plan.actions) for plan in self.plans)

    @property
    def has_content(self) -> bool:
        return bool(self.goals or self.plans)


@dataclass
class StrategyTree:
    strategy: Strategy
    domains: list[DomainNode]
    progress: float | None

    @property
    def has_content(self) -> bool:
        return any(d.has_content for d in self.domains)


def _counts(action: Action) -> bool:
    # A cancelled action no longer says anything about how far the plan has come.
    return action.status != ActionStatus.CANCELLED


def _action_parts(actions: list[Action]) -> list[Part]:
    return [Part(a.progress, a.weight) for a in actions if _counts(a)]


def _goal_node(goal: Goal, children: dict[int, list[Goal]], actions_by_goal: dict[int, list[Action]]) -> GoalNode:
    node = GoalNode(goal=goal, actions=actions_by_goal.get(goal.pk, []))
    node.children = [_goal_node(child, children, actions_by_goal) for child in children.get(goal.pk, [])]
    node.progress = roll_up([*_action_parts(node.actions), *(Part(c.progress, c.goal.weight) for c in node.children)])
    return node


def public_strategies() -> QuerySet[Strategy]:
    """Published strategies, the longest-running first."""
    return Strategy.objects.public().select_related("source").prefetch_related("domains").order_by("-end_year",
                                                                                                   "code")


def strategy_tree(strategy: Strategy, *, public: bool = True) -> StrategyTree:
    """The strategy's domains with their goals and action plans, and progress at every level."""
    def records(model):
        manager = model.objects
        return manager.public() if public else manager.current()

    goals = list(records(Goal).filter(strategy=strategy).select_related("domain", "parent"))
    plans = list(records(ActionPlan).filter(strategy=strategy).select_related("domain"))
    actions = list(records(Action).filter(plan__strategy=strategy).select_related("responsible_unit", "goal")
                   .prefetch_related("partners"))
    actions_by_plan: dict[int, list[Action]] = defaultdict(list)
    actions_by_goal: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        actions_by_plan[action.plan_id].append(action)
        if action.goal_id:
            actions_by_goal[action.goal_id].append(action)
    goal_children: dict[int, list[Goal]] = defaultdict(list)
    for goal in goals:
        if goal.parent_id:
            goal_children[goal.parent_id].append(goal)
    nodes = []
    for domain in strategy.domains.filter(strategic=True).order_by("order"):
        node = DomainNode(domain=domain)
        node.goals = [_goal_node(g, goal_children, actions_by_goal) for g in goals
                      if g.domain_id == domain.pk and g.level == GoalLevel.STRATEGIC]
        for plan in plans:
            if plan.domain_id == domain.pk:
                plan_actions = actions_by_plan.get(plan.pk, [])
                node.plans.append(PlanNode(plan=plan, actions=plan_actions,
                                           progress=roll_up(_action_parts(plan_actions))))
        node.progress = roll_up(Part(p.progress, p.plan.weight) for p in node.plans)
        nodes.append(node)
    return StrategyTree(strategy=strategy, domains=nodes, progress=roll_up(Part(d.progress) for d in nodes))


def action_detail(pk: int, *, public: bool = True) -> Action:
    """One action with what the detail page shows."""
    query = Action.objects.public() if public else Action.objects.current()
    return (query.select_related("plan__domain", "plan__strategy", "goal", "responsible_unit")
            .prefetch_related("partners", "indicators", "targets__indicator", "targets__unit").get(pk=pk))


def targets_of(*, indicator_codes: list[str] | None = None) -> QuerySet[Target]:
    """Published targets, optionally for some indicators."""
    query = Target.objects.public().select_related("indicator", "unit", "goal")
    if indicator_codes:
        query = query.filter(indicator__code__in=indicator_codes)
    return query


def plans_of_domain(domain_code: str) -> list[ActionPlan]:
    """The domain's published action plans, newest first (one query)."""
    return list(ActionPlan.objects.public().filter(domain__code=domain_code)
                .order_by("-start_year", "name_pl").select_related("domain"))


def targets_of_domain(domain_code: str) -> list[Target]:
    """Published targets whose indicator belongs to the domain (one query)."""
    return list(targets_of().filter(indicator__domain__code=domain_code).order_by("indicator__name_pl", "target_year"))
def actions_by_responsible_unit(unit_ids: list[int]) -> dict[int, list[Action]]:
    """Published actions each of these gminy is responsible for, in plan order (one query)."""
    found: dict[int, list[Action]] = defaultdict(list)
    query = (Action.objects.public().filter(responsible_unit_id__in=unit_ids, plan__published=True,
                                            plan__archived_at__isnull=True)
             .select_related("plan", "plan__source").order_by("plan__domain__order", "plan__pk", "order", "code"))
    for action in query:
        found[action.responsible_unit_id or 0].append(action)
    return dict(found)
