"""Roll-up of progress from children to parents in the strategy tree (pure: no Django import)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """One child's progress in percent (None when unknown) and its weight (None when not given)."""

    progress: float | None
    weight: float | None = None


def clamp_percent(value: float) -> float:
    """Bound a progress value to 0–100."""
    return min(100.0, max(0.0, value))


def roll_up(parts: Iterable[Part]) -> float | None:
    """A parent's progress from its children: weighted where weights are given, averaged otherwise.

    Children without known progress are left out. A child without a weight, among siblings that have
    one, counts with the mean of the given weights, so the result does not depend on the weights' scale.
    When no child has a weight, or the weights sum to zero, the plain mean is used. No known child: None.
    """
    known = [(p.progress, p.weight) for p in parts if p.progress is not None]
    if not known:
        return None
    given = [weight for _, weight in known if weight is not None and weight >= 0]
    fill = sum(given) / len(given) if given else 1.0
    weights = [fill if weight is None or weight < 0 else weight for _, weight in known]
    largest = max(weights)
    if largest <= 0:
        weights = [1.0] * len(known)
    else:
        # Relative weights: tiny or huge absolute values neither underflow nor overflow.
        weights = [w / largest for w in weights]
    total = sum(weights)
    value = sum(w * clamp_percent(progress) for w, (progress, _) in zip(weights, known, strict=True)) / total
    return clamp_percent(value)
