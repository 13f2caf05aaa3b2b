"""Writes of the analytics: recomputing derived indicators after their inputs change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import polars as pl
from django.db import transaction

from obserwatorium.analytics.derived import Formula, compute, dependency_order, dependents
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, ImportBatch, Indicator, Observation
from obserwatorium.indicators.services import write_observations
from obserwatorium.insights.models import DerivedIndicator

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

FRAME_SCHEMA = {"unit": pl.Utf8, "period": pl.Utf8, "value": pl.Float64, "flag": pl.Utf8, "batch": pl.Int64}


def derived_formulas() -> dict[str, Formula]:
    """Every derived indicator's formula by indicator code."""
    return {d.indicator.code: Formula(d.formula, tuple(d.inputs), scale=d.scale, years=d.years)
            for d in DerivedIndicator.objects.select_related("indicator")}


def _stored(indicator_id: int) -> pl.DataFrame:
    rows = Observation.objects.filter(indicator_id=indicator_id).values_list(
        "unit_id", "period", "value", "flag", "batch_id")
    return pl.DataFrame([(str(u), p, v, f, b) for u, p, v, f, b in rows], schema=FRAME_SCHEMA, orient="row")


def _changes(computed: pl.DataFrame, stored: pl.DataFrame) -> pl.DataFrame:
    """Computed rows that differ from the stored ones, and stored values that no longer compute (set to null)."""
    joined = computed.join(stored.select("unit", "period", pl.col("value").alias("old"), pl.col("flag").alias("old_f")),
                           on=["unit", "period"], how="full", coalesce=True)
    gone = pl.col("old").is_not_null() & pl.col("flag").is_null()
    differs = (pl.col("flag").is_not_null()
               & (pl.col("old_f").is_null() | (pl.col("flag") != pl.col("old_f"))
                  | (pl.col("value").is_null() != pl.col("old").is_null())
                  | (pl.col("value") != pl.col("old")).fill_null(False)))
    return joined.filter(differs | gone).select(
        "unit", "period", pl.when(gone).then(None).otherwise(pl.col("value")).alias("value"),
        pl.coalesce("flag", "old_f").alias("flag"))


def _recompute_one(indicator: Indicator, formula: Formula, user: Actor | None = None) -> dict[str, int]:
    ids = dict(Indicator.objects.filter(code__in=formula.inputs).values_list("code", "pk"))
    inputs = {code: _stored(ids[code]) for code in formula.inputs}
    computed = compute(formula, inputs)
    used_keys = computed.select("unit", "period")
    input_batches = sorted({b for frame in inputs.values()
                            for b in frame.join(used_keys, on=["unit", "period"], how="semi")["batch"].to_list()}
                           | ({b for frame in inputs.values() for b in frame["batch"].to_list()}
                              if formula.kind in ("growth", "cagr") else set()))
    changes = _changes(computed, _stored(indicator.pk))
    if changes.height == 0:
        return {"inserted": 0, "updated": 0}
    licences = sorted(set(ImportBatch.objects.filter(pk__in=input_batches).values_list("licence", flat=True)) - {""})
    batch = ImportBatch(
        kind=BatchKind.DERIVED, source=f"Obserwatorium: {indicator.code} = {formula.kind}({', '.join(formula.inputs)})",
        licence="; ".join(licences)[:200],
        metadata={"indicator": indicator.code, "formula": formula.kind, "inputs": list(formula.inputs),
                  "scale": formula.scale, "years": formula.years, "input_batches": input_batches})
    rows = (ObservationRow(indicator.pk, int(unit), period, value, flag)
            for unit, period, value, flag in changes.iter_rows())
    outcome = write_observations(batch=batch, rows=rows, user=user)
    return {"inserted": outcome.counts.inserted, "updated": outcome.counts.updated}


def recompute_derived(*, indicators: Iterable[Indicator | str] | None = None,
                      user: Actor | None = None) -> dict[str, dict[str, int]]:
    """Recompute the derived indicators that depend on `indicators` (codes or rows), or all of them.

    Call it after any write of observations. Inputs are read after earlier derived steps are written, so chains
    (a growth rate of a derived ratio) come out consistent; unchanged values are not rewritten.
    """
    formulas = derived_formulas()
    if indicators is None:
        wanted = set(formulas)
    else:
        changed = {i.code if isinstance(i, Indicator) else str(i) for i in indicators}
        wanted = dependents(formulas, changed) | (changed & set(formulas))
    outcome: dict[str, dict[str, int]] = {}
    with transaction.atomic():
        targets = {i.code: i for i in Indicator.objects.filter(code__in=wanted)}
        for code in dependency_order(formulas):
            if code in targets:
                outcome[code] = _recompute_one(targets[code], formulas[code], user=user)
    return outcome
