"""Generated malformed files: garbage cells, broken encodings, missing columns, random bytes.

Whatever the file, the importer answers with a report (never an unhandled error) and the database is unchanged.
"""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ingest.helpers import run_import, stored_state

pytestmark = pytest.mark.django_db

TERYTS = ["1261011", "1206012", "1206022", "1219053", "1206114", "0201011"]
CODES = ["population", "area", "registered-unemployed"]
COLUMNS = ["teryt", "indicator", "period", "value", "flag"]
# "§" is neither a digit, a code letter nor a flag: a cell starting with it is wrong in every column.
GARBAGE = st.text(max_size=12).map(lambda text: "§" + text)
CELL_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=8)

fuzz = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def long_rows(draw) -> list[list[str]]:
    rows = draw(st.lists(st.tuples(st.sampled_from(TERYTS), st.sampled_from(CODES),
                                   st.integers(1985, 1995).map(str),
                                   st.floats(-1e9, 1e9, allow_nan=False).map(lambda v: f"{v:.3f}".replace(".", ",")),
                                   st.sampled_from(["", "final", "wstępna", "p"])),
                         min_size=1, max_size=25))
    rows = [list(row) for row in rows]
    for _ in range(draw(st.integers(1, 4))):
        row, column = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(COLUMNS) - 1))
        rows[row][column] = draw(GARBAGE)
    return rows


def encode(text: str, encoding: str) -> bytes:
    if encoding == "mixed":  # a UTF-8 file with a Windows-1250 tail pasted into it
        half = len(text) // 2
        return text[:half].encode("utf-8") + text[half:].encode("cp1250", errors="replace")
    if encoding == "truncated-utf-16":
        return text.encode("utf-16")[:-1]
    return text.encode(encoding, errors="replace")


def assert_refused_without_change(content: bytes, **options) -> None:
    before = stored_state()
    outcome = run_import(content, **options)
    assert not outcome.ok
    assert outcome.batch is None
    lines = content.count(b"\n") + content.count(b"\r") + 2
    assert all(p.row is None or 1 <= p.row <= lines for p in outcome.problems)
    assert all(p.message for p in outcome.problems)
    assert stored_state() == before


@fuzz
@given(rows=long_rows(), separator=st.sampled_from([";", ",", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1250", "utf-16", "mixed", "truncated-utf-16"]))
def test_long_files_with_garbage_cells_change_nothing(rows, separator, encoding):
    text = "\n".join(separator.join(row) for row in [COLUMNS, *rows]) + "\n"
    assert_refused_without_change(encode(text, encoding))


@fuzz
@given(rows=long_rows(), dropped=st.sets(st.sampled_from(["teryt", "period", "value"]), min_size=1))
def test_files_missing_required_columns_change_nothing(rows, dropped):
    keep = [i for i, name in enumerate(COLUMNS) if name not in dropped]
    table = [[row[i] for i in keep] for row in [COLUMNS, *rows]]
    assert_refused_without_change(("\n".join(";".join(row) for row in table)).encode())


@fuzz
@given(values=st.lists(st.lists(st.one_of(CELL_TEXT, GARBAGE), min_size=3, max_size=3), min_size=1, max_size=10),
       teryts=st.lists(st.one_of(st.sampled_from(TERYTS), GARBAGE), min_size=10, max_size=10))
def test_wide_files_with_garbage_change_nothing(values, teryts):
    lines = ['"Kod";"Nazwa";"ogółem;1991;[osoba]";"ogółem;1992;[osoba]";"ogółem;1993;[osoba]"']
    lines += [";".join([teryt, "Gmina", *row]) for teryt, row in zip(teryts, values, strict=False)]
    lines.append(f"§{TERYTS[0]};Gmina;1;2;3")  # at least one row that cannot be right
    assert_refused_without_change("\n".join(lines).encode("cp1250", errors="replace"), indicator="population")


@fuzz
@given(content=st.binary(max_size=3000))
def test_random_bytes_change_nothing(content):
    assert_refused_without_change(content)


@fuzz
@given(content=st.binary(max_size=300))
def test_random_bytes_behind_a_valid_header_change_nothing(content):
    assert_refused_without_change(b"teryt;indicator;period;value\n\xa7" + content)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cells=st.lists(st.lists(st.one_of(CELL_TEXT.filter(lambda t: not t.startswith("=")), st.integers(),
                                         st.floats(allow_nan=False, allow_infinity=False), st.none()),
                               min_size=4, max_size=6), min_size=1, max_size=8))
def test_workbooks_with_garbage_change_nothing(cells):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["teryt", "indicator", "period", "value"])
    for row in cells:
        sheet.append([_printable(cell) for cell in row])
    sheet.append(["§1261011", "population", 1991, 5])
    buffer = io.BytesIO()
    book.save(buffer)
    assert_refused_without_change(buffer.getvalue(), name="fuzz.xlsx")


def _printable(cell):
    """openpyxl refuses control characters in strings."""
    if isinstance(cell, str):
        return "".join(ch for ch in cell if ch.isprintable())
    return cell
