"""GeoJSON geometry for Vega-Lite maps: ring orientation and label anchors (pure functions).

Vega-Lite draws geoshapes with d3-geo, which works on the sphere: a ring encloses the area on its RIGHT, so
the outer ring of a small polygon must run CLOCKWISE (as seen on a map with north up) and its holes
counter-clockwise. RFC 7946 recommends the opposite (outer rings counter-clockwise); a counter-clockwise outer
ring is read by d3 as "the whole globe except this gmina" and fills the entire map. So every boundary is
passed through `orient_clockwise` before it goes into a spec, whatever its stored orientation.

"Clockwise" is measured with the shoelace formula on (longitude, latitude) taken as plane (x, y): a clockwise
ring has a negative signed area. Gminy are tiny compared with a hemisphere, so the planar sign is the right one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Position = Sequence[float]
Ring = Sequence[Position]


def signed_area(ring: Ring) -> float:
    """Shoelace signed area of a ring in (x, y) = (lon, lat): negative when clockwise, positive when not."""
    total = 0.0
    count = len(ring)
    for index in range(count):
        x0, y0 = ring[index][0], ring[index][1]
        x1, y1 = ring[(index + 1) % count][0], ring[(index + 1) % count][1]
        total += x0 * y1 - x1 * y0
    return total / 2


def is_clockwise(ring: Ring) -> bool:
    """Whether the ring runs clockwise (north up); degenerate rings (zero area) count as clockwise."""
    return signed_area(ring) <= 0


def _oriented(ring: Ring, *, clockwise: bool) -> list[list[float]]:
    points = [list(position) for position in ring]
    return points if is_clockwise(points) == clockwise or signed_area(points) == 0 else points[::-1]


def _polygon(rings: Sequence[Ring]) -> list[list[list[float]]]:
    # The first ring is the outer boundary, the others are holes, which run the other way.
    return [_oriented(ring, clockwise=index == 0) for index, ring in enumerate(rings)]


def orient_clockwise(geometry: dict[str, Any]) -> dict[str, Any]:
    """A copy of a GeoJSON Polygon/MultiPolygon with outer rings clockwise and holes counter-clockwise.

    The points of every ring are kept (only their order may be reversed); other geometry types are returned
    unchanged (copied), a GeometryCollection has each member oriented.
    """
    kind = geometry.get("type")
    if kind == "Polygon":
        return {**geometry, "coordinates": _polygon(geometry["coordinates"])}
    if kind == "MultiPolygon":
        return {**geometry, "coordinates": [_polygon(polygon) for polygon in geometry["coordinates"]]}
    if kind == "GeometryCollection":
        return {**geometry, "geometries": [orient_clockwise(member) for member in geometry["geometries"]]}
    return dict(geometry)


def outer_rings(geometry: dict[str, Any]) -> list[Ring]:
    """The outer ring of every polygon of a Polygon/MultiPolygon geometry."""
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def label_point(geometry: dict[str, Any]) -> tuple[float, float] | None:
    """Area centroid (lon, lat) of the largest outer ring, where a map puts the unit's name; None if no area."""
    rings = [ring for ring in outer_rings(geometry) if abs(signed_area(ring)) > 0]
    if not rings:
        return None
    ring = max(rings, key=lambda r: abs(signed_area(r)))
    area = signed_area(ring)
    cx = cy = 0.0
    count = len(ring)
    for index in range(count):
        x0, y0 = ring[index][0], ring[index][1]
        x1, y1 = ring[(index + 1) % count][0], ring[(index + 1) % count][1]
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (6 * area), cy / (6 * area)
