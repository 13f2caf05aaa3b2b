"""The typed XLSX writer: each cell as its column's kind, text never a formula, NaN an empty cell."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import polars as pl

from obserwatorium.downloads.meta import Field, TableMeta
from obserwatorium.downloads.xlsxfile import Column, Kind, Workbook, XlsxWriter


def _sheet(data: bytes, name: str) -> list[list[tuple[object, str]]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[(cell.value, cell.data_type) for cell in row] for row in book[name].iter_rows()]


def test_cells_take_their_columns_kind():
    book = Workbook()
    columns = [Column("text", Kind.TEXT), Column("n", Kind.NUMBER), Column("i", Kind.INTEGER),
               Column("b", Kind.BOOLEAN), Column("d", Kind.DATE), Column("t", Kind.DATETIME)]
    book.add_table("registry", columns, [
        ["=1+1", Decimal("2.5"), 7, True, datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 10, 30)],
        ["12", float("nan"), "note", None, None, None],
    ])
    rows = _sheet(book.close(), "registry")
    assert rows[0] == [("text", "s"), ("n", "s"), ("i", "s"), ("b", "s"), ("d", "s"), ("t", "s")]
    assert rows[1] == [("=1+1", "s"), (2.5, "n"), (7, "n"), (True, "b"),
                       (datetime.datetime(2024, 1, 2), "d"), (datetime.datetime(2024, 1, 2, 10, 30), "d")]
    # A number-like text stays text, NaN is an empty cell, a value unlike its column's kind is kept as text.
    assert rows[2] == [("12", "s"), (None, "n"), ("note", "s"), (None, "n"), (None, "n"), (None, "n")]


def test_the_open_data_workbook_types_its_columns_by_dtype_and_lists_the_metadata():
    frame = pl.DataFrame({"unit": ["1261011"], "value": [1.5], "rank": [1], "demo": [False],
                          "day": [datetime.date(2024, 1, 1)]})
    meta = TableMeta(name="t", title="T", unit="PLN", fields=(Field("value", "Value", "in PLN"),))
    data = XlsxWriter().write(frame, meta)
    assert _sheet(data, "data")[1] == [("1261011", "s"), (1.5, "n"), (1, "n"), (False, "b"),
                                       (datetime.datetime(2024, 1, 1), "d")]
    pairs = dict((key, value) for (key, _), (value, _) in _sheet(data, "metadata"))
    assert pairs["unit"] == "PLN" and pairs["field: value"] == "Value — in PLN"
    assert openpyxl.load_workbook(io.BytesIO(data))["data"].freeze_panes == "A2"
