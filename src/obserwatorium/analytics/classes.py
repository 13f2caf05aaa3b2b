"""Class breaks of a choropleth: quantile classes, each holding about the same number of units."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

DEFAULT_CLASSES = 5


def quantile_breaks(values: Sequence[float | None], classes: int = DEFAULT_CLASSES) -> list[float]:
    """The lower bounds of classes 2..k (ascending, distinct) for the known values, k ≤ `classes`.

    The value ranked r of n (0-based) falls in class ⌊r·k/n⌋; equal values share a class, so a class may
    grow at its neighbour's expense and fewer distinct values give fewer classes. No values, no breaks.
    """
    known = sorted(v for v in values if v is not None)
    if not known or classes < 2:
        return []
    count = len(known)
    k = min(classes, count)
    breaks: list[float] = []
    for cls in range(1, k):
        first = -(-cls * count // k)  # the first rank of class `cls`: ⌈cls·n/k⌉
        candidate = known[first]
        if candidate > known[0] and (not breaks or candidate > breaks[-1]):
            breaks.append(candidate)
    return breaks


def class_of(value: float, breaks: Sequence[float]) -> int:
    """The 0-based class of a value: below the first break is class 0, at or above the last is len(breaks)."""
    return bisect_right(breaks, value)
