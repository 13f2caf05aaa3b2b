"""Derived indicators: a formula over other indicators' long frames (ratio, year-on-year growth, CAGR)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from obserwatorium.analytics.flags import weakest_expr

RATIO_KINDS = ("per_1000", "per_km2", "share", "ratio")
GROWTH_KINDS = ("growth", "cagr")
FORMULA_KINDS = RATIO_KINDS + GROWTH_KINDS
OUTPUT_SCHEMA = {"unit": pl.Utf8, "period": pl.Utf8, "value": pl.Float64, "flag": pl.Utf8}


@dataclass(frozen=True)
class Formula:
    """How a derived indicator is computed: `kind` over `inputs` (input indicator codes) with a scale or span."""

    kind: str
    inputs: tuple[str, ...]
    scale: float = 1.0
    years: int = 1

    def __post_init__(self) -> None:
        if self.kind not in FORMULA_KINDS:
            raise ValueError(f"unknown formula {self.kind!r}")
        expected = 2 if self.kind in RATIO_KINDS else 1
        if len(self.inputs) != expected:
            raise ValueError(f"formula {self.kind!r} takes {expected} input(s), got {len(self.inputs)}")
        if self.kind == "cagr" and self.years < 1:
            raise ValueError("a compound growth rate needs a span of at least one year")

    @property
    def span(self) -> int:
        """Years between the two values a growth formula compares."""
        return 1 if self.kind == "growth" else self.years


def _annual(frame: pl.DataFrame) -> pl.DataFrame:
    return (frame.filter(pl.col("period").str.contains(r"^\d{4}$"))
            .with_columns(pl.col("period").cast(pl.Int32).alias("year")))


def _ratio(formula: Formula, numerator: pl.DataFrame, denominator: pl.DataFrame) -> pl.DataFrame:
    joined = numerator.join(denominator, on=["unit", "period"], how="inner", suffix="_den")
    if formula.kind == "per_km2":
        # Areas are published rarely: a ratio per km² uses the latest area known up to that year.
        num, den = _annual(numerator), _annual(denominator).sort("year")
        joined = (num.sort("year").join_asof(den.rename({"period": "period_den"}), on="year", by="unit",
                                            strategy="backward", suffix="_den", check_sortedness=False)
                  .filter(pl.col("value_den").is_not_null()))
    return joined.select(
        "unit", "period",
        pl.when(pl.col("value_den") != 0).then(pl.col("value") / pl.col("value_den") * formula.scale)
        .otherwise(None).alias("value"),
        weakest_expr("flag", "flag_den").alias("flag"),
    )


def _growth(formula: Formula, base: pl.DataFrame) -> pl.DataFrame:
    annual = _annual(base)
    earlier = annual.select("unit", (pl.col("year") + formula.span).alias("year"),
                            pl.col("value").alias("value_then"), pl.col("flag").alias("flag_then"))
    joined = annual.join(earlier, on=["unit", "year"], how="inner")
    ratio = pl.col("value") / pl.col("value_then")
    valid = (pl.col("value_then") > 0) & (pl.col("value") >= 0)
    rate = (ratio - 1.0) if formula.kind == "growth" else (ratio ** (1.0 / formula.span) - 1.0)
    return joined.select(
        "unit", "period", pl.when(valid).then(rate * 100.0 * formula.scale).otherwise(None).alias("value"),
        weakest_expr("flag", "flag_then").alias("flag"),
    )


def compute(formula: Formula, inputs: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Derived values (unit, period, value, flag) from the input frames named by the formula.

    Rows whose value is undefined (zero denominator, non-positive growth base) come out as null values, so a
    recomputation can clear a value that no longer holds. The flag is the weakest of the inputs' flags.
    """
    frames = [inputs[code].select("unit", "period", pl.col("value").cast(pl.Float64), "flag")
              .filter(pl.col("value").is_not_null()) for code in formula.inputs]
    if formula.kind in RATIO_KINDS:
        result = _ratio(formula, frames[0], frames[1])
    else:
        result = _growth(formula, frames[0])
    return result.select([pl.col(name).cast(dtype) for name, dtype in OUTPUT_SCHEMA.items()]).sort("unit", "period")


def dependency_order(formulas: dict[str, Formula]) -> list[str]:
    """Derived codes ordered so that every formula comes after the derived inputs it uses; cycles are refused."""
    ordered: list[str] = []
    state: dict[str, int] = {}

    def visit(code: str, trail: tuple[str, ...]) -> None:
        if state.get(code) == 2:
            return
        if state.get(code) == 1:
            raise ValueError("derived indicators form a cycle: " + " → ".join((*trail, code)))
        state[code] = 1
        for dependency in formulas[code].inputs:
            if dependency in formulas:
                visit(dependency, (*trail, code))
        state[code] = 2
        ordered.append(code)

    for code in sorted(formulas):
        visit(code, ())
    return ordered


def dependents(formulas: dict[str, Formula], changed: set[str]) -> set[str]:
    """Every derived code whose value depends, directly or through other derived codes, on a changed code."""
    affected: set[str] = set()
    frontier = set(changed)
    while frontier:
        frontier = {code for code, formula in formulas.items()
                    if code not in affected and frontier.intersection(formula.inputs)}
        affected |= frontier
    return affected
