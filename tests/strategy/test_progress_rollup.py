"""The roll-up of progress: weighted where weights are given, averaged otherwise, always within 0–100."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.strategy.progress import Part, roll_up

progress = st.floats(min_value=0, max_value=100, allow_nan=False)
weight = st.floats(min_value=0, max_value=1e6, allow_nan=False)
parts = st.lists(st.builds(Part, st.one_of(st.none(), progress), st.one_of(st.none(), weight)), max_size=30)


def test_no_children_means_no_progress():
    assert roll_up([]) is None
    assert roll_up([Part(None, 3), Part(None)]) is None


def test_plain_mean_without_weights():
    assert roll_up([Part(0), Part(50), Part(100)]) == 50


def test_weighted_mean_with_weights():
    assert roll_up([Part(100, 3), Part(0, 1)]) == 75


def test_a_child_without_weight_counts_as_an_average_sibling():
    # Given weights 1 and 3 (mean 2): the third child weighs 2.
    assert math.isclose(roll_up([Part(100, 1), Part(0, 3), Part(50)]), (100 * 1 + 0 * 3 + 50 * 2) / 6)


def test_zero_weights_fall_back_to_the_plain_mean():
    assert roll_up([Part(20, 0), Part(60, 0)]) == 40


def test_unknown_progress_is_left_out():
    assert roll_up([Part(None, 100), Part(30, 1)]) == 30


@given(parts)
def test_result_is_a_percentage_within_the_children(children):
    result = roll_up(children)
    known = [p.progress for p in children if p.progress is not None]
    if not known:
        assert result is None
    else:
        assert 0 <= result <= 100
        assert min(known) - 1e-6 <= result <= max(known) + 1e-6


@given(st.lists(progress, min_size=1, max_size=30))
def test_equal_or_missing_weights_give_the_plain_mean(values):
    mean = sum(values) / len(values)
    assert math.isclose(roll_up(Part(v) for v in values), mean, abs_tol=1e-9)
    assert math.isclose(roll_up(Part(v, 7.0) for v in values), mean, abs_tol=1e-9)


@given(parts, st.floats(min_value=0.001, max_value=1000, allow_nan=False))
def test_scaling_every_weight_changes_nothing(children, factor):
    scaled = [Part(p.progress, None if p.weight is None else p.weight * factor) for p in children]
    before, after = roll_up(children), roll_up(scaled)
    assert (before is None) == (after is None)
    if before is not None:
        assert math.isclose(before, after, abs_tol=1e-6)


@given(st.lists(st.tuples(progress, st.floats(min_value=0.01, max_value=1e3)), min_size=1, max_size=20))
def test_weighted_mean_matches_its_definition(pairs):
    expected = sum(p * w for p, w in pairs) / sum(w for _, w in pairs)
    assert math.isclose(roll_up(Part(p, w) for p, w in pairs), expected, rel_tol=1e-9, abs_tol=1e-9)


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=10))
def test_out_of_range_inputs_are_bounded(values):
    assert 0 <= roll_up(Part(v) for v in values) <= 100
