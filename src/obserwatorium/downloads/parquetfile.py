"""Parquet with the metadata as key-value pairs (each scalar, and the whole as `obserwatorium:metadata`)."""

from __future__ import annotations

import io
import json

import polars as pl

from obserwatorium.downloads.base import TableWriter
from obserwatorium.downloads.meta import TableMeta


class ParquetWriter(TableWriter):
    format = "parquet"
    media_type = "application/vnd.apache.parquet"

    def write(self, frame: pl.DataFrame, meta: TableMeta) -> bytes:
        buffer = io.BytesIO()
        pairs = {key: str(value) for key, value in meta.scalars().items()}
        pairs["obserwatorium:metadata"] = json.dumps(meta.as_dict(), ensure_ascii=False, default=str)
        frame.write_parquet(buffer, metadata=pairs)
        return buffer.getvalue()
