"""The charts print draws from their specs without Vega (a card's sparklines and its location's tile grid): the
same picture as the spec, well-formed SVG, names escaped."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from obserwatorium.numbers import d3_locale
from obserwatorium.web.charts import CONTEXT_FILL, HIGHLIGHT, ChartText, sparkline, sparkline_spec_path, sparkline_svg
from obserwatorium.web.maps import HIGHLIGHT_TILE, MapArea, location_map, location_svg

SVG = "{http://www.w3.org/2000/svg}"


def _spark(points: list[tuple[str, float]]) -> dict:
    text = ChartText(title="Ludność", description="Trend ludności", labels={"period": "Rok", "value": "osoby"})
    return sparkline(text=text, points=[{"period": p, "value": v} for p, v in points], decimals=0,
                     number_locale=d3_locale("pl"))


def test_a_sparkline_is_drawn_by_year_between_its_lowest_and_highest_value_with_the_last_one_marked():
    spec = _spark([("2019", 10.0), ("2020", 30.0), ("2022", 20.0)])  # 2021 missing: the line spans the gap
    assert spec["usermeta"]["print"] == "sparkline"
    root = ElementTree.fromstring(sparkline_svg(spec))
    assert (root.get("width"), root.get("height")) == ("110", "26")
    # x: 2019 at the left padding (3), 2022 at the right (107), 2020 a third of the way; y: 30 on top, 10 at bottom
    assert root.find(f"{SVG}path").get("d") == "M3 23 L37.67 3 L107 13"
    dot = root.find(f"{SVG}circle")
    assert (dot.get("cx"), dot.get("cy"), dot.get("fill")) == ("107", "13", HIGHLIGHT)
    assert sparkline_spec_path(spec) == "M2 18 L27.33 2 L78 10"  # the page's 80 × 20 line
    assert sparkline_spec_path(_spark([("2020", 5.0)])) == ""
    flat = ElementTree.fromstring(sparkline_svg(_spark([("2020", 5.0), ("2021", 5.0)]), width=60))
    assert flat.get("width") == "60" and flat.find(f"{SVG}path").get("d") == "M3 13 L57 13"


def test_the_location_is_the_tile_grid_with_the_gmina_dark_and_names_escaped():
    areas = [MapArea(name="Kraków", member=True, grid_row=0, grid_col=1),
             MapArea(name="Kocmyrzów-Luborzyca", member=True, grid_row=1, grid_col=0),
             MapArea(name="Gdów & Co", member=False, grid_row=1, grid_col=1),
             MapArea(name="Nowhere", member=True)]
    text = ChartText(title="Położenie", description="Mapa", labels={"unit": "Gmina", "here": "ta gmina"})
    spec = location_map(areas=areas, highlighted="Kraków", text=text, number_locale=d3_locale("pl"))
    assert spec["usermeta"]["print"] == "tile-grid"
    svg = location_svg(spec, width=200)
    root = ElementTree.fromstring(svg)  # well-formed: the "&" is escaped
    tiles = root.findall(f"{SVG}rect")
    assert len(tiles) == 3  # the gmina without a place on the grid is not drawn
    fills = {(round(float(t.get("x"))), round(float(t.get("y")))): t.get("fill") for t in tiles}
    column, row = 200 / (2 - 0.06), spec["height"] / (2 - 0.08)  # band steps: 2 columns and rows, inner padding
    assert fills[(round(column), 0)] == HIGHLIGHT_TILE
    assert fills[(0, round(row))] == "#c9d0d8" and fills[(round(column), round(row))] == CONTEXT_FILL
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert labels == ["Kraków", "Kocmyrzów-", "Luborzyca", "Gdów", "& Co"]  # a long name in two lines
    assert re.search(r'fill="#ffffff"[^>]*>Kraków<', svg)  # white on the dark tile
