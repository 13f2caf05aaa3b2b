"""Template tags of the analytics: indicator and municipality panels, progress badges, trend sparklines."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from obserwatorium.indicators.models import Flag, Indicator
from obserwatorium.insights import selectors
from obserwatorium.insights.groups import members_group
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
    aggregate = selectors.aggregate_series(indicator, members)
    rows = {r["period"]: r for r in aggregate.to_dicts() if r["period"].isdigit()}
    chosen = _year(year)
    row = rows.get(str(chosen)) if chosen else None
    row = row or next((rows[p] for p in sorted(rows, reverse=True) if rows[p]["value"] is not None), None)
    series = {int(p): r["value"] for p, r in rows.items()}
    targets = []
    for target in selectors.targets(indicator=indicator):
        own = selectors.unit_series(indicator, target.unit.teryt) if not target.for_metropolis else series
        targets.append({"target": target, "assessment": selectors.assess(indicator, own, target)})
    return {"aggregate": row, "series": series, "trend": selectors.trend_of(series),
            "assessment": selectors.assess(indicator, series), "targets": targets, "group": members,
            "has_demo": bool(row and row["flag"] == Flag.DEMO)}


@register.simple_tag
def unit_insights(unit: Any) -> dict[str, Any]:
    """Headline indicators of one unit: latest value, rank among members, trend and progress."""
    members = members_group()
    headline = list(Indicator.objects.filter(headline=True).select_related("domain"))
    # The unit's own values over every year; of the other members only the year each row ranks (its latest).
    own = selectors.values([i.code for i in headline], [unit.teryt])
    latest_years = {code: max(int(p) for p in periods)
                    for code, periods in own.filter(selectors.pl.col("value").is_not_null()
                                                    & selectors.pl.col("period").str.contains(r"^\d+$"))
                    .group_by("indicator").agg("period").iter_rows()}
    others = [teryt for teryt in members.teryts if teryt != unit.teryt]
    data = selectors.pl.concat([own, selectors.values_at(
        [(code, str(year)) for code, year in sorted(latest_years.items())], others)])
    targets = {t.indicator_id: t for t in selectors.targets(teryt=unit.teryt)}
    rows = []
    for indicator in headline:
        part = own.filter(selectors.pl.col("indicator") == indicator.code)
        series = {int(p): v for u, p, v in zip(part["unit"], part["period"], part["value"], strict=True)
                  if u == unit.teryt and p.isdigit()}
        years = [y for y, v in series.items() if v is not None]
        if not years:
            continue
        latest = max(years)
        ranked, _summary = selectors.ranking_table(indicator, str(latest), members, data=data)
        mine = ranked.filter(selectors.pl.col("unit") == unit.teryt).to_dicts()
        target = targets.get(indicator.pk)
        rows.append({"indicator": indicator, "year": latest, "value": series[latest], "series": series,
                     "rank": mine[0]["rank"] if mine else None, "ranked": mine[0]["ranked"] if mine else None,
                     "position": mine[0]["position"] if mine else None, "trend": selectors.trend_of(series),
                     "assessment": selectors.assess(indicator, series, target), "target": target})
    has_demo = bool(data.height) and bool((data["flag"] == Flag.DEMO).any())
    return {"rows": rows, "group": members, "has_demo": has_demo}
