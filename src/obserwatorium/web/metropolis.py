"""The metropolis against its members: aggregates by the indicator's rule, ranks and changes (pure Python).

No Django import, so the functions can move to `analytics/` as they are. Missing values are never skipped
silently: every aggregate carries its coverage (how many members it is computed from, out of how many).

Rules:
- ``sum``: the sum of the members' values, only when EVERY member has a value (a partial sum would look like a
  fall); otherwise no value, with the coverage.
- ``population_weighted_mean``: sum(value x population) / sum(population) over the members that have both.
- ``ratio_of_sums``: sum(numerator) / sum(denominator) x scale over the members that have both terms.
- ``none``: no metropolis figure.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass

Values = Mapping[Hashable, float | None]


@dataclass(frozen=True)
class Aggregate:
    value: float | None
    covered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.covered == self.total


def _known(values: Values | None, member: Hashable) -> float | None:
    if values is None:
        return None
    value = values.get(member)
    return None if value is None else float(value)


def aggregate(
    rule: str, *, members: Collection[Hashable], values: Values, weights: Values | None = None,
    numerators: Values | None = None, denominators: Values | None = None, scale: float = 1.0,
) -> Aggregate:
    """The metropolis value of one period from its members' values by the indicator's aggregation rule."""
    total = len(members)
    if rule == "sum":
        known = [v for m in members if (v := _known(values, m)) is not None]
        return Aggregate(sum(known) if known and len(known) == total else None, len(known), total)
    if rule == "population_weighted_mean":
        pairs = [(v, w) for m in members
                 if (v := _known(values, m)) is not None and (w := _known(weights, m)) is not None]
        weight = sum(w for _, w in pairs)
        value = sum(v * w for v, w in pairs) / weight if weight > 0 else None
        return Aggregate(value, len(pairs), total)
    if rule == "ratio_of_sums":
        pairs = [(n, d) for m in members
                 if (n := _known(numerators, m)) is not None and (d := _known(denominators, m)) is not None]
        denominator = sum(d for _, d in pairs)
        value = sum(n for n, _ in pairs) / denominator * scale if denominator != 0 and pairs else None
        return Aggregate(value, len(pairs), total)
    return Aggregate(None, 0, total)


def rank(value: float | None, values: Collection[float | None], *, polarity: str) -> tuple[int, int] | None:
    """Position of `value` among `values` (1 = best; highest first when neutral) and how many were ranked.

    Ties share the better position (competition ranking: 1, 2, 2, 4); None when `value` is missing.
    """
    known = [v for v in values if v is not None]
    if value is None or not known:
        return None
    better = sum(1 for v in known if (v < value if polarity == "lower" else v > value))
    return better + 1, len(known)


@dataclass(frozen=True)
class Change:
    start_period: str
    end_period: str
    delta: float

    def direction(self) -> int:
        return (self.delta > 0) - (self.delta < 0)

    def assessment(self, polarity: str) -> str:
        """'better', 'worse' or 'same' by the polarity; 'up'/'down' for a neutral indicator."""
        sign = self.direction()
        if sign == 0:
            return "same"
        if polarity == "neutral":
            return "up" if sign > 0 else "down"
        return "better" if (sign > 0) == (polarity != "lower") else "worse"


def change(series: Mapping[str, float | None], *, from_first: bool = False) -> Change | None:
    """Change to the last period with a value, from the one before it (or from the first with a value)."""
    known = sorted((p, v) for p, v in series.items() if v is not None)
    if len(known) < 2:
        return None
    (start_period, start_value), (end_period, end_value) = known[0 if from_first else -2], known[-1]
    return Change(start_period, end_period, end_value - start_value)
