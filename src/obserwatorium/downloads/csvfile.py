"""CSV in named dialects, written whole or streamed in chunks of rows.

Every dialect writes UTF-8, a header row, booleans as true/false, dates in ISO 8601,
NaN and infinities as empty cells, and every cell neutralised (no cell can run as a spreadsheet formula). They
differ only where their readers do:

- ``open_data``: comma, '.' as the decimal mark, LF line ends, no byte-order mark, floats keep '.0' (a float
  column reads back as float, as its Table Schema says). The analytics downloads and the data package.
- ``rfc4180``: comma, '.' as the decimal mark, CRLF line ends (RFC 4180), whole numbers without '.0'; a
  byte-order mark on request, for Excel. The API's observations.csv and the import problem report.
- ``excel_pl``: semicolon, ',' as the decimal mark (numbers and decimals alike, whole numbers without ',0'),
  CRLF, always a byte-order mark: what a spreadsheet set to Polish opens as columns, as UTF-8 and as numbers
  (it reads "12.5" as text or a date). The registry exports of the admin.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl

from obserwatorium.downloads.base import TableWriter
from obserwatorium.downloads.cells import neutralise, repr_number, trimmed_number
from obserwatorium.downloads.meta import TableMeta, flat

BOM = "\ufeff"
ROWS_PER_CHUNK = 1000


@dataclass(frozen=True)
class Dialect:
    """How one CSV flavour is spelled (see the module's docstring for who reads which)."""

    name: str
    delimiter: str
    line_end: str
    bom: bool
    number: Callable[[float], str]
    decimal_mark: str = "."


OPEN_DATA = Dialect("open_data", delimiter=",", line_end="\n", bom=False, number=repr_number)
RFC4180 = Dialect("rfc4180", delimiter=",", line_end="\r\n", bom=False, number=trimmed_number)
EXCEL_PL = Dialect("excel_pl", delimiter=";", line_end="\r\n", bom=True, number=trimmed_number, decimal_mark=",")
DIALECTS = {dialect.name: dialect for dialect in (OPEN_DATA, RFC4180, EXCEL_PL)}


def cell_text(value: Any, *, dialect: Dialect) -> str:
    """One value as the (neutralised) text of a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return dialect.number(value).replace(".", dialect.decimal_mark)
    if isinstance(value, Decimal) and value.is_finite():
        return str(value).replace(".", dialect.decimal_mark)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(str(value))


def stream_csv(*, header: Sequence[str], rows: Iterable[Sequence[Any]], dialect: Dialect,
               bom: bool | None = None) -> Iterator[str]:
    """The CSV text in chunks (the header, then ROWS_PER_CHUNK rows at a time), for a streaming response;
    `bom` overrides the dialect's byte-order mark."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator=dialect.line_end)
    writer.writerow([neutralise(str(name)) for name in header])
    first = buffer.getvalue()
    yield BOM + first if (dialect.bom if bom is None else bom) else first
    buffer.seek(0)
    buffer.truncate()
    for count, row in enumerate(rows, start=1):
        writer.writerow([cell_text(value, dialect=dialect) for value in row])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def write_csv(*, header: Sequence[str], rows: Iterable[Sequence[Any]], dialect: Dialect,
              bom: bool | None = None) -> str:
    """The whole CSV text at once."""
    return "".join(stream_csv(header=header, rows=rows, dialect=dialect, bom=bom))


class CsvWriter(TableWriter):
    """A table as CSV (`open_data` unless told); metadata travels in the sidecar or the data package."""

    format = "csv"
    media_type = "text/csv; charset=utf-8"

    def __init__(self, dialect: Dialect = OPEN_DATA) -> None:
        self.dialect = dialect

    def write(self, frame: pl.DataFrame, meta: TableMeta) -> bytes:
        table = flat(frame)
        return write_csv(header=table.columns, rows=table.iter_rows(), dialect=self.dialect).encode("utf-8")
