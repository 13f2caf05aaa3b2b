"""CSV downloads: '.' decimals, optional BOM for Excel, and cells that cannot run as spreadsheet formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

from obserwatorium.downloads.formats import FORMULA_START, PLAIN_NUMBER
from obserwatorium.downloads.formats import neutralise as neutralised

__all__ = ["BOM", "FORMULA_START", "PLAIN_NUMBER", "cell", "lines", "neutralised", "number"]

BOM = "\ufeff"
ROWS_PER_CHUNK = 1000


def number(value: float | None) -> str:
    """A value with '.' as the decimal mark, whole numbers without '.0', and the shortest exact form otherwise."""
    if value is None:
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return neutralised(number(value))
    return neutralised(str(value))


def lines(*, header: Sequence[str], rows: Iterable[Sequence[object]], bom: bool = False) -> Iterator[str]:
    """The CSV text in chunks of rows, for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    first = buffer.getvalue()
    yield BOM + first if bom else first
    count = 0
    buffer.seek(0)
    buffer.truncate()
    for row in rows:
        writer.writerow([cell(value) for value in row])
        count += 1
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
