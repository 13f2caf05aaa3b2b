"""The coverage rule: when a group value may be shown at all, given how much of the group it covers.

One rule for every caller (pages, analytics views, API, downloads), applied by `analytics.aggregate`:

- a ``sum`` needs every unit of the group (a partial total is not the group's total);
- a mean or ratio (``population_weighted_mean``, ``ratio_of_sums``) needs at least two thirds of the group's
  units AND units holding at least two thirds of the group's population. The first keeps a value from 1 of 15
  gminy from being called the group's; the second keeps a metropolis mean without Kraków (most of its
  population) from being called the metropolis'.
- ``none`` gives no value.

The population of a unit is its population in the period, or else the nearest period known (the latest before,
else the earliest after), so that a year without population data is judged by the units' size all the same. A
unit whose population is never known is left out of the population share (the unit share still applies); when
no population is known at all, only the unit share is judged.

Below the rule the group value is withheld and the pages show "—" with the coverage ("3 of 15 members").
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from fractions import Fraction

MIN_SHARE = Fraction(2, 3)


def sufficient(kind: str, *, covered: int, expected: int, covered_population: float | None = None,
               group_population: float | None = None) -> bool:
    """Whether a group value of rule `kind` covering `covered` of `expected` units may be shown.

    `covered_population` / `group_population`: the population of the covered units and of the whole group
    (None or a non-positive group population: unknown, then only the unit share is judged).
    """
    if expected <= 0 or covered <= 0 or kind == "none":
        return False
    if kind == "sum":
        return covered >= expected
    if Fraction(covered, expected) < MIN_SHARE:
        return False
    if group_population is None or group_population <= 0 or covered_population is None:
        return True
    # Compared without division so that the boundary (exactly two thirds) is decided exactly.
    return 3 * covered_population >= 2 * group_population


def nearest(series: Mapping[str, float | None], period: str) -> float | None:
    """The value of `period`, or else of the latest period before it, or else of the earliest after it."""
    own = series.get(period)
    if own is not None:  # the common case, looked up without a pass over the series (2,477 gminy x 20 years)
        return own
    known = {p: v for p, v in series.items() if v is not None}
    before = [p for p in known if p < period]
    if before:
        return known[max(before)]
    after = [p for p in known if p > period]
    return known[min(after)] if after else None


def population_share(members: Collection[Hashable], covered: Collection[Hashable],
                     population: Mapping[Hashable, Mapping[str, float | None]], period: str
                     ) -> tuple[float | None, float | None]:
    """(population of the covered units, population of the group) in `period` by `nearest`; (None, None) when
    no member's population is known."""
    sizes = {m: nearest(population.get(m, {}), period) for m in set(members)}
    known = {m: s for m, s in sizes.items() if s is not None}
    if not known:
        return None, None
    chosen = set(covered)
    return sum(s for m, s in known.items() if m in chosen), sum(known.values())
