"""Ring orientation for Vega-Lite geoshapes: outer rings clockwise, holes counter-clockwise, points kept."""

from __future__ import annotations

import json
import math
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.web.geo import is_clockwise, label_point, orient_clockwise, signed_area

SQUARE_CCW = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]  # RFC 7946 outer ring order


def test_a_counter_clockwise_square_is_reversed():
    assert signed_area(SQUARE_CCW) > 0 and not is_clockwise(SQUARE_CCW)
    oriented = orient_clockwise({"type": "Polygon", "coordinates": [SQUARE_CCW]})
    assert oriented["coordinates"][0] == SQUARE_CCW[::-1]
    assert is_clockwise(oriented["coordinates"][0])


def test_holes_run_counter_clockwise_and_the_input_is_not_modified():
    hole_cw = [[0.2, 0.2], [0.2, 0.4], [0.4, 0.4], [0.4, 0.2], [0.2, 0.2]]
    geometry = {"type": "Polygon", "coordinates": [SQUARE_CCW, hole_cw]}
    snapshot = json.dumps(geometry)
    outer, hole = orient_clockwise(geometry)["coordinates"]
    assert is_clockwise(outer) and not is_clockwise(hole)
    assert json.dumps(geometry) == snapshot


def test_other_geometries_pass_through():
    point = {"type": "Point", "coordinates": [19.9, 50.06]}
    assert orient_clockwise(point) == point
    collection = {"type": "GeometryCollection", "geometries": [point, {"type": "Polygon", "coordinates": [SQUARE_CCW]}]}
    assert is_clockwise(orient_clockwise(collection)["geometries"][1]["coordinates"][0])


def test_the_shared_boundaries_come_out_clockwise(shared_data):
    features = json.loads(shared_data("gminy_krakow_metro.geojson").read_text(encoding="utf-8"))["features"]
    for feature in features:
        # Flip to the RFC 7946 order first, so that the helper has work to do.
        flipped = {**feature["geometry"], "coordinates": [[ring[::-1] for ring in polygon]
                                                          for polygon in feature["geometry"]["coordinates"]]}
        for polygon in orient_clockwise(flipped)["coordinates"]:
            assert is_clockwise(polygon[0]), feature["properties"]["name"]


def _star_ring(radii: list[float], clockwise: bool, centre: tuple[float, float]) -> list[list[float]]:
    """A simple (star-shaped) closed ring around `centre` with the given radii at equal angles."""
    count = len(radii)
    points = [[centre[0] + r * math.cos(2 * math.pi * i / count), centre[1] + r * math.sin(2 * math.pi * i / count)]
              for i, r in enumerate(radii)]
    points = points[::-1] if clockwise else points
    return [*points, points[0]]


rings = st.builds(
    _star_ring,
    st.lists(st.floats(min_value=0.01, max_value=0.5), min_size=3, max_size=30),
    st.booleans(),
    st.tuples(st.floats(min_value=-170, max_value=170), st.floats(min_value=-80, max_value=80)),
)


@given(st.lists(st.lists(rings, min_size=1, max_size=3), min_size=1, max_size=4))
def test_every_outer_ring_comes_out_clockwise_with_the_same_points(polygons):
    geometry = {"type": "MultiPolygon", "coordinates": polygons}
    oriented = orient_clockwise(geometry)
    assert len(oriented["coordinates"]) == len(polygons)
    for before, after in zip(polygons, oriented["coordinates"], strict=True):
        assert is_clockwise(after[0])
        assert all(not is_clockwise(hole) for hole in after[1:])
        for ring_before, ring_after in zip(before, after, strict=True):
            assert Counter(map(tuple, ring_after)) == Counter(map(tuple, ring_before))
            assert ring_after[0] == ring_after[-1]
            assert ring_after in (ring_before, ring_before[::-1])


@given(rings)
def test_orienting_twice_changes_nothing(ring):
    once = orient_clockwise({"type": "Polygon", "coordinates": [ring]})
    assert orient_clockwise(once) == once


@given(rings)
def test_the_label_point_lies_within_the_ring_bounds(ring):
    lon, lat = label_point({"type": "Polygon", "coordinates": [ring]})
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    assert min(xs) - 1e-9 <= lon <= max(xs) + 1e-9 and min(ys) - 1e-9 <= lat <= max(ys) + 1e-9
