"""What every download says about itself (TableMeta, Field), and the table shapes the writers share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl


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

    def scalars(self) -> dict[str, Any]:
        """The one-value entries (name, title, unit, source, licence …), without fields, notes and sources."""
        return {key: value for key, value in self.as_dict().items() if key not in ("fields", "notes", "sources")}


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
