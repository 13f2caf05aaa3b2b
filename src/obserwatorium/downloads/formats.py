"""Tables as open-data files — CSV, XLSX, JSON, Parquet and GeoJSON — each carrying its metadata.

The registry of the formats a dataset is offered in; each format's writer lives in a module of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl

from obserwatorium.downloads.base import TableWriter
from obserwatorium.downloads.csvfile import CsvWriter
from obserwatorium.downloads.geojsonfile import GeoJsonWriter
from obserwatorium.downloads.jsonfile import JsonWriter
from obserwatorium.downloads.meta import TableMeta
from obserwatorium.downloads.parquetfile import ParquetWriter
from obserwatorium.downloads.xlsxfile import XlsxWriter

WRITERS: dict[str, type[TableWriter]] = {
    writer.format: writer for writer in (CsvWriter, XlsxWriter, JsonWriter, ParquetWriter, GeoJsonWriter)
}
FORMATS = tuple(WRITERS)
MEDIA_TYPES = {name: writer.media_type for name, writer in WRITERS.items()}


def serialise(frame: pl.DataFrame, meta: TableMeta, fmt: str, geometries: Mapping[str, Any] | None = None) -> bytes:
    """The table in one of FORMATS (GeoJSON with the units' geometries)."""
    if fmt == "geojson":
        return GeoJsonWriter(geometries).write(frame, meta)
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}")
    return WRITERS[fmt]().write(frame, meta)
