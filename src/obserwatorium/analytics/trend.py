"""Direction and strength of recent change: CAGR over the last years and a robust (Theil–Sen) slope."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from obserwatorium.analytics.growth import cagr, theil_sen_slope

WINDOW = 5
# Relative slope (percent of the window's mean level per year) below which a series counts as flat, and above
# which the change counts as strong.
FLAT_BELOW = 0.5
STRONG_FROM = 2.0


@dataclass(frozen=True)
class Trend:
    first_year: int
    last_year: int
    first_value: float
    last_value: float
    cagr: float | None
    slope: float | None
    relative_slope: float | None
    direction: str
    strength: str


def recent_window(series: Mapping[int, float | None], window: int = WINDOW) -> dict[int, float]:
    """The last `window` years up to the latest value (window + 1 points at most), values present only."""
    present = {year: value for year, value in series.items() if value is not None and value == value}
    if not present:
        return {}
    last = max(present)
    return {year: value for year, value in sorted(present.items()) if year >= last - window}


def trend(series: Mapping[int, float | None], window: int = WINDOW) -> Trend | None:
    """The recent trend of a yearly series, or None with fewer than three years in the window."""
    points = recent_window(series, window)
    if len(points) < 3:
        return None
    years = sorted(points)
    first, last = years[0], years[-1]
    slope = theil_sen_slope(years, [points[y] for y in years])
    mean = sum(points.values()) / len(points)
    relative = slope / abs(mean) * 100.0 if slope is not None and mean else None
    if relative is None or abs(relative) < FLAT_BELOW:
        direction, strength = "flat", "none"
    else:
        direction = "up" if relative > 0 else "down"
        strength = "strong" if abs(relative) >= STRONG_FROM else "moderate"
    return Trend(first, last, points[first], points[last], cagr(points[first], points[last], last - first),
                 slope, relative, direction, strength)
