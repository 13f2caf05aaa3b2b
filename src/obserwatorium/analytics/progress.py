"""Progress assessment as Eurostat uses it for SDG monitoring (short-term trend over the last five years).

With a quantitative target, the observed compound annual growth rate (CAGR) from the first year of the window
t0 to the latest year t is compared with the CAGR that would take the value at t0 to the target:

    CAGR_observed = (y_t / y_t0) ** (1 / (t - t0)) - 1
    CAGR_required = (target / y_t0) ** (1 / (target_year - t0)) - 1
    ratio         = CAGR_observed / CAGR_required

ratio >= 95 %: significant progress; 60-95 %: moderate progress; 0-60 %: insufficient progress; below 0:
movement away from the target. A target already met counts as significant progress.

Without a target the observed CAGR alone is read in the indicator's direction of better: above 1 % a year
significant progress, 0-1 % moderate progress, 0 to -1 % moderate movement away, below -1 % significant
movement away.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from obserwatorium.analytics.growth import cagr
from obserwatorium.analytics.trend import WINDOW, recent_window

MIN_YEARS = 3  # Eurostat assesses a short-term trend only with at least three years of data.


@dataclass(frozen=True)
class Assessment:
    status: str
    start_year: int
    latest_year: int
    start_value: float
    latest_value: float
    observed_cagr: float | None
    required_cagr: float | None = None
    ratio: float | None = None
    target_met: bool = False
    distance_travelled: float | None = None


def classify_ratio(ratio: float) -> str:
    """The Eurostat class of an observed/required growth ratio."""
    if ratio >= 0.95:
        return "significant-progress"
    if ratio >= 0.60:
        return "moderate-progress"
    if ratio >= 0.0:
        return "insufficient-progress"
    return "movement-away"


def classify_growth(observed: float, direction: str) -> str:
    """The Eurostat class of an observed CAGR (percent) without a target, in the direction of better."""
    signed = -observed if direction == "lower" else observed
    if signed > 1.0:
        return "significant-progress"
    if signed >= 0.0:
        return "moderate-progress"
    if signed >= -1.0:
        return "moderate-movement-away"
    return "significant-movement-away"


def _window(series: Mapping[int, float | None], window: int) -> tuple[int, int, float, float] | None:
    points = recent_window(series, window)
    if len(points) < MIN_YEARS:
        return None
    years = sorted(points)
    return years[0], years[-1], points[years[0]], points[years[-1]]


def assess_without_target(series: Mapping[int, float | None], direction: str, window: int = WINDOW
                          ) -> Assessment | None:
    """Progress of a yearly series with no target, or None when it cannot be assessed."""
    found = _window(series, window)
    if found is None or direction not in ("higher", "lower"):
        return None
    t0, t, y0, yt = found
    observed = cagr(y0, yt, t - t0)
    if observed is None:
        return None
    return Assessment(classify_growth(observed, direction), t0, t, y0, yt, observed)


def assess_with_target(series: Mapping[int, float | None], *, target_year: int, target_value: float,
                       baseline_value: float | None = None, window: int = WINDOW) -> Assessment | None:
    """Progress of a yearly series towards a target, or None when it cannot be assessed.

    The wanted direction is the target's side of the value at t0 (or of the stated baseline when given).
    """
    found = _window(series, window)
    if found is None:
        return None
    t0, t, y0, yt = found
    start = baseline_value if baseline_value is not None else y0
    rising = target_value >= start
    met = (yt >= target_value if rising else yt <= target_value) or math.isclose(yt, target_value, rel_tol=1e-9)
    distance = (yt - start) / (target_value - start) * 100.0 if target_value != start else None
    observed = cagr(y0, yt, t - t0)
    if met:
        return Assessment("significant-progress", t0, t, y0, yt, observed, None, None, True, distance)
    if target_year <= t0 or observed is None:
        return None
    required = cagr(y0, target_value, target_year - t0)
    if required is None:
        return None
    if required == 0:
        status = "movement-away"  # the target equals the start value yet is not met: the value moved off it
        return Assessment(status, t0, t, y0, yt, observed, required, None, False, distance)
    ratio = observed / required
    return Assessment(classify_ratio(ratio), t0, t, y0, yt, observed, required, ratio, False, distance)
