"""Constraints of the strategy records: targets for a gmina or the metropolis after their baseline, goals in
their place in the tree, completed actions at 100%."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from obserwatorium.indicators.models import Indicator
from obserwatorium.strategy.models import Action, Goal, Target
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db


def _target(**values) -> Target:
    defaults = {"indicator": Indicator.objects.get(code="population"), "unit": Unit.objects.get(teryt="MK"),
                "baseline_year": 2020, "baseline_value": 1.0, "target_year": 2030, "target_value": 2.0}
    return Target(**{**defaults, **values})


def test_a_target_is_for_a_gmina_or_the_metropolis_after_its_baseline(world):
    _target().full_clean()
    _target(unit=world.skawina).full_clean()
    with pytest.raises(ValidationError, match="unit"):
        _target(unit=Unit.objects.get(teryt="1206")).full_clean()
    with pytest.raises(ValidationError):
        _target(target_year=2020).full_clean()


def test_goals_sit_in_their_place_in_the_tree(world):
    strategic = Goal.objects.create(strategy=world.strategy, domain=world.domain_a, level="strategic", code="1",
                                    name_pl="Cel")
    with pytest.raises(ValidationError):
        Goal(strategy=world.strategy, domain=world.domain_a, level="operational", code="1.1", name_pl="x").full_clean()
    with pytest.raises(ValidationError, match="parent"):
        Goal(strategy=world.strategy, domain=world.domain_b, level="operational", parent=strategic, code="1.2",
             name_pl="x").full_clean()


def test_a_completed_action_is_at_one_hundred_percent(world):
    action = Action.objects.get(code="A-1")
    action.status = "completed"
    with pytest.raises(ValidationError, match="progress"):
        action.full_clean()
    action.progress = 100
    action.full_clean()
