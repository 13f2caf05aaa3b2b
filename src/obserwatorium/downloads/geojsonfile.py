"""GeoJSON: a FeatureCollection, one feature per row, its geometry looked up by the row's unit."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import polars as pl

from obserwatorium.downloads.base import TableWriter
from obserwatorium.downloads.jsonfile import records
from obserwatorium.downloads.meta import TableMeta


class GeoJsonWriter(TableWriter):
    """Features whose geometry is `geometries[row[key]]` (null when the unit has none)."""

    format = "geojson"
    media_type = "application/geo+json"

    def __init__(self, geometries: Mapping[str, Any] | None = None, key: str = "unit") -> None:
        self.geometries = geometries or {}
        self.key = key

    def write(self, frame: pl.DataFrame, meta: TableMeta) -> bytes:
        features = [{"type": "Feature",
                     "geometry": self.geometries.get(code) if (code := row.get(self.key)) is not None else None,
                     "properties": row} for row in records(frame)]
        collection = {"type": "FeatureCollection", "metadata": meta.as_dict(), "features": features}
        return json.dumps(collection, ensure_ascii=False, default=str).encode("utf-8")
