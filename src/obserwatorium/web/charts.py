"""Vega-Lite specifications for the public pages, built as plain dicts (pure functions, no Django import).

The same spec is drawn in the browser by the offline bundle (static/web/charts.js) and can be rendered to
SVG/PNG/PDF by vl-convert. Texts arrive already translated; numbers are formatted by the spec's own locale
(`config.locale`), so a chart speaks the page's language.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # the version of the vl-convert bundle (6.4)
INK = "#1b1f24"
MEMBER_LINE = "#8b96a3"
HIGHLIGHT = "#c05600"
NO_DATA = "#d4d8dd"
CONTEXT_FILL = "#f1f3f5"
TITLE_LINE = 34  # characters of a title line that fit a phone's chart (about 300 px at the title's size)

# ColorBrewer's single-hue scheme (colour-blind safe) for counts that say "more", not "better"; the maps'
# classed colours are in maps.py.
NEUTRAL_SCHEME = "purples"


@dataclass(frozen=True)
class ChartText:
    """The translated words of one chart."""

    title: str
    description: str
    subtitle: Sequence[str] = ()
    notice: str = ""  # the demonstration-data notice, when the chart shows demo values
    credit: str = ""  # "Source: … · site name": an exported chart says where it comes from
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, key: str) -> str:
        return self.labels.get(key, key)


def value_format(decimals: int) -> str:
    """d3-format specifier for a value with the indicator's decimals and thousands grouping."""
    return f",.{max(0, decimals)}f"


def base_config(number_locale: dict) -> dict:
    """Shared look: system font, quiet axes, left-aligned titles and the page language's number format."""
    return {
        "locale": {"number": number_locale},
        "font": "system-ui, DejaVu Sans, sans-serif",
        "background": "#ffffff",
        "view": {"stroke": None},
        "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "subtitleColor": "#4a5561",
                  "offset": 10},
        "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e3e7ec", "domainColor": "#8b96a3"},
        "legend": {"labelFontSize": 11, "titleFontSize": 11},
    }


def chart_header(text: ChartText) -> dict:
    """Title and subtitle lines, then the credit; the demonstration-data notice is always the last line."""
    subtitle = [*text.subtitle, *([text.credit] if text.credit else []), *([text.notice] if text.notice else [])]
    header: dict = {"text": text.title}
    if subtitle:
        header["subtitle"] = subtitle
    return header


def line_chart(*, text: ChartText, rows: Sequence[dict], aggregate_rows: Sequence[dict], decimals: int,
               number_locale: dict, highlight: str = "") -> dict:
    """Every member over time (thin lines, one can be highlighted), the metropolis as a thick line on top.

    `rows`: {"unit", "period", "value", "flag"} per member value; `aggregate_rows`: {"period", "value",
    "coverage"} per period with a metropolis value (empty when the rule gives none or it would not share
    the members' scale). `highlight`: the gmina highlighted at first (the page's `?highlight=`), if it has a line.
    """
    members_label, metropolis_label = text.label("members"), text.label("metropolis")
    names = sorted({row["unit"] for row in rows})
    tooltip_value = {"field": "value", "type": "quantitative", "title": text.label("value"),
                     "format": value_format(decimals)}
    yearly = all(str(row["period"]).isdigit() for row in [*rows, *aggregate_rows])
    if yearly:
        # Years on a true scale, so that a gap (2006, then 2012) looks like one; quarters/months stay ordinal.
        rows = [{**row, "year": int(row["period"])} for row in rows]
        aggregate_rows = [{**row, "year": int(row["period"])} for row in aggregate_rows]
        x = {"field": "year", "type": "quantitative", "title": text.label("period"),
             "scale": {"zero": False, "nice": False, "padding": 12},
             "axis": {"format": "d", "tickMinStep": 1, "labelAngle": 0, "grid": False}}
    else:
        x = {"field": "period", "type": "ordinal", "title": text.label("period"), "axis": {"labelAngle": 0}}
    y = {"field": "value", "type": "quantitative", "title": text.label("axis"), "scale": {"zero": False}}
    series_domain = [members_label, *([metropolis_label] if aggregate_rows else [])]
    series_scale = {"domain": series_domain, "range": [MEMBER_LINE, INK][: len(series_domain)]}
    legend = {"orient": "top", "title": None, "symbolType": "stroke", "symbolStrokeWidth": 3}
    members_layer = {
        "data": {"values": [{**row, "series": members_label} for row in rows]},
        "mark": {"type": "line", "point": {"size": 16}, "interpolate": "linear"},
        "encoding": {
            "x": x, "y": y, "detail": {"field": "unit", "type": "nominal"},
            "color": {"condition": {"test": "datum.unit === highlight", "value": HIGHLIGHT},
                      "field": "series", "type": "nominal", "scale": series_scale, "legend": legend},
            "strokeWidth": {"condition": {"test": "datum.unit === highlight", "value": 3.5}, "value": 1.3},
            "opacity": {"condition": {"test": "highlight === '' || datum.unit === highlight", "value": 1},
                        "value": 0.35},
            "tooltip": [{"field": "unit", "type": "nominal", "title": text.label("unit")},
                        {"field": "period", "type": "ordinal", "title": text.label("period")},
                        tooltip_value, {"field": "flag", "type": "nominal", "title": text.label("flag")}],
        },
    }
    layers = [members_layer]
    if aggregate_rows:
        layers.append({
            "data": {"values": [{**row, "series": metropolis_label} for row in aggregate_rows]},
            "mark": {"type": "line", "strokeWidth": 3.5, "point": {"size": 40, "filled": True}},
            "encoding": {
                "x": x, "y": y,
                "color": {"field": "series", "type": "nominal", "scale": series_scale, "legend": legend},
                "tooltip": [{"field": "series", "type": "nominal", "title": text.label("unit")},
                            {"field": "period", "type": "ordinal", "title": text.label("period")},
                            tooltip_value,
                            {"field": "coverage", "type": "nominal", "title": text.label("coverage")}],
            },
        })
    return {
        "$schema": SCHEMA,
        "description": text.description,
        "title": chart_header(text),
        "width": "container",
        "height": 340,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "params": [{"name": "highlight", "value": highlight if highlight in names else "",
                    "bind": {"input": "select", "options": ["", *names], "labels": ["—", *names],
                             "name": text.label("highlight") + " "}}],
        "layer": layers,
        "config": base_config(number_locale),
    }


def target_chart(*, text: ChartText, observed: Sequence[dict], baseline: tuple[int, float],
                 target: tuple[int, float], decimals: int, number_locale: dict) -> dict:
    """A series against its target: the observed values (a line), the straight path from the baseline to the
    target (dashed) and the target itself (a diamond), on a year axis from the baseline to the target year.

    `observed`: {"year", "value", "flag"} per year; labels "observed", "path", "target", "year", "value", "flag".
    """
    observed_label, path_label, target_label = text.label("observed"), text.label("path"), text.label("target")
    first = min([baseline[0], *(int(row["year"]) for row in observed)])
    x = {"field": "year", "type": "quantitative", "title": text.label("year"),
         "scale": {"domain": [first, target[0]], "zero": False, "nice": False, "padding": 12},
         "axis": {"format": "d", "tickMinStep": 1, "labelAngle": 0, "grid": False}}
    y = {"field": "value", "type": "quantitative", "title": text.label("axis"), "scale": {"zero": False}}
    series = {"domain": [observed_label, path_label, target_label], "range": [INK, MEMBER_LINE, HIGHLIGHT]}
    # Three entries side by side would be wider than a phone's chart: stacked, the legend never squeezes the plot.
    colour = {"field": "series", "type": "nominal", "scale": series,
              "legend": {"orient": "top", "direction": "vertical", "title": None}}
    tooltip = [{"field": "series", "type": "nominal", "title": " "},
               {"field": "year", "type": "quantitative", "title": text.label("year"), "format": "d"},
               {"field": "value", "type": "quantitative", "title": text.label("value"),
                "format": value_format(decimals)}]
    path = [{"year": baseline[0], "value": baseline[1], "series": path_label},
            {"year": target[0], "value": target[1], "series": path_label}]
    layers = [
        {"data": {"values": path}, "mark": {"type": "line", "strokeDash": [6, 4], "strokeWidth": 2},
         "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip}},
        {"data": {"values": [{**row, "series": observed_label} for row in observed]},
         "mark": {"type": "line", "strokeWidth": 3, "point": {"size": 40, "filled": True}},
         "encoding": {"x": x, "y": y, "color": colour,
                      "tooltip": [*tooltip, {"field": "flag", "type": "nominal", "title": text.label("flag")}]}},
        {"data": {"values": [{"year": target[0], "value": target[1], "series": target_label}]},
         "mark": {"type": "point", "shape": "diamond", "size": 160, "filled": True},
         "encoding": {"x": x, "y": y, "color": colour, "tooltip": tooltip}},
    ]
    # A long title would widen the chart past a phone's screen, and fitting the chart to its container would
    # then squeeze the plot to a sliver: the title wraps (the subtitle lines are short: the caller's to keep).
    header = {**chart_header(text), "text": textwrap.wrap(text.title, TITLE_LINE) or [text.title]}
    return {
        "$schema": SCHEMA,
        "description": text.description,
        "title": header,
        "width": "container",
        "height": 260,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "layer": layers,
        "config": base_config(number_locale),
    }


def embed_options(*, save_svg: str, save_png: str, menu: str) -> dict:
    """vega-embed options: SVG renderer (marks are countable, text stays text), only the export actions.

    "View source", "compiled" and "open in editor" stay off: the editor is an outside web site. vega-embed's own
    <style> element stays out too (`defaultStyle`), and so does vega-tooltip's (`disableDefaultStyle`): the
    Content-Security-Policy allows no inline style, and site.css styles the actions menu and the tooltip.
    """
    return {
        "renderer": "svg",
        "defaultStyle": False,
        "forceActionsMenu": True,  # the menu is drawn without the default style only when asked
        "tooltip": {"disableDefaultStyle": True},
        "actions": {"export": True, "source": False, "compiled": False, "editor": False},
        "i18n": {"SVG_ACTION": save_svg, "PNG_ACTION": save_png, "CLICK_TO_VIEW_ACTIONS": menu},
    }


def sparkline_path(values: Sequence[float | None], *, width: float = 80, height: float = 20,
                   pad: float = 2) -> str:
    """SVG path data of a small trend line; a gap where a value is missing; "" with fewer than two values."""
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(1, len(values) - 1)
    commands, pen_down = [], False
    for index, value in enumerate(values):
        if value is None:
            pen_down = False
            continue
        x = pad + index * step
        y = pad + (height - 2 * pad) * (1 - (value - low) / span) if high != low else height / 2
        commands.append(f"{'L' if pen_down else 'M'}{x:.1f} {y:.1f}")
        pen_down = True
    return " ".join(commands)


def sparkline(*, text: ChartText, points: Sequence[dict], decimals: int, number_locale: dict,
              width: int = 110, height: int = 26) -> dict:
    """A small trend line without axes (a card's or an annex's table row); the last value marked.

    `points`: {"period", "value"} per year with a value. `usermeta.print_width` is the width the printed chart
    keeps (a table cell), where a full-width chart would take the text block's; `usermeta.print` says that print
    draws it with `sparkline_svg` (the same picture, without running Vega).
    """
    rows = [{**row, "year": int(row["period"])} for row in points if str(row["period"]).isdigit()]
    x = {"field": "year", "type": "quantitative", "axis": None, "scale": {"zero": False, "nice": False}}
    y = {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": False}}
    tooltip = [{"field": "period", "type": "ordinal", "title": text.label("period")},
               {"field": "value", "type": "quantitative", "title": text.label("value"),
                "format": value_format(decimals)}]
    return {
        "$schema": SCHEMA, "description": text.description, "width": width, "height": height,
        "padding": 3, "usermeta": {"print_width": width, "print": "sparkline"},
        "data": {"values": rows},
        "layer": [
            {"mark": {"type": "line", "color": INK, "strokeWidth": 1.4}, "encoding": {"x": x, "y": y}},
            {"transform": [{"window": [{"op": "row_number", "as": "order"}],
                            "sort": [{"field": "year", "order": "descending"}]},
                           {"filter": "datum.order === 1"}],
             "mark": {"type": "point", "filled": True, "size": 22, "color": HIGHLIGHT},
             "encoding": {"x": x, "y": y, "tooltip": tooltip}},
        ],
        "config": {**base_config(number_locale), "view": {"stroke": None}},
    }


def _svg_number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _sparkline_points(spec: dict, width: float, height: float, pad: float) -> list[tuple[float, float]]:
    """The `sparkline` spec's points in a width × height box inside `pad`: x by year, y from the lowest value
    (bottom) to the highest (top), as Vega draws it."""
    rows = sorted((row["year"], row["value"]) for row in spec["data"]["values"] if row.get("value") is not None)
    if not rows:
        return []
    first, last = rows[0][0], rows[-1][0]
    low, high = min(v for _y, v in rows), max(v for _y, v in rows)
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    return [(pad + (inner_w * (year - first) / (last - first) if last != first else 0),
             pad + (inner_h * (1 - (value - low) / (high - low)) if high != low else inner_h / 2))
            for year, value in rows]


def _path(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{'L' if index else 'M'}{_svg_number(x)} {_svg_number(y)}" for index, (x, y) in enumerate(points))


def sparkline_spec_path(spec: dict, *, width: float = 80, height: float = 20, pad: float = 2) -> str:
    """SVG path data of the `sparkline` spec's line (a page's small inline trend, like `sparkline_path`); "" with
    fewer than two values."""
    points = _sparkline_points(spec, width, height, pad)
    return _path(points) if len(points) > 1 else ""


def sparkline_svg(spec: dict, width: float | None = None) -> str:
    """The `sparkline` spec drawn as a static SVG for print: its line and its last value's dot, the same picture
    Vega draws (x by year, y from the lowest to the highest value, inside the spec's padding), made in
    microseconds where vl-convert takes milliseconds a chart (a card has a dozen).

    `width`: the printed width in px (the spec's own width when None); the height is the spec's."""
    width = float(width or spec.get("width", 110))
    height = float(spec.get("height", 26))
    points = _sparkline_points(spec, width, height, float(spec.get("padding", 3)))
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_svg_number(width)}" height="{_svg_number(height)}" '
           f'viewBox="0 0 {_svg_number(width)} {_svg_number(height)}">')
    if points:
        last_x, last_y = points[-1]
        radius = 2.65  # Vega's point of size 22 (its area in px²)
        svg += (f'<path d="{_path(points)}" fill="none" stroke="{INK}" stroke-width="1.4" stroke-linejoin="round"/>'
                f'<circle cx="{_svg_number(last_x)}" cy="{_svg_number(last_y)}" r="{radius}" fill="{HIGHLIGHT}"/>')
    return svg + "</svg>"


def activity_chart(*, text: ChartText, rows: Sequence[dict], number_locale: dict) -> dict:
    """Counts per row and year as a grid of shaded cells with the number written in each (meetings attended per
    gmina, or per forum, per year): the number is the information, the shade only helps the eye.

    `rows`: {"row", "year", "count"} per row label and year with a count (an absent pair is drawn as nothing).
    """
    labels = sorted({row["row"] for row in rows}, key=str.casefold)
    years = sorted({row["year"] for row in rows})
    highest = max((row["count"] for row in rows), default=1) or 1
    x = {"field": "year", "type": "ordinal", "title": text.label("year"), "sort": years,
         "axis": {"labelAngle": 0, "orient": "top", "labelFontSize": 13, "ticks": False, "domain": False}}
    y = {"field": "row", "type": "nominal", "title": None, "sort": labels,
         "axis": {"labelLimit": 200, "labelFontSize": 13, "ticks": False, "domain": False}}
    tooltip = [{"field": "row", "type": "nominal", "title": text.label("row")},
               {"field": "year", "type": "ordinal", "title": text.label("year")},
               {"field": "count", "type": "quantitative", "title": text.label("count"), "format": "d"}]
    return {
        "$schema": SCHEMA,
        "description": text.description,  # the title is the page's heading above the chart
        "width": {"step": 58},
        "height": {"step": 30},
        "data": {"values": list(rows)},
        "encoding": {"x": x, "y": y},
        "layer": [
            {"mark": {"type": "rect", "stroke": "#ffffff", "strokeWidth": 2},
             "encoding": {"color": {"field": "count", "type": "quantitative", "legend": None,
                                    "scale": {"scheme": NEUTRAL_SCHEME, "domain": [0, highest]}},
                          "tooltip": tooltip}},
            {"mark": {"type": "text", "fontSize": 14, "fontWeight": "bold"},
             "encoding": {"text": {"field": "count", "type": "quantitative", "format": "d"},
                          "color": {"condition": {"test": f"datum.count > {highest / 2}", "value": "#ffffff"},
                                    "value": INK},
                          "tooltip": tooltip}},
        ],
        "config": {**base_config(number_locale), "view": {"stroke": None}},
    }
