"""Quantile class breaks of the maps: every class non-empty, ties never split, counts balanced."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.analytics.classes import class_of, quantile_breaks

values = st.lists(st.one_of(st.none(), st.floats(-1e9, 1e9, allow_nan=False)), max_size=60)


def test_fifteen_distinct_values_make_five_classes_of_three():
    data = [float(v) for v in range(15)]
    breaks = quantile_breaks(data, 5)
    assert breaks == [3.0, 6.0, 9.0, 12.0]
    assert Counter(class_of(v, breaks) for v in data) == {0: 3, 1: 3, 2: 3, 3: 3, 4: 3}


def test_missing_values_are_left_out_and_few_values_give_few_classes():
    assert quantile_breaks([None, None]) == []
    assert quantile_breaks([2.0, None, 1.0]) == [2.0]
    assert quantile_breaks([7.0, 7.0, 7.0]) == []


@given(values, st.integers(2, 7))
def test_breaks_ascend_and_every_class_holds_a_value(data, classes):
    breaks = quantile_breaks(data, classes)
    known = [v for v in data if v is not None]
    assert breaks == sorted(set(breaks)) and len(breaks) <= classes - 1
    used = {class_of(v, breaks) for v in known}
    assert used == set(range(len(breaks) + 1)) if known else breaks == []


@given(values, st.integers(2, 7))
def test_equal_values_always_share_a_class(data, classes):
    breaks = quantile_breaks(data, classes)
    by_value: dict[float, set[int]] = {}
    for v in data:
        if v is not None:
            by_value.setdefault(v, set()).add(class_of(v, breaks))
    assert all(len(found) == 1 for found in by_value.values())


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=10, max_size=60, unique=True))
def test_distinct_values_fill_classes_evenly(data):
    breaks = quantile_breaks(data, 5)
    sizes = Counter(class_of(v, breaks) for v in data)
    assert len(sizes) == 5 and max(sizes.values()) - min(sizes.values()) <= 1
