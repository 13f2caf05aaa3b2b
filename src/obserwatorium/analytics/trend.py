"""Direction and strength of recent change: CAGR over the last years and a robust (Theil–Sen) slope; the plain
change between two periods that the pages show beside a value.

One method decides the direction everywhere: the compound annual growth rate (CAGR) of the window, the same
figure the Eurostat progress class (analytics.progress) is read from and that the pages print beside the label,
so "falling strongly" can never stand next to "CAGR +1.4 %, significant movement away". Only when the CAGR is
undefined (a value of zero or a change of sign in the window) does the Theil–Sen slope relative to the
window's mean level decide; no progress class is given then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from obserwatorium.analytics.growth import cagr, theil_sen_slope

WINDOW = 5
# Growth (CAGR, or the relative slope when there is no CAGR; percent a year) below which a series counts as
# flat, and above which the change counts as strong: the threshold of Eurostat's "significant" class.
FLAT_BELOW = 0.5
STRONG_ABOVE = 1.0


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
    growth = cagr(points[first], points[last], last - first)
    direction, strength = classify(growth if growth is not None else relative)
    return Trend(first, last, points[first], points[last], growth, slope, relative, direction, strength)


def classify(growth: float | None) -> tuple[str, str]:
    """(direction, strength) of a growth rate in percent a year: flat below FLAT_BELOW, strong above
    STRONG_ABOVE."""
    if growth is None or abs(growth) < FLAT_BELOW:
        return "flat", "none"
    return ("up" if growth > 0 else "down"), ("strong" if abs(growth) > STRONG_ABOVE else "moderate")


@dataclass(frozen=True)
class Change:
    """The difference between a series' value in `end_period` and in `start_period`."""

    start_period: str
    end_period: str
    delta: float

    def direction(self) -> int:
        return (self.delta > 0) - (self.delta < 0)

    def assessment(self, direction: str) -> str:
        """'better', 'worse' or 'same' in the indicator's direction of better; 'up'/'down' when neutral."""
        sign = self.direction()
        if sign == 0:
            return "same"
        if direction == "neutral":
            return "up" if sign > 0 else "down"
        return "better" if (sign > 0) == (direction != "lower") else "worse"


def change(series: Mapping[str, float | None], *, from_first: bool = False) -> Change | None:
    """Change to the last period with a value, from the one before it (or from the first with a value)."""
    known = sorted((p, v) for p, v in series.items() if v is not None)
    if len(known) < 2:
        return None
    (start_period, start_value), (end_period, end_value) = known[0 if from_first else -2], known[-1]
    return Change(start_period, end_period, end_value - start_value)
