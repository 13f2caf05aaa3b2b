"""Normalisation, polarity, weights and composite indices: worked examples and properties."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from obserwatorium.analytics.composite import Component, IndexSpec, compute_index
from obserwatorium.analytics.normalise import normalise

SCHEMA = {"indicator": pl.Utf8, "unit": pl.Utf8, "period": pl.Utf8, "value": pl.Float64, "flag": pl.Utf8}
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_subnormal=False)


def frame(rows):
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def single(values):
    return frame([("x", f"u{i}", "2020", v, "final") for i, v in enumerate(values)])


def test_worked_example_min_max_and_z_score_with_polarity():
    data = single([10.0, 20.0, 40.0])
    assert normalise(data, "min-max", "higher")["score"].to_list() == pytest.approx([0.0, 1 / 3, 1.0])
    assert normalise(data, "min-max", "lower")["score"].to_list() == pytest.approx([1.0, 2 / 3, 0.0])
    # mean 70/3, population sd √(1400/9) ≈ 12.472
    z = normalise(data, "z-score", "higher")["score"].to_list()
    assert z == pytest.approx([-1.069045, -0.267261, 1.336306], abs=1e-6)
    assert normalise(data, "z-score", "lower")["score"].to_list() == pytest.approx([-v for v in z])


def test_reference_set_and_period_anchor_the_scale():
    data = frame([("x", "a", "2019", 0.0, "final"), ("x", "b", "2019", 10.0, "final"),
                  ("x", "a", "2020", 20.0, "final"), ("x", "c", "2020", 100.0, "final")])
    scored = normalise(data, "min-max", "higher", units=["a", "b"], periods=["2019"])
    # Against 2019's 0..10, 2020's 20 scores 2.0: progress beyond the reference stays visible, and c is outside.
    assert scored["score"].to_list() == pytest.approx([0.0, 1.0, 2.0, 10.0])


@given(st.lists(finite, min_size=2, max_size=20))
def test_min_max_scores_lie_in_unit_interval_and_keep_order(values):
    scores = normalise(single(values), "min-max", "higher")["score"].to_list()
    assert all(-1e-9 <= s <= 1 + 1e-9 for s in scores)
    for (v1, s1) in zip(values, scores, strict=True):
        for (v2, s2) in zip(values, scores, strict=True):
            if v1 < v2:
                assert s1 <= s2 + 1e-12


@given(st.lists(finite, min_size=2, max_size=20))
def test_polarity_reverses_min_max_and_negates_z(values):
    data = single(values)
    up, down = normalise(data, "min-max", "higher")["score"], normalise(data, "min-max", "lower")["score"]
    assert (up + down).to_list() == pytest.approx([1.0] * len(values))
    zu, zd = normalise(data, "z-score", "higher")["score"], normalise(data, "z-score", "lower")["score"]
    assert (zu + zd).to_list() == pytest.approx([0.0] * len(values), abs=1e-9)


@given(st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=2, max_size=20))
def test_z_scores_have_zero_mean_and_unit_sd(values):
    assume(max(values) - min(values) > 1e-3)
    scores = normalise(single(values), "z-score", "higher")["score"]
    assert scores.mean() == pytest.approx(0.0, abs=1e-9)
    assert scores.std(ddof=0) == pytest.approx(1.0, rel=1e-6)


@given(st.lists(finite, min_size=2, max_size=10), st.floats(min_value=0.1, max_value=1e3),
       st.floats(min_value=-1e3, max_value=1e3))
def test_scores_do_not_depend_on_units_of_measure(values, factor, shift):
    # Rescaling (e.g. PLN → thousand PLN) or shifting an indicator leaves its normalised scores unchanged.
    assume(max(values) - min(values) > 1e-6 * max(1.0, *(abs(v) for v in values)))
    before = normalise(single(values), "min-max", "higher")["score"].to_list()
    after = normalise(single([v * factor + shift for v in values]), "min-max", "higher")["score"].to_list()
    assert after == pytest.approx(before, abs=1e-6)


def test_worked_example_index_contributions_sum_to_index():
    # Unit scores: x (higher) a=0, b=1; y (lower, weight 3) a=1, b=0 → a = (1×0 + 3×1)/4 × 100 = 75, b = 25.
    data = frame([("x", "a", "2020", 1.0, "final"), ("x", "b", "2020", 3.0, "final"),
                  ("y", "a", "2020", 5.0, "final"), ("y", "b", "2020", 9.0, "demo")])
    spec = IndexSpec((Component("x", 1, "higher"), Component("y", 3, "lower")))
    index, contributions = compute_index(spec, data, ["a", "b"], ["2020"])
    assert index.select("unit", "index", "flag").rows() == [("a", 75.0, "final"), ("b", 25.0, "demo")]
    a = contributions.filter(pl.col("unit") == "a").select("component", "contribution").rows()
    assert a == [("x", 0.0), ("y", 75.0)]


def test_missing_data_rules():
    data = frame([("x", "a", "2020", 1.0, "final"), ("x", "b", "2020", 3.0, "final"),
                  ("y", "a", "2020", 5.0, "final"), ("y", "b", "2020", 9.0, "final"),
                  ("x", "c", "2020", 2.0, "final")])
    components = (Component("x", 1, "higher"), Component("y", 1, "higher"))

    def index_of(missing, share=0.5):
        spec = IndexSpec(components, missing=missing, min_weight_share=share)
        return dict(compute_index(spec, data, ["a", "b", "c"], ["2020"])[0].select("unit", "index").rows())

    assert index_of("exclude")["c"] is None
    assert index_of("reweight")["c"] == pytest.approx(50.0)       # x alone: (2 - 1) / (3 - 1) = 0.5
    assert index_of("reweight", share=0.6)["c"] is None           # x carries only half of the weight
    assert index_of("mean")["c"] == pytest.approx(50.0)           # y imputed with the middle score 0.5
    assert index_of("reweight")["a"] == pytest.approx(0.0) and index_of("reweight")["b"] == pytest.approx(100.0)


@st.composite
def panels(draw):
    count = draw(st.integers(min_value=2, max_value=6))
    weights = draw(st.lists(st.floats(min_value=0.1, max_value=10), min_size=count, max_size=count))
    units = [f"u{i}" for i in range(draw(st.integers(min_value=2, max_value=8)))]
    rows = [(f"c{k}", u, "2020", draw(finite), "final") for k in range(count) for u in units]
    directions = draw(st.lists(st.sampled_from(["higher", "lower"]), min_size=count, max_size=count))
    return frame(rows), weights, directions, units


@given(panels(), st.sampled_from(["min-max", "z-score"]))
def test_index_is_the_sum_of_contributions_and_weights_sum_to_one(panel, method):
    data, weights, directions, units = panel
    spec = IndexSpec(tuple(Component(f"c{k}", w, d) for k, (w, d) in enumerate(zip(weights, directions,
                                                                                     strict=True))), method=method)
    index, contributions = compute_index(spec, data, units, ["2020"])
    sums = contributions.group_by("unit").agg(pl.col("contribution").sum(), pl.col("effective_weight").sum())
    joined = index.join(sums, on="unit")
    assert joined["index"].to_list() == pytest.approx(joined["contribution"].to_list(), abs=1e-6)
    assert joined["effective_weight"].to_list() == pytest.approx([1.0] * len(units))
    if method == "min-max":
        assert all(-1e-9 <= v <= 100 + 1e-9 for v in index["index"].to_list())


@given(panels(), st.floats(min_value=0.1, max_value=100))
def test_scaling_all_weights_leaves_the_index_unchanged(panel, factor):
    data, weights, directions, units = panel
    def run(ws):
        spec = IndexSpec(tuple(Component(f"c{k}", w, d) for k, (w, d) in enumerate(zip(ws, directions, strict=True))))
        return compute_index(spec, data, units, ["2020"])[0]["index"].to_list()
    assert run([w * factor for w in weights]) == pytest.approx(run(weights), abs=1e-6)


@given(panels())
def test_improving_one_component_never_lowers_the_index(panel):
    data, weights, directions, units = panel
    spec = IndexSpec(tuple(Component(f"c{k}", w, d) for k, (w, d) in enumerate(zip(weights, directions,
                                                                                     strict=True))),
                     reference_units=tuple(units[1:]) if len(units) > 2 else None)
    before = dict(compute_index(spec, data, units, ["2020"])[0].select("unit", "index").rows())
    step = 1.0 if directions[0] == "higher" else -1.0
    better = data.with_columns(pl.when((pl.col("indicator") == "c0") & (pl.col("unit") == units[0]))
                               .then(pl.col("value") + step).otherwise(pl.col("value")).alias("value"))
    after = dict(compute_index(spec, better, units, ["2020"])[0].select("unit", "index").rows())
    assert after[units[0]] >= before[units[0]] - 1e-6


def test_invalid_specifications_are_refused():
    with pytest.raises(ValueError):
        IndexSpec(())
    with pytest.raises(ValueError):
        IndexSpec((Component("x", 0, "higher"),))
    with pytest.raises(ValueError):
        IndexSpec((Component("x", 1, "higher"),), missing="guess")
    with pytest.raises(ValueError):
        normalise(single([1.0, 2.0]), "min-max", "neutral")
