"""XLSX workbooks with typed cells: each column declares its kind, text is never read as a formula or a link."""

from __future__ import annotations

import datetime
import enum
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from obserwatorium.downloads.base import TableWriter
from obserwatorium.downloads.cells import finite
from obserwatorium.downloads.meta import TableMeta, flat

# Text stays text (no formulas, links or numbers guessed from strings); aware datetimes are written as local.
OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
           "remove_timezone": True}


class Kind(enum.Enum):
    """What a column holds, so that each of its cells is written as that type."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = Kind.TEXT


def kind_of(dtype: pl.DataType) -> Kind:
    """The kind of a polars column."""
    if dtype.is_integer():
        return Kind.INTEGER
    if dtype.is_float() or dtype.is_decimal():
        return Kind.NUMBER
    if dtype == pl.Boolean:
        return Kind.BOOLEAN
    if dtype == pl.Date:
        return Kind.DATE
    if isinstance(dtype, pl.Datetime):
        return Kind.DATETIME
    return Kind.TEXT


class Workbook:
    """An XLSX file being written: tables (bold, frozen header row) and key-value sheets."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._book = xlsxwriter.Workbook(self._buffer, OPTIONS)
        self._bold = self._book.add_format({"bold": True})
        self._dates = self._book.add_format({"num_format": "yyyy-mm-dd"})
        self._stamps = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm"})

    def add_table(self, name: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> None:
        """A sheet with a header row and one row per record, each cell typed by its column."""
        sheet = self._book.add_worksheet(name[:31])
        for c, column in enumerate(columns):
            sheet.write_string(0, c, column.title, self._bold)
        for r, row in enumerate(rows, start=1):
            for c, (column, value) in enumerate(zip(columns, row, strict=True)):
                self._write(sheet, r, c, column.kind, finite(value))
        sheet.freeze_panes(1, 0)

    def add_pairs(self, name: str, pairs: Iterable[tuple[str, str]]) -> None:
        """A sheet of (bold key, text value) rows, such as a table's metadata."""
        sheet = self._book.add_worksheet(name[:31])
        for row, (key, value) in enumerate(pairs):
            sheet.write_string(row, 0, key, self._bold)
            sheet.write_string(row, 1, value)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 80)

    def close(self) -> bytes:
        """The finished file."""
        self._book.close()
        return self._buffer.getvalue()

    def _write(self, sheet: Worksheet, r: int, c: int, kind: Kind, value: Any) -> None:
        # A value that does not fit its column's kind (a note in a number column) is kept as text.
        if value is None:
            return
        if kind is Kind.BOOLEAN and isinstance(value, bool):
            sheet.write_boolean(r, c, value)
        elif kind in (Kind.INTEGER, Kind.NUMBER) and isinstance(value, int | float | Decimal) \
                and not isinstance(value, bool):
            sheet.write_number(r, c, float(value) if isinstance(value, Decimal) else value)
        elif kind is Kind.DATETIME and isinstance(value, datetime.datetime):
            sheet.write_datetime(r, c, value, self._stamps)
        elif kind is Kind.DATE and isinstance(value, datetime.date):
            day = value if isinstance(value, datetime.datetime) else datetime.datetime.combine(value, datetime.time())
            sheet.write_datetime(r, c, day, self._dates)
        else:
            sheet.write_string(r, c, str(value))


def metadata_pairs(meta: TableMeta) -> list[tuple[str, str]]:
    """The metadata sheet's rows: each scalar, then every source batch, note and field."""
    rows = [(key, str(value)) for key, value in meta.scalars().items()]
    rows += [(f"source: batch {s.get('batch', '')}", " · ".join(str(v) for k, v in s.items() if k != "batch" and v))
             for s in meta.sources]
    rows += [(f"note: {key}", json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value)
             for key, value in meta.notes.items()]
    rows += [(f"field: {f.name}", f"{f.title} — {f.description}".strip(" —")) for f in meta.fields]
    return rows


class XlsxWriter(TableWriter):
    """A workbook with a `data` sheet (typed cells) and a `metadata` sheet."""

    format = "xlsx"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def write(self, frame: pl.DataFrame, meta: TableMeta) -> bytes:
        table = flat(frame)
        book = Workbook()
        book.add_table("data", [Column(name, kind_of(dtype)) for name, dtype in table.schema.items()],
                       table.iter_rows())
        book.add_pairs("metadata", metadata_pairs(meta))
        return book.close()
