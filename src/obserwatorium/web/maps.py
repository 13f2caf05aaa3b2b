"""Choropleth maps of one period as Vega-Lite specs: gmina boundaries when known, a tile grid when not.

Both take the same `MapArea` list and the same colour classes (`MapClasses`: quintiles of the members'
values), so the choice of map is only a question of which geometry is available. Pure functions, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from obserwatorium.analytics.classes import class_of, quantile_breaks
from obserwatorium.web.charts import (
    CONTEXT_FILL,
    INK,
    NO_DATA,
    SCHEMA,
    ChartText,
    base_config,
    chart_header,
)
from obserwatorium.web.geo import label_point, orient_clockwise, outer_rings, signed_area

TILE_HEIGHT = 66
HIGHLIGHT_TILE = "#1f4e79"  # the located gmina: white labels on it keep a contrast above 7:1
CHARACTERS_PER_TILE = 8  # a tile's width over this is the label's font size: "Wawrzeńczyce" fits its tile
MIN_FONT_SIZE = 8
LABEL_MIN_SHARE = 0.4  # of the median member's area

# Five classes of ColorBrewer's sequential schemes without their palest step (it would vanish against the page);
# each colour with whether its label must be white: ink or white keeps a contrast of at least 6.3 on every class.
HIGHER_IS_BETTER = (("#c7e9b4", False), ("#7fcdbb", False), ("#41b6c4", False), ("#225ea8", True), ("#0c2c84", True))
NEUTRAL = (("#dadaeb", False), ("#bcbddc", False), ("#9e9ac8", False), ("#6a51a3", True), ("#3f007d", True))


@dataclass(frozen=True)
class MapArea:
    """One gmina on a map: a member with its value (None when missing) or a non-member shown as context."""

    name: str
    member: bool
    value: float | None = None
    value_label: str = ""
    flag: str = ""
    boundary: dict[str, Any] | None = None
    grid_row: int | None = None
    grid_col: int | None = None

    def summary(self, text: ChartText) -> str:
        """What a screen reader says for this area: "Kraków: 1 956 (demonstration)"."""
        if not self.member:
            return f"{self.name}: {text.label('outside')}"
        if self.value is None:
            return f"{self.name}: {text.label('missing')}"
        return f"{self.name}: {self.value_label}" + (f" ({self.flag})" if self.flag else "")


def can_draw_boundaries(areas: Sequence[MapArea]) -> bool:
    """Boundaries are drawn only when every member has one; otherwise the tile grid is the honest fallback."""
    members = [area for area in areas if area.member]
    return bool(members) and all(area.boundary for area in members)


@dataclass(frozen=True)
class MapClasses:
    """Quantile classes of the members' values, each with its colour and legend label; darker means better."""

    breaks: list[float]
    colours: list[str]
    light: list[bool]
    labels: list[str]

    @classmethod
    def of(cls, values: Sequence[float | None], polarity: str, decimals: int = 0,
           number_locale: dict | None = None) -> MapClasses:
        known = sorted(v for v in values if v is not None)
        breaks = quantile_breaks(known)
        palette = list(NEUTRAL if polarity == "neutral" else HIGHER_IS_BETTER)
        count = len(breaks) + 1
        # Fewer classes take steps spread over the whole scheme, so its two ends keep their meaning.
        chosen = [palette[round(i * (len(palette) - 1) / (count - 1))] for i in range(count)] if count > 1 \
            else [palette[len(palette) // 2]]
        if polarity == "lower":
            chosen.reverse()
        members: list[list[float]] = [[] for _ in range(count)]
        for value in known:
            members[class_of(value, breaks)].append(value)

        def number(value: float) -> str:
            return format_with_locale(value, decimals, number_locale or {})

        # A class is labelled with the lowest and highest value it holds: no bound the map does not show.
        labels = [number(held[0]) if held[0] == held[-1] else f"{number(held[0])} – {number(held[-1])}"
                  for held in members if held]
        return cls(breaks, [colour for colour, _ in chosen], [light for _, light in chosen], labels)

    def light_ink(self, value: float | None) -> bool:
        """Whether a label on this value's fill must be white to keep its contrast."""
        return value is not None and self.light[class_of(value, self.breaks)]

    def label_of(self, value: float | None, missing: str) -> str:
        """The legend entry of a value: its class, or the words for a missing value."""
        return missing if value is None or not self.labels else self.labels[class_of(value, self.breaks)]


def format_with_locale(value: float, decimals: int, number_locale: dict) -> str:
    """A number as the chart's d3 locale writes it (`,.Nf`): grouped thousands, the locale's decimal mark."""
    text = f"{abs(value):,.{max(0, decimals)}f}"
    text = text.replace(",", "\0").replace(".", number_locale.get("decimal", ".")).replace(
        "\0", number_locale.get("thousands", ","))
    return (number_locale.get("minus", "-") if value < 0 else "") + text


def _colour(text: ChartText, classes: MapClasses, field: str) -> dict:
    """Each class as a legend entry (its lowest and highest value), then the missing value's entry."""
    missing = text.label("missing")
    domain = [*classes.labels, missing]
    return {
        "field": field, "type": "ordinal", "sort": None,
        "scale": {"domain": domain, "range": [*classes.colours[:len(classes.labels)], NO_DATA]},
        # One entry a line: the longest range label still fits a phone's width.
        "legend": {"title": text.label("legend"), "orient": "bottom", "direction": "vertical",
                   "titleLimit": 480, "labelLimit": 300, "symbolType": "square", "symbolSize": 200,
                   "symbolStrokeColor": "#8b96a3", "symbolStrokeWidth": 0.5},
    }


def _frame(text: ChartText, number_locale: dict) -> dict:
    return {"$schema": SCHEMA, "description": text.description, "title": chart_header(text),
            "config": base_config(number_locale)}


def _tooltip(text: ChartText, prefix: str = "") -> list[dict]:
    return [{"field": f"{prefix}name", "type": "nominal", "title": text.label("unit")},
            {"field": f"{prefix}value_label", "type": "nominal", "title": text.label("value")},
            {"field": f"{prefix}flag", "type": "nominal", "title": text.label("flag")}]


def _ink(muted: str = "") -> dict:
    """Label colour: white on the dark end of the scheme, grey on context tiles, ink otherwise."""
    conditions = [{"test": "datum.light", "value": "#ffffff"}]
    if muted:
        conditions.append({"test": muted, "value": "#5d6773"})
    return {"condition": conditions, "value": INK}


def _centred_text(*, max_lines: int, muted: str = "", font_size: float = 10.5, room: str = "") -> list[dict]:
    """Text layers for labels of 1..max_lines lines, each block centred on its point.

    Vega puts the FIRST line of a multi-line text on the anchor, so each line count gets its own upward shift.
    `room` (a Vega expression, px) is the width a label may take: the text then shrinks with it down to
    MIN_FONT_SIZE and a name still too long ends in an ellipsis (the tooltip and the table keep it whole).
    """
    size: float | dict = font_size
    if room:
        size = {"expr": f"clamp(({room}) / {CHARACTERS_PER_TILE}, {MIN_FONT_SIZE}, {font_size})"}

    def scaled(template: str, fixed: float) -> float | dict:
        return {"expr": template.format(size=size["expr"])} if isinstance(size, dict) else fixed

    layers = []
    for count in range(1, max_lines + 1):
        line_height = scaled("({size}) + 2.5", font_size + 2.5)
        shift = scaled(f"-{count - 1} * (({{size}}) + 2.5) / 2", -(count - 1) * (font_size + 2.5) / 2)
        # aria off: the shape or tile under the label already says the same to a screen reader
        mark: dict = {"type": "text", "fontSize": size, "lineHeight": line_height, "baseline": "middle",
                      "dy": shift, "aria": False}
        if room:
            mark["limit"] = {"expr": f"({room}) - 4"}
        layers.append({"transform": [{"filter": f"length(datum.lines) === {count}"}], "mark": mark,
                       "encoding": {"text": {"field": "lines"}, "color": _ink(muted=muted)}})
    return layers


def _label_lines(name: str, width: int = 12) -> list[str]:
    """A long name broken after its hyphen or space so that it fits a tile."""
    if len(name) <= width:
        return [name]
    for separator in ("-", " "):
        if separator in name:
            head, tail = name.split(separator, 1)
            return [head + (separator if separator == "-" else ""), tail]
    return [name]


def boundary_map(*, areas: Sequence[MapArea], text: ChartText, polarity: str, decimals: int,
                 number_locale: dict) -> dict:
    """Geoshape choropleth of the members (non-members as pale context), rings oriented clockwise."""
    classes = MapClasses.of([a.value for a in areas if a.member], polarity, decimals, number_locale)

    def feature(area: MapArea) -> dict:
        return {"type": "Feature", "geometry": orient_clockwise(area.boundary or {}),
                "properties": {"name": area.name, "value": area.value, "value_label": area.value_label,
                               "class": classes.label_of(area.value, text.label("missing")),
                               "flag": area.flag, "summary": area.summary(text)}}

    members = [feature(a) for a in areas if a.member and a.boundary]
    context = [feature(a) for a in areas if not a.member and a.boundary]
    labels = []
    sizes = {a.name: sum(abs(signed_area(ring)) for ring in outer_rings(a.boundary))
             for a in areas if a.member and a.boundary}
    smallest_labelled = LABEL_MIN_SHARE * sorted(sizes.values())[len(sizes) // 2] if sizes else 0.0
    for area in areas:
        point = label_point(area.boundary) if area.member and area.boundary else None
        # A gmina too small for its name keeps it in the tooltip and the table beside the map.
        if point and sizes[area.name] >= smallest_labelled:
            labels.append({"lon": point[0], "lat": point[1], "lines": _label_lines(area.name, 11),
                           "light": classes.light_ink(area.value)})
    layers: list[dict] = []
    if context:
        layers.append({"data": {"values": context},
                       "mark": {"type": "geoshape", "fill": CONTEXT_FILL, "stroke": "#c3cad3", "strokeWidth": 0.6},
                       "encoding": {"tooltip": [{"field": "properties.name", "type": "nominal",
                                                 "title": text.label("outside")}],
                                    "description": {"field": "properties.summary"}}})
    layers.append({"data": {"values": members},
                   "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 1.2, "invalid": None},
                   "encoding": {"color": _colour(text, classes, "properties.class"),
                                "tooltip": _tooltip(text, "properties."),
                                "description": {"field": "properties.summary"}}})
    position = {"longitude": {"field": "lon", "type": "quantitative"},
                "latitude": {"field": "lat", "type": "quantitative"}}
    layers.append({"data": {"values": labels}, "encoding": position,
                   "layer": _centred_text(max_lines=2, font_size=9.5)})
    return {**_frame(text, number_locale), "width": "container", "height": 440,
            "autosize": {"type": "fit-x", "contains": "padding"},
            "projection": {"type": "mercator"}, "layer": layers}


def tile_grid_map(*, areas: Sequence[MapArea], text: ChartText, polarity: str, decimals: int,
                  number_locale: dict) -> dict:
    """Equal tiles at each gmina's (grid_row, grid_col); members coloured by value, non-members pale."""
    placed = [a for a in areas if a.grid_row is not None and a.grid_col is not None]
    classes = MapClasses.of([a.value for a in placed if a.member], polarity, decimals, number_locale)
    rows = max((a.grid_row for a in placed if a.grid_row is not None), default=0) + 1
    cols = max((a.grid_col for a in placed if a.grid_col is not None), default=0) + 1
    tiles = [{
        "name": a.name, "row": a.grid_row, "col": a.grid_col, "value": a.value if a.member else None,
        "value_label": a.value_label if a.member else text.label("outside"), "flag": a.flag,
        "member": a.member, "summary": a.summary(text), "class": classes.label_of(a.value, text.label("missing")),
        # Two-word names take two lines from 9 letters on: a phone's narrow tile holds "Wielka" / "Wieś".
        "lines": _label_lines(a.name, 8) + ([a.value_label] if a.member else []),
        "light": a.member and classes.light_ink(a.value),
    } for a in placed]
    position = {
        "x": {"field": "col", "type": "ordinal", "axis": None,
              "scale": {"domain": list(range(cols)), "paddingInner": 0.06, "paddingOuter": 0}},
        "y": {"field": "row", "type": "ordinal", "axis": None,
              "scale": {"domain": list(range(rows)), "paddingInner": 0.08, "paddingOuter": 0}},
    }
    member_tiles = {"filter": "datum.member"}
    # The grid takes the width of its box (a phone's as well as a desktop's), never more: the tiles and their
    # labels shrink with it.
    tile_width = f"width / {cols} * 0.94"
    return {
        **_frame(text, number_locale),
        "width": "container", "height": rows * TILE_HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": tiles},
        "encoding": position,
        "layer": [
            {"transform": [{"filter": "!datum.member"}],
             "mark": {"type": "rect", "cornerRadius": 4, "fill": CONTEXT_FILL, "stroke": "#c3cad3"},
             "encoding": {"tooltip": [{"field": "name", "type": "nominal", "title": text.label("outside")}],
                          "description": {"field": "summary"}}},
            {"transform": [member_tiles],
             "mark": {"type": "rect", "cornerRadius": 4, "invalid": None},
             "encoding": {"color": _colour(text, classes, "class"),
                          "tooltip": _tooltip(text), "description": {"field": "summary"}}},
            *_centred_text(max_lines=3, muted="!datum.member", room=tile_width),
        ],
    }


def location_map(*, areas: Sequence[MapArea], highlighted: str, text: ChartText, number_locale: dict) -> dict:
    """Where one gmina lies: the tile grid with that gmina dark, the other members grey, non-members pale.

    `highlighted` is the gmina's name; the tiles carry no values (a location, not a choropleth). Print draws it
    with `location_svg` (`usermeta.print`): the same tiles, without running Vega.
    """
    placed = [a for a in areas if a.grid_row is not None and a.grid_col is not None]
    rows = max((a.grid_row for a in placed if a.grid_row is not None), default=0) + 1
    cols = max((a.grid_col for a in placed if a.grid_col is not None), default=0) + 1
    tiles = [{"name": a.name, "row": a.grid_row, "col": a.grid_col, "lines": _label_lines(a.name, 8),
              "kind": "here" if a.name == highlighted else ("member" if a.member else "outside"),
              "light": a.name == highlighted, "member": a.member,
              "summary": a.name if a.name != highlighted else f"{a.name}: {text.label('here')}"} for a in placed]
    position = {
        "x": {"field": "col", "type": "ordinal", "axis": None,
              "scale": {"domain": list(range(cols)), "paddingInner": 0.06, "paddingOuter": 0}},
        "y": {"field": "row", "type": "ordinal", "axis": None,
              "scale": {"domain": list(range(rows)), "paddingInner": 0.08, "paddingOuter": 0}},
    }
    fill = {"field": "kind", "type": "nominal", "legend": None,
            "scale": {"domain": ["here", "member", "outside"], "range": [HIGHLIGHT_TILE, "#c9d0d8", CONTEXT_FILL]}}
    return {
        **_frame(text, number_locale), "width": "container", "height": rows * TILE_HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding"}, "usermeta": {"print": "tile-grid"},
        "data": {"values": tiles}, "encoding": position,
        "layer": [
            {"mark": {"type": "rect", "cornerRadius": 4, "stroke": "#ffffff"},
             "encoding": {"fill": fill, "tooltip": [{"field": "name", "type": "nominal", "title": text.label("unit")}],
                          "description": {"field": "summary"}}},
            # A fixed font size: shrinking each label to its tile (as the choropleth does) costs the printed card
            # most of its time; the names are written in two lines and the tooltip keeps them whole.
            *_centred_text(max_lines=2, muted="!datum.member", font_size=8.5),
        ],
    }


def location_svg(spec: dict, width: float) -> str:
    """The `location_map` spec drawn as a static SVG for print, `width` px wide: the same tiles (band scales with
    the spec's padding, rounded corners, white borders), colours and two-line labels as Vega draws, made in well
    under a millisecond where vl-convert took about a tenth of a second a card."""
    tiles = spec["data"]["values"]
    x_scale, y_scale = spec["encoding"]["x"]["scale"], spec["encoding"]["y"]["scale"]
    cols, rows = len(x_scale["domain"]), len(y_scale["domain"])
    height = float(spec["height"])
    fill = spec["layer"][0]["encoding"]["fill"]["scale"]
    colours = dict(zip(fill["domain"], fill["range"], strict=True))
    font = spec.get("config", {}).get("font", "sans-serif")
    x_step = width / max(1, cols - x_scale["paddingInner"])
    y_step = height / max(1, rows - y_scale["paddingInner"])
    tile_w, tile_h = x_step * (1 - x_scale["paddingInner"]), y_step * (1 - y_scale["paddingInner"])
    size, line_height = 8.5, 11.0
    family = escape(font, {'"': "&quot;"})
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
             f'viewBox="0 0 {width:.2f} {height:.2f}" font-family="{family}" font-size="{size}">']
    for tile in tiles:
        x, y = tile["col"] * x_step, tile["row"] * y_step
        parts.append(f'<rect x="{x:.2f}" y="{y:.2f}" width="{tile_w:.2f}" height="{tile_h:.2f}" rx="4" '
                     f'fill="{colours[tile["kind"]]}" stroke="#ffffff"/>')
        ink = "#ffffff" if tile["light"] else ("#5d6773" if not tile["member"] else INK)
        lines = tile["lines"]
        top = y + tile_h / 2 - (len(lines) - 1) * line_height / 2
        for number, line in enumerate(lines):
            parts.append(f'<text x="{x + tile_w / 2:.2f}" y="{top + number * line_height:.2f}" fill="{ink}" '
                         f'text-anchor="middle" dominant-baseline="central">{escape(line)}</text>')
    parts.append("</svg>")
    return "".join(parts)
