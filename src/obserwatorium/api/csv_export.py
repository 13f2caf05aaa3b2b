"""CSV downloads: '.' decimals, optional BOM for Excel, and cells that cannot run as spreadsheet formulas."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

BOM = "\ufeff"
# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
ROWS_PER_CHUNK = 1000


def neutralised(cell: str) -> str:
    """The cell with a leading apostrophe when a spreadsheet would run it; plain numbers (also -5) stay as they are."""
    if cell.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


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
