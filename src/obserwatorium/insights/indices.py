"""Reads of composite indices: the definition as an analytics spec, and its values with contributions."""

from __future__ import annotations

import polars as pl

from obserwatorium.analytics.composite import Component, IndexSpec, compute_index
from obserwatorium.insights.groups import resolve_group
from obserwatorium.insights.models import CompositeIndex
from obserwatorium.insights.selectors import values

SUB_INDEX = "index:"


def spec_of(index: CompositeIndex) -> IndexSpec:
    """The pure-analytics specification of a stored index."""
    components = []
    for component in index.components.select_related("indicator", "sub_index"):
        direction = component.direction or (component.indicator.polarity if component.indicator else "higher")
        components.append(Component(component.key, component.weight, direction))
    reference = resolve_group(index.reference_scope)
    periods = tuple(str(y) for y in range(index.reference_from, index.reference_to + 1))
    return IndexSpec(tuple(components), method=index.normalisation, missing=index.missing_rule,
                     min_weight_share=index.min_weight_share,
                     reference_units=tuple(reference.teryts) if reference else None, reference_periods=periods)


def _inputs(index: CompositeIndex, units: list[str]) -> pl.DataFrame:
    codes = [c.indicator.code for c in index.components.select_related("indicator") if c.indicator]
    frames = [values(codes, units).filter(pl.col("period").str.contains(r"^\d{4}$"))]
    for component in index.components.select_related("sub_index"):
        if component.sub_index is not None:
            scores, _ = compute(component.sub_index, tuple(units))
            frames.append(scores.select(pl.lit(SUB_INDEX + component.sub_index.code).alias("indicator"), "unit",
                                        "period", pl.col("index").alias("value"), "flag"))
    return pl.concat(frames)


def compute(index: CompositeIndex, units: tuple[str, ...]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Index values per unit and year, and each component's contribution (see analytics.composite)."""
    data = _inputs(index, list(units))
    years = sorted(set(data["period"].to_list()))
    return compute_index(spec_of(index), data, list(units), years)
