"""Observation flags ordered from the strongest to the weakest, and the weakest of several."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

# A derived or aggregated value is only as good as its weakest input: demo anything makes it demo.
FLAG_ORDER: tuple[str, ...] = ("final", "provisional", "estimated", "confidential", "demo")
_RANK = {flag: position for position, flag in enumerate(FLAG_ORDER)}


def weakest(flags: Iterable[str | None]) -> str:
    """The weakest of the given flags ("final" when there are none)."""
    ranks = [_RANK.get(flag or "final", len(FLAG_ORDER) - 1) for flag in flags]
    return FLAG_ORDER[max(ranks)] if ranks else FLAG_ORDER[0]


def rank_expr(column: str) -> pl.Expr:
    """An expression mapping a flag column to its weakness rank (unknown flags count as the weakest)."""
    return pl.col(column).replace_strict(_RANK, default=len(FLAG_ORDER) - 1, return_dtype=pl.Int8)


def flag_from_rank(expr: pl.Expr) -> pl.Expr:
    """The flag name of a weakness rank expression."""
    return expr.replace_strict(dict(enumerate(FLAG_ORDER)), return_dtype=pl.Utf8)


def weakest_expr(*columns: str) -> pl.Expr:
    """Row-wise weakest flag of several flag columns."""
    return flag_from_rank(pl.max_horizontal(*(rank_expr(c) for c in columns)))
