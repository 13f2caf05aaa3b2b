"""Chart and map specs: pure dicts that Vega-Lite compiles, in the page's language, honest about demo data."""

from __future__ import annotations

import json
import re

import pytest
import vl_convert

from obserwatorium.numbers import d3_locale
from obserwatorium.web.charts import (
    INK,
    NO_DATA,
    ChartText,
    embed_options,
    line_chart,
    sparkline_path,
    target_chart,
)
from obserwatorium.web.geo import is_clockwise
from obserwatorium.web.maps import (
    HIGHER_IS_BETTER,
    NEUTRAL,
    MapArea,
    MapClasses,
    boundary_map,
    can_draw_boundaries,
    tile_grid_map,
)

NOTICE = "Dane demonstracyjne, a nie oficjalne statystyki."
TEXT = ChartText(title="Ludność", description="Wykres liniowy ludności", subtitle=["osoby"], notice=NOTICE,
                 labels={"members": "Gminy członkowskie", "metropolis": "Metropolia", "legend": "osoby",
                         "missing": "brak wartości", "outside": "poza"})
ROWS = [{"unit": unit, "period": str(year), "value": 100.0 + i * 10 + year - 2020, "flag": "demo"}
        for i, unit in enumerate(["Kraków", "Wieliczka", "Liszki"]) for year in (2020, 2021, 2022)]
SQUARE = [[19.0, 50.0], [19.0, 50.1], [19.1, 50.1], [19.1, 50.0], [19.0, 50.0]]


def _svg(spec: dict) -> str:
    return vl_convert.vegalite_to_svg(spec)


def _marks(svg: str, role: str) -> int:
    return len(re.findall(f'aria-roledescription="{role}"', svg))


def test_line_chart_draws_every_member_and_the_metropolis():
    spec = line_chart(text=TEXT, rows=ROWS, decimals=0, number_locale=d3_locale("pl"),
                      aggregate_rows=[{"period": "2020", "value": 105.0, "coverage": "3 z 3 gmin"}])
    assert spec["title"]["subtitle"][-1] == NOTICE
    assert spec["description"] == "Wykres liniowy ludności"
    assert spec["params"][0]["bind"]["options"] == ["", "Kraków", "Liszki", "Wieliczka"]
    assert [len(layer["data"]["values"]) for layer in spec["layer"]] == [9, 1]
    svg = _svg(spec)
    assert _marks(svg, "line mark") == 4  # three members and the metropolis
    assert _marks(svg, "point") == 10
    assert "Metropolia" in svg and NOTICE in svg


def test_line_chart_without_aggregate_has_one_layer_and_no_notice_for_real_data():
    text = ChartText(title="t", description="d")
    spec = line_chart(text=text, rows=ROWS, aggregate_rows=[], decimals=1, number_locale=d3_locale("en"))
    assert len(spec["layer"]) == 1 and "subtitle" not in spec["title"]
    assert spec["layer"][0]["encoding"]["tooltip"][2]["format"] == ",.1f"
    _svg(spec)


@pytest.mark.parametrize("polarity", ["higher", "lower", "neutral"])
def test_map_classes_are_quintiles_and_darker_means_better(polarity):
    classes = MapClasses.of([float(v) for v in range(15)] + [None], polarity)
    assert classes.breaks == [3.0, 6.0, 9.0, 12.0] and len(classes.colours) == 5
    schemes = {"higher": HIGHER_IS_BETTER, "lower": HIGHER_IS_BETTER[::-1], "neutral": NEUTRAL}
    assert classes.colours == [colour for colour, _ in schemes[polarity]]
    best, worst = (0.0, 14.0) if polarity == "lower" else (14.0, 0.0)
    assert classes.light_ink(best) and not classes.light_ink(worst) and not classes.light_ink(None)


def test_class_labels_give_the_values_each_class_holds_in_the_page_language():
    values = [1234.5, 2000.0, None, 5000.4, -3.0]
    polish = MapClasses.of(values, "higher", 1, d3_locale("pl"))
    minus = d3_locale("pl")["minus"]
    assert polish.labels == [f"{minus}3,0", "1\u00a0234,5", "2\u00a0000,0", "5\u00a0000,4"]
    english = MapClasses.of([1000.0 * n for n in range(1, 11)], "higher", 0, d3_locale("en"))
    assert english.labels[0] == "1,000 \u2013 2,000" and len(english.labels) == 5
    assert english.label_of(None, "no data") == "no data"


def test_few_values_take_the_ends_of_the_scheme_and_one_value_one_colour():
    two = MapClasses.of([1.0, 2.0], "higher")
    assert two.breaks == [2.0] and two.colours == [HIGHER_IS_BETTER[0][0], HIGHER_IS_BETTER[-1][0]]
    one = MapClasses.of([3.0, 3.0, None], "higher")
    assert one.breaks == [] and len(one.colours) == 1


def test_every_class_colour_keeps_its_label_readable():
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour, light in (*HIGHER_IS_BETTER, *NEUTRAL):
        ink = luminance("#ffffff" if light else INK)
        high, low = max(ink, luminance(colour)), min(ink, luminance(colour))
        assert (high + 0.05) / (low + 0.05) >= 4.5, colour


def _areas(with_boundaries: bool) -> list[MapArea]:
    areas = []
    for index, name in enumerate(["Kraków", "Wieliczka", "Liszki", "Iwanowice"]):
        ring = [[x + index * 0.1, y] for x, y in SQUARE]
        member = name != "Iwanowice"
        areas.append(MapArea(name=name, member=member, value=None if name == "Liszki" else float(index),
                             value_label=str(index), flag="demo", grid_row=0, grid_col=index,
                             boundary={"type": "Polygon", "coordinates": [ring[::-1]]} if with_boundaries else None))
    return areas


def test_boundaries_are_used_only_when_every_member_has_one():
    assert can_draw_boundaries(_areas(True))
    partial = _areas(True)
    partial[0] = MapArea(name="Kraków", member=True, value=1.0)
    assert not can_draw_boundaries(partial) and not can_draw_boundaries(_areas(False))


def test_boundary_map_orients_rings_and_separates_members_from_context():
    spec = boundary_map(areas=_areas(True), text=TEXT, polarity="lower", decimals=0, number_locale=d3_locale("pl"))
    context, members, labels = spec["layer"]
    assert [f["properties"]["name"] for f in members["data"]["values"]] == ["Kraków", "Wieliczka", "Liszki"]
    assert [f["properties"]["name"] for f in context["data"]["values"]] == ["Iwanowice"]
    for feature in members["data"]["values"] + context["data"]["values"]:
        assert is_clockwise(feature["geometry"]["coordinates"][0])
    scale = members["encoding"]["color"]["scale"]
    # Kraków 0 and Wieliczka 1 make two classes, labelled with the values they hold; Liszki has none
    assert scale["domain"] == ["0", "1", "brak wartości"]
    assert scale["range"] == [HIGHER_IS_BETTER[-1][0], HIGHER_IS_BETTER[0][0], NO_DATA]  # lower is better: 0 darkest
    assert [f["properties"]["class"] for f in members["data"]["values"]] == ["0", "1", "brak wartości"]
    assert members["mark"]["invalid"] is None  # a member without a value is drawn grey, not dropped
    svg = _svg(spec)
    assert _marks(svg, "geoshape") == 4
    assert 'aria-label="Liszki: brak wartości"' in svg and 'aria-label="Iwanowice: poza"' in svg
    assert NOTICE in svg


def test_tile_grid_map_places_every_gmina():
    spec = tile_grid_map(areas=_areas(False), text=TEXT, polarity="higher", decimals=0, number_locale=d3_locale("en"))
    tiles = spec["data"]["values"]
    assert [(t["row"], t["col"]) for t in tiles] == [(0, 0), (0, 1), (0, 2), (0, 3)]
    assert [t["member"] for t in tiles] == [True, True, True, False]
    assert tiles[3]["value"] is None and tiles[1]["lines"] == ["Wieliczka", "1"]
    assert "projection" not in spec
    svg = _svg(spec)
    assert _marks(svg, "rect mark") == 4
    assert all(name in svg for name in ("Kraków", "Wieliczka", "Liszki", "Iwanowice"))


def test_specs_are_plain_json():
    spec = boundary_map(areas=_areas(True), text=TEXT, polarity="neutral", decimals=2, number_locale=d3_locale("pl"))
    assert json.loads(json.dumps(spec)) == spec


def test_embed_options_keep_only_export_actions():
    options = embed_options(save_svg="Zapisz jako SVG", save_png="Zapisz jako PNG", menu="Opcje")
    assert options["renderer"] == "svg"
    assert options["actions"] == {"export": True, "source": False, "compiled": False, "editor": False}


def test_sparkline_path_breaks_at_gaps():
    assert sparkline_path([1.0]) == "" and sparkline_path([None, None]) == ""
    path = sparkline_path([1.0, 2.0, None, 3.0, 4.0], width=80, height=20, pad=2)
    assert path.count("M") == 2 and path.count("L") == 2
    assert path.startswith("M2.0 18.0")  # lowest value at the bottom
    assert path.endswith("L78.0 2.0")  # highest at the top right


def test_target_chart_draws_the_values_the_path_and_the_target_with_a_title_that_wraps():
    text = ChartText(title="Udział odpadów zebranych selektywnie w odpadach z gospodarstw domowych",
                     description="Wykres liniowy odpadów", subtitle=["Kraków", "%"], notice=NOTICE,
                     labels={"observed": "Zaobserwowane", "path": "Ścieżka do celu", "target": "Cel"})
    observed = [{"year": year, "value": 38.0 + 4 * (year - 2018), "flag": "demo"} for year in range(2018, 2023)]
    spec = target_chart(text=text, observed=observed, baseline=(2018, 38.0), target=(2030, 65.0), decimals=1,
                        number_locale=d3_locale("pl"))
    path, values, goal = spec["layer"]
    assert [p["year"] for p in path["data"]["values"]] == [2018, 2030] and path["mark"]["strokeDash"]
    assert len(values["data"]["values"]) == 5 and goal["data"]["values"] == [
        {"year": 2030, "value": 65.0, "series": "Cel"}]
    assert values["encoding"]["x"]["scale"]["domain"] == [2018, 2030]
    assert all(len(line) <= 34 for line in spec["title"]["text"]) and len(spec["title"]["text"]) > 1
    assert spec["title"]["subtitle"][-1] == NOTICE
    svg = vl_convert.vegalite_to_svg({**spec, "width": 400})
    assert "Ścieżka do celu" in svg and "2030" in svg
