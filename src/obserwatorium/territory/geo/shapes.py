"""Boundary geometry for the web: reprojection, coverage simplification that keeps shared borders shared,
rings oriented as Vega-Lite (d3-geo) draws them, compact GeoJSON."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from obserwatorium.territory.geo.readers import PRG_CRS, WGS84

DECIMALS = 6  # about 0.1 m: far below what a choropleth shows


def reproject(geometries: Sequence[BaseGeometry], source: CRS, target: CRS) -> list[BaseGeometry]:
    """The same geometries in another coordinate system (x = easting/longitude, y = northing/latitude)."""
    if source == target:
        return list(geometries)
    transformer = Transformer.from_crs(source, target, always_xy=True)

    def move(coordinates: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coordinates[:, 0], coordinates[:, 1])
        return np.column_stack([x, y])

    return [shapely.transform(geometry, move) for geometry in geometries]


def polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """A valid polygon or multipolygon: repairs self-intersections and drops stray lines and points."""
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [part for part in getattr(geometry, "geoms", []) if part.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def simplify_coverage(geometries: Sequence[BaseGeometry], tolerance: float) -> list[BaseGeometry]:
    """Simplify polygons that tile an area so that neighbours keep exactly one common border.

    Each shared edge is simplified once for both sides (GEOS coverage simplification, Visvalingam–Whyatt);
    a coverage whose neighbours do not match vertex for vertex is first cleaned (snapped, overlaps removed).
    """
    cleaned = np.array([polygonal(g) for g in geometries], dtype=object)
    if len(cleaned) > 1 and not shapely.coverage_is_valid(cleaned):
        cleaned = shapely.coverage_clean(cleaned)
    if tolerance <= 0:
        return list(cleaned)
    return list(shapely.coverage_simplify(cleaned, tolerance, simplify_boundary=True))


def oriented(geometry: BaseGeometry) -> BaseGeometry:
    """Outer rings clockwise and holes counter-clockwise (lon right, lat up), the winding d3-geo expects."""
    if geometry.geom_type == "Polygon":
        return orient(geometry, sign=-1.0)
    return MultiPolygon([orient(part, sign=-1.0) for part in geometry.geoms])


def _rounded(coordinates):
    if isinstance(coordinates[0], (int, float)):
        return [round(float(coordinates[0]), DECIMALS), round(float(coordinates[1]), DECIMALS)]
    return [_rounded(part) for part in coordinates]


def to_geojson(geometry: BaseGeometry) -> dict:
    """A GeoJSON geometry with coordinates rounded to DECIMALS."""
    document = mapping(geometry)
    return {"type": document["type"], "coordinates": _rounded(document["coordinates"])}


def vertex_count(geometries: Sequence[BaseGeometry]) -> int:
    return int(sum(shapely.get_num_coordinates(g) for g in geometries))


def web_boundaries(geometries: Sequence[BaseGeometry], *, source: CRS, tolerance_metres: float) -> list[dict]:
    """GeoJSON geometries in WGS84, simplified in metres (PUWG 1992) as one coverage, oriented for Vega-Lite."""
    metric = reproject(geometries, source, PRG_CRS)
    simplified = simplify_coverage(metric, tolerance_metres)
    return [to_geojson(oriented(g)) for g in reproject(simplified, PRG_CRS, WGS84)]
