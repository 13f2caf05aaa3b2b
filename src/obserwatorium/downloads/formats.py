"""Tables as open-data files — CSV, XLSX, JSON, Parquet and GeoJSON — each carrying its metadata.

CSV cells of text columns that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) are prefixed with an apostrophe; numbers stay numbers, negative ones included.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl
import xlsxwriter

FORMATS = ("csv", "xlsx", "json", "parquet", "geojson")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "parquet": "application/vnd.apache.parquet",
    "geojson": "application/geo+json",
}
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


@dataclass(frozen=True)
class Field:
    name: str
    title: str = ""
    description: str = ""


@dataclass(frozen=True)
class TableMeta:
    """What every download says about itself: definition, unit, source, licence and retrieval date."""

    name: str
    title: str
    description: str = ""
    unit: str = ""
    source: str = ""
    licence: str = ""
    retrieved: str = ""
    fields: tuple[Field, ...] = ()
    notes: Mapping[str, Any] = field(default_factory=dict)
    # Every source batch of the rows (batch id, kind, title, path, licence, retrieved): all of them, none cut.
    sources: tuple[Mapping[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["fields"] = [{key: str(value) for key, value in asdict(f).items()} for f in self.fields]
        data["notes"] = dict(self.notes)
        data["sources"] = [dict(source) for source in self.sources]
        return data


def neutralise(text: str) -> str:
    """Text made safe for spreadsheets: a would-be formula gets a leading apostrophe; numbers are kept."""
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Lists joined by spaces, so that a CSV or spreadsheet cell holds them."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns([pl.col(n).cast(pl.List(pl.Utf8)).list.join(" ") for n in lists]) if lists else frame


def table_schema_type(dtype: pl.DataType) -> str:
    """The Frictionless Table Schema type of a polars dtype."""
    if dtype.is_integer():
        return "integer"
    if dtype.is_float():
        return "number"
    if dtype == pl.Boolean:
        return "boolean"
    if isinstance(dtype, pl.List):
        return "array"
    return "string"


def _cell(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def to_csv(frame: pl.DataFrame, meta: TableMeta) -> bytes:
    """CSV (UTF-8, header row) with text cells neutralised; metadata travels in the sidecar or package."""
    table = flat(frame)
    text_columns = {i for i, dtype in enumerate(table.dtypes) if dtype == pl.Utf8}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise(name) for name in table.columns])
    for row in table.iter_rows():
        writer.writerow([
            "" if value is None else neutralise(value) if i in text_columns else repr_number(value)
            for i, value in enumerate(row)
        ])
    return buffer.getvalue().encode("utf-8")


def repr_number(value: Any) -> str:
    """A number as CSV text: integers plainly, floats in the shortest round-trip form, NaN/inf as empty."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "" if not math.isfinite(value) else repr(value)
    return str(value)


def to_xlsx(frame: pl.DataFrame, meta: TableMeta) -> bytes:
    """A workbook with a `data` sheet (text stored as text, never as formulas) and a `metadata` sheet."""
    table = flat(frame)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    bold = workbook.add_format({"bold": True})
    data = workbook.add_worksheet("data")
    for column, name in enumerate(table.columns):
        data.write_string(0, column, name, bold)
        for row, value in enumerate(table.get_column(name).to_list(), start=1):
            value = _cell(value)
            if value is None:
                continue
            if isinstance(value, bool):
                data.write_boolean(row, column, value)
            elif isinstance(value, int | float):
                data.write_number(row, column, value)
            else:
                data.write_string(row, column, str(value))
    sheet = workbook.add_worksheet("metadata")
    rows = [(key, value) for key, value in meta.as_dict().items() if key not in ("fields", "notes", "sources")]
    rows += [(f"source: batch {s.get('batch', '')}", " · ".join(str(v) for k, v in s.items() if k != "batch" and v))
             for s in meta.sources]
    rows += [(f"note: {key}", json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value)
             for key, value in meta.notes.items()]
    rows += [(f"field: {f.name}", f"{f.title} — {f.description}".strip(" —")) for f in meta.fields]
    for row, (key, value) in enumerate(rows):
        sheet.write_string(row, 0, key, bold)
        sheet.write_string(row, 1, str(value))
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 80)
    workbook.close()
    return buffer.getvalue()


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dictionaries (NaN and infinities as null)."""
    return [{key: _cell(value) for key, value in row.items()} for row in frame.iter_rows(named=True)]


def to_json(frame: pl.DataFrame, meta: TableMeta) -> bytes:
    """A JSON envelope: {"metadata": …, "data": [rows]}."""
    envelope = {"metadata": meta.as_dict(), "data": records(frame)}
    return json.dumps(envelope, ensure_ascii=False, default=str).encode("utf-8")


def to_parquet(frame: pl.DataFrame, meta: TableMeta) -> bytes:
    """Parquet with the metadata as key-value pairs (each field, and the whole as `obserwatorium:metadata`)."""
    buffer = io.BytesIO()
    pairs = {key: str(value) for key, value in meta.as_dict().items() if key not in ("fields", "notes", "sources")}
    pairs["obserwatorium:metadata"] = json.dumps(meta.as_dict(), ensure_ascii=False, default=str)
    frame.write_parquet(buffer, metadata=pairs)
    return buffer.getvalue()


def to_geojson(frame: pl.DataFrame, meta: TableMeta, geometries: Mapping[str, Any] | None = None,
               key: str = "unit") -> bytes:
    """A FeatureCollection: one feature per row, its geometry looked up by the row's `key` (null if unknown)."""
    geometries = geometries or {}
    features = [{"type": "Feature", "geometry": geometries.get(code) if (code := row.get(key)) is not None else None,
                 "properties": row} for row in records(frame)]
    collection = {"type": "FeatureCollection", "metadata": meta.as_dict(), "features": features}
    return json.dumps(collection, ensure_ascii=False, default=str).encode("utf-8")


WRITERS: dict[str, Callable[[pl.DataFrame, TableMeta], bytes]] = {
    "csv": to_csv, "xlsx": to_xlsx, "json": to_json, "parquet": to_parquet,
}


def serialise(frame: pl.DataFrame, meta: TableMeta, fmt: str, geometries: Mapping[str, Any] | None = None) -> bytes:
    """The table in one of FORMATS."""
    if fmt == "geojson":
        return to_geojson(frame, meta, geometries)
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}")
    return WRITERS[fmt](frame, meta)
