"""The strategy tree rolls progress up from actions to plans, domains and the strategy."""

from __future__ import annotations

import pytest

from obserwatorium.strategy.models import Action, ActionPlan, Goal
from obserwatorium.strategy.selectors import strategy_tree

pytestmark = pytest.mark.django_db


def _node(tree, code):
    return next(d for d in tree.domains if d.domain.code == code)


def test_preset_strategy_has_the_seven_domains_and_no_invented_progress(world):
    tree = strategy_tree(world.strategy)
    assert [d.domain.code for d in tree.domains] == [
        "smart-governance", "environment-space", "mobility", "economy", "leisure-culture", "education",
        "social-services"]
    assert _node(tree, "economy").progress is None


def test_progress_rolls_up_with_weights_and_without(world):
    Action.objects.create(plan=world.plan_a, code="A-2", name_pl="A2", progress=50, status="in-progress")
    Action.objects.create(plan=world.plan_a, code="A-3", name_pl="A3", progress=0, status="cancelled")
    tree = strategy_tree(world.strategy)
    domain_a = _node(tree, world.domain_a.code)
    assert domain_a.plans[0].progress == 30  # (10 + 50) / 2; the cancelled action is left out
    plan_a2 = ActionPlan.objects.create(strategy=world.strategy, domain=world.domain_a, name_pl="Plan A2",
                                        weight=3)
    Action.objects.create(plan=plan_a2, code="A2-1", name_pl="x", progress=90)
    ActionPlan.objects.filter(pk=world.plan_a.pk).update(weight=1)
    domain_a = _node(strategy_tree(world.strategy), world.domain_a.code)
    assert domain_a.progress == pytest.approx((30 * 1 + 90 * 3) / 4)
    assert tree.progress is not None


def test_goal_progress_comes_from_its_actions_and_operational_goals(world):
    strategic = Goal.objects.create(strategy=world.strategy, domain=world.domain_a, level="strategic", code="2",
                                    name_pl="Cel strategiczny")
    operational = Goal.objects.create(strategy=world.strategy, domain=world.domain_a, level="operational",
                                      parent=strategic, code="2.1", name_pl="Cel operacyjny")
    Action.objects.filter(pk=world.action_a.pk).update(goal=operational, progress=40)
    node = _node(strategy_tree(world.strategy), world.domain_a.code).goals[0]
    assert node.children[0].progress == 40
    assert node.progress == 40


def test_drafts_and_archived_actions_are_not_public(world):
    Action.objects.filter(pk=world.action_a.pk).update(published=False)
    assert _node(strategy_tree(world.strategy), world.domain_a.code).plans[0].actions == []
    assert _node(strategy_tree(world.strategy, public=False), world.domain_a.code).plans[0].actions
