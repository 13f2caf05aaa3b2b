"""Template tags of the analytics: indicator and municipality panels, progress badges, trend sparklines."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from obserwatorium.indicators.models import Flag, Indicator
from obserwatorium.indicators.selectors import better_count, comparison_unit_ids, kept_ordered_values
from obserwatorium.insights import selectors
from obserwatorium.insights.groups import members_group, members_label
from obserwatorium.insights.presenters import (
    DIRECTION_LABELS,
    POSITION_LABELS,
    STATUS_LABELS,
    STRENGTH_LABELS,
    sparkline_points,
)

register = template.Library()


@register.filter
def status_label(status: str | None) -> str:
    return str(STATUS_LABELS.get(status or "", _("not assessed")))


@register.filter
def position_label(position: str | None) -> str:
    return str(POSITION_LABELS.get(position or "", "—"))


@register.filter
def trend_label(found: Any) -> str:
    """'rising strongly', 'stable'… for a trend (object or dict)."""
    if not found:
        return _("not enough years")
    direction = found["direction"] if isinstance(found, dict) else found.direction
    strength = found["strength"] if isinstance(found, dict) else found.strength
    if direction is None:
        return _("not enough years")
    return f"{DIRECTION_LABELS[direction]} {STRENGTH_LABELS.get(strength, '')}".strip()


@register.simple_tag
def sparkline(series: dict[int, float | None], label: str = "") -> str:
    """An inline SVG trend line with a text alternative."""
    points, last = sparkline_points(series)
    if not points or last is None:
        return ""
    years = sorted(y for y, v in series.items() if v is not None)
    title = label or _("Trend %(first)s–%(last)s") % {"first": years[0], "last": years[-1]}
    return format_html(
        '<svg class="sparkline" viewBox="0 0 160 40" width="160" height="40" role="img" aria-label="{}">'
        '<title>{}</title><polyline points="{}" fill="none" stroke="currentColor" stroke-width="2"/>'
        '<circle cx="{}" cy="{}" r="3" fill="currentColor"/></svg>',
        title, title, points, f"{last[0]:.1f}", f"{last[1]:.1f}")


@register.inclusion_tag("insights/_badge.html")
def progress_badge(status: str | None, illustrative: bool = False) -> dict[str, Any]:
    return {"status": status, "label": status_label(status), "illustrative": illustrative}


def _year(value: Any) -> int | None:
    try:
        return int(str(value)[:4])
    except (TypeError, ValueError):
        return None


@register.simple_tag
def indicator_insights(indicator: Indicator, year: Any = None) -> dict[str, Any]:
    """Metropolis value with coverage, trend, progress and targets of one indicator, for its panel."""
    members = members_group()
    row, series = selectors.panel_aggregate(indicator, members, _year(year))
    targets = []
    for target in selectors.targets(indicator=indicator):
        own = selectors.unit_series(indicator, target.unit.teryt) if not target.for_metropolis else series
        targets.append({"target": target, "assessment": selectors.assess(indicator, own, target)})
    return {"aggregate": row, "series": series, "trend": selectors.trend_of(series),
            "assessment": selectors.assess(indicator, series), "targets": targets, "group": members,
            "has_demo": bool(row and row["flag"] == Flag.DEMO)}


@register.simple_tag
def unit_insights(unit: Any) -> dict[str, Any]:
    """Headline indicators of one unit: latest value, rank among members, trend and progress.

    Of the other members it builds no unit objects: per row, the members' values of the ranked year in order,
    kept per data version (`kept_ordered_values`), give the count ranked and those better than the unit, the
    competition ranking of `ranking_table` (held equal by a test)."""
    member_ids = comparison_unit_ids()
    headline = list(Indicator.objects.filter(headline=True).select_related("domain"))
    own = selectors.values([i.code for i in headline], [unit.teryt])  # the unit's own values over every year
    series_of: dict[str, dict[int, float | None]] = {}
    for code, period, value in own.select("indicator", "period", "value").iter_rows():
        if period.isdigit():
            series_of.setdefault(code, {})[int(period)] = value
    member = unit.pk in set(member_ids)
    latest_of = {code: max(years) for code, series in series_of.items()
                 if (years := [y for y, v in series.items() if v is not None])}
    ordered = kept_ordered_values([(indicator.pk, str(latest_of[indicator.code])) for indicator in headline
                                   if indicator.code in latest_of], unit_ids=member_ids)
    targets = {t.indicator_id: t for t in selectors.targets(teryt=unit.teryt)}
    rows = []
    for indicator in headline:
        if indicator.code not in latest_of:
            continue
        series, latest = series_of[indicator.code], latest_of[indicator.code]
        rank = ranked = None
        values, value = ordered[(indicator.pk, str(latest))].values, series[latest]
        if member and values and value is not None:  # `latest` is the latest year with a value
            ranked = len(values)
            sense = -1 if selectors.direction(indicator) == "lower" else 1
            # a count is listed, not ranked
            rank = better_count(values, value, sense) + 1 if selectors.comparable(indicator) else None
        target = targets.get(indicator.pk)
        rows.append({"indicator": indicator, "year": latest, "value": series[latest], "series": series,
                     "rank": rank, "ranked": ranked, "trend": selectors.trend_of(series),
                     "assessment": selectors.assess(indicator, series, target), "target": target})
    # Demonstration data among what the rows show: the unit's values or the members' values it is ranked among.
    has_demo = bool((own["flag"] == Flag.DEMO).any()) or any(o.flag == Flag.DEMO for o in ordered.values())
    return {"rows": rows, "group_label": members_label(), "has_demo": has_demo}
