"""JSON: the table as an envelope {"metadata": …, "data": [rows]}."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from obserwatorium.downloads.base import TableWriter
from obserwatorium.downloads.cells import finite
from obserwatorium.downloads.meta import TableMeta


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dictionaries (NaN and infinities as null)."""
    return [{key: finite(value) for key, value in row.items()} for row in frame.iter_rows(named=True)]


class JsonWriter(TableWriter):
    format = "json"
    media_type = "application/json"

    def write(self, frame: pl.DataFrame, meta: TableMeta) -> bytes:
        envelope = {"metadata": meta.as_dict(), "data": records(frame)}
        return json.dumps(envelope, ensure_ascii=False, default=str).encode("utf-8")
