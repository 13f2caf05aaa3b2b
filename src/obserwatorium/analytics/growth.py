"""Growth rates: year-on-year change, compound annual growth and a robust (Theil–Sen) slope."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import median


def cagr(first: float | None, last: float | None, years: float) -> float | None:
    """Compound annual growth rate in percent over `years` years; None when undefined.

    Defined only for a positive start and a non-negative end (a ratio of levels), as Eurostat uses it.
    """
    if first is None or last is None or years <= 0 or not math.isfinite(first) or not math.isfinite(last):
        return None
    if first <= 0 or last < 0:
        return None
    return ((last / first) ** (1.0 / years) - 1.0) * 100.0


def theil_sen_slope(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """The median of all pairwise slopes (robust to one outlying year); None with fewer than two points."""
    points = [(x, y) for x, y in zip(xs, ys, strict=True) if y is not None and math.isfinite(y)]
    slopes = [(y2 - y1) / (x2 - x1) for i, (x1, y1) in enumerate(points) for x2, y2 in points[i + 1:] if x2 != x1]
    return median(slopes) if slopes else None
