"""Shapes shared by the pages and the API: index definitions, indicator choices for comparisons."""

from __future__ import annotations

from html import escape
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from obserwatorium.indicators.marks import flag_mark
from obserwatorium.indicators.models import Indicator
from obserwatorium.insights.models import CompositeIndex
from obserwatorium.insights.selectors import periods
from obserwatorium.numbers import number_formatter


def index_definition(index: CompositeIndex) -> dict[str, Any]:
    """An index's definition: method, reference and components with weights and directions."""
    components = []
    for component in index.components.select_related("indicator", "sub_index"):
        target = component.indicator or component.sub_index
        direction = component.direction or (component.indicator.polarity if component.indicator else "higher")
        components.append({"key": component.key, "name": target.name if target else "", "weight": component.weight,
                           "direction": direction})
    return {"code": index.code, "name": index.name, "description": index.description,
            "domain": index.domain.code if index.domain else None, "normalisation": index.normalisation,
            "missing_rule": index.missing_rule, "min_weight_share": index.min_weight_share,
            "reference_scope": index.reference_scope,
            "reference_period": [index.reference_from, index.reference_to], "components": components}


def comparison_indicators(domain: str | None) -> tuple[list[Indicator], str]:
    """The indicators of a domain (headline ones when none is given) and their latest common year."""
    query = Indicator.objects.select_related("domain")
    chosen = list(query.filter(domain__code=domain) if domain else query.filter(headline=True))
    years = [p for i in chosen[:1] for p in periods(i) if p.isdigit()]
    return chosen, (years[-1] if years else "2000")


def ranking_bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each ranked row with its bar: `bar` in per cent of the largest magnitude, `bar_width` as an SVG length."""
    top = max((abs(r["value"]) for r in rows if r["value"] is not None), default=0) or 1
    for row in rows:
        row["bar"] = abs(row["value"]) / top * 100 if row["value"] is not None else 0
        row["bar_width"] = f"{row['bar']:.2f}"  # an SVG length, never localised
    return rows


def ranking_body(rows: list[dict[str, Any]], *, group: str, decimals: int, language: str) -> SafeString:
    """The rows of the rankings table (`ranking_bars` rows) as HTML, each link, number, flag mark and position
    label made in Python (a template loop per row took most of the page's time for 2,477 gminy). The markup is
    the loop's, character for character (tests/insights/test_ranking_rows.py holds the two to the same text).
    A number and a bar width are digits and separators (or "—"), never escaped; every other text is."""
    link = escape(f"{reverse('insights:comparison')}?unit=")
    tail = escape(f"&group={group}")
    number = number_formatter(language=language, decimals=abs(decimals), trim=decimals < 0)
    marks: dict[str | None, str] = {}
    positions: dict[str | None, str] = {}
    parts = []
    for row in rows:
        flag, value, position, rank = row["flag"], row["value"], row["position"], row["rank"]
        if value is None:
            mark = ""
        elif flag in marks:
            mark = marks[flag]
        else:
            mark = marks[flag] = str(flag_mark(flag, value))
        if position not in positions:
            positions[position] = escape(str(POSITION_LABELS.get(position or "", "—")))
        parts.append(
            f'<tr><td class="num">{rank or "—"}</td><td><a href="{link}{escape(row["unit"])}{tail}">'
            f'{escape(row["name"])}</a></td>\n'
            f'    <td class="num">{number(value)}{mark}</td>\n'
            '    <td class="bar-cell" aria-hidden="true"><svg class="bar" viewBox="0 0 100 10" '
            f'preserveAspectRatio="none" focusable="false"><rect width="{row["bar_width"]}" height="10"/></svg></td>\n'
            f'    <td>{positions[position]}</td></tr>\n  ')
    return mark_safe("".join(parts))  # every text in it escaped above


def index_rows(rows: list[dict[str, Any]], parts: list[dict[str, Any]], definition: dict[str, Any]
               ) -> list[dict[str, Any]]:
    """Each unit's index row with its contributions named, coloured in component order and stacked on the bar."""
    names = {c["key"]: c["name"] for c in definition["components"]}
    order = {c["key"]: position for position, c in enumerate(definition["components"])}
    for row in rows:
        mine = [p for p in parts if p["unit"] == row["unit"]]
        row["parts"] = sorted(({**p, "name": names.get(p["component"], p["component"]),
                                "colour": order.get(p["component"], 0) % 8} for p in mine),
                              key=lambda p: p["colour"])
        _stack(row["parts"])
    return rows


def _stack(parts: list[dict[str, Any]]) -> None:
    """Where each positive contribution sits on the 0–100 bar of the index (SVG lengths, never localised)."""
    start = 0.0
    for part in parts:
        width = max(part["contribution"] or 0.0, 0.0)
        part["bar_x"], part["bar_width"] = f"{start:.2f}", f"{width:.2f}" if width else ""
        start += width


STATUS_LABELS = {
    "significant-progress": _("significant progress"),
    "moderate-progress": _("moderate progress"),
    "insufficient-progress": _("insufficient progress"),
    "movement-away": _("movement away from the target"),
    "moderate-movement-away": _("moderate movement away"),
    "significant-movement-away": _("significant movement away"),
}
POSITION_LABELS = {
    "top-quartile": _("top quartile"), "above-median": _("above the median"), "median": _("at the median"),
    "below-median": _("below the median"), "bottom-quartile": _("bottom quartile"),
}
DIRECTION_LABELS = {"up": _("rising"), "down": _("falling"), "flat": _("stable")}
STRENGTH_LABELS = {"strong": _("strongly"), "moderate": _("moderately"), "none": ""}


def sparkline_points(series: dict[int, float | None], width: int = 160, height: int = 40, pad: int = 3
                     ) -> tuple[str, tuple[float, float] | None]:
    """SVG polyline points of a yearly series scaled into the box, and the last point (for a marker)."""
    points = sorted((year, value) for year, value in series.items() if value is not None and value == value)
    if len(points) < 2:
        return "", None
    years, values = [p[0] for p in points], [p[1] for p in points]
    low, high = min(values), max(values)
    spread_x, spread_y = (max(years) - min(years)) or 1, (high - low) or 1

    def place(year: int, value: float) -> tuple[float, float]:
        return (pad + (year - min(years)) / spread_x * (width - 2 * pad),
                height - pad - (value - low) / spread_y * (height - 2 * pad))

    placed = [place(y, v) for y, v in points]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in placed), placed[-1]
