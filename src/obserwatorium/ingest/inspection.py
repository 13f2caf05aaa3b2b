"""What a workbook declares before it is parsed: inflated sizes from the zip directory, the extent of its sheets.

A few kilobytes of XLSX or ODS can declare a sheet of seventeen billion cells or inflate to gigabytes; the
spreadsheet library allocates what the file declares. These checks read the zip directory (nothing inflated)
and then stream the sheet XML a chunk at a time, so a hostile file is refused before anything is allocated.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from obserwatorium.ingest.readers import SPREADSHEET_MAGIC, UnreadableFile, spreadsheet_format

CHUNK_BYTES = 1 << 20
# Members this small cannot hurt however well they compress (a sheet of empty styled rows compresses 1000:1).
RATIO_FLOOR_BYTES = 8 << 20
MAX_MEMBERS = 10_000
# workbook.xml only names the sheets; more than this is not a workbook an office exports.
MAX_WORKBOOK_XML_BYTES = 8 << 20

_XLSX_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,9})"')
_XLSX_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s[^>]*?\bref="(?:[A-Z]{1,3}[0-9]{1,9}:)?([A-Z]{1,3})([0-9]{1,9})"')
_ODS_TAG = re.compile(rb"<(/?)\w+:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*?)(/?)>")
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]{1,12})"')
_ODS_NAME = re.compile(rb'\bname="([^"]*)"')
_SHEET_ENTRY = re.compile(rb'<(?:\w+:)?sheet\s[^>]*?\bname="([^"]*)"[^>]*?\bid="([^"]*)"')
_RELATION = re.compile(rb'<(?:\w+:)?Relationship\s[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')


@dataclass(frozen=True)
class ReadLimits:
    """How much a file may make the importer hold; declared once in the settings (OBS_IMPORT_*)."""

    max_cells: int = 10_000_000
    max_inflated_bytes: int = 1 << 30
    max_ratio: int = 200
    memory_bytes: int = 2 << 30
    seconds: int = 300


def column_number(letters: bytes) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_workbook(content: bytes, limits: ReadLimits) -> None:
    """Refuse a zip workbook (XLSX, ODS) whose declared sizes exceed the limits; other files pass."""
    if not content.startswith(SPREADSHEET_MAGIC[0]):
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UnreadableFile("file_unreadable", detail=str(error)) from error
    _check_directory(members, limits)
    sheets = _ods_sheets(archive) if spreadsheet_format(content) == "ods" else _xlsx_sheets(archive)
    total = 0
    for name, cells, corner in sheets:
        total += cells
        if total > limits.max_cells:
            raise UnreadableFile("sheet_too_large", sheet=name, corner=corner, cells=f"{cells:,}".replace(",", " "),
                                 limit=f"{limits.max_cells:,}".replace(",", " "))


def _check_directory(members: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
    if len(members) > MAX_MEMBERS:
        raise UnreadableFile("zip_members", count=str(len(members)), limit=str(MAX_MEMBERS))
    inflated = sum(member.file_size for member in members)
    if inflated > limits.max_inflated_bytes:
        raise UnreadableFile("inflated_too_large", size=str(inflated >> 20), limit=str(limits.max_inflated_bytes >> 20))
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
            raise UnreadableFile("compression_ratio", member=member.filename, ratio=str(int(ratio)),
                                 limit=str(limits.max_ratio))


def _chunks(archive: zipfile.ZipFile, name: str) -> Iterator[bytes]:
    """The member's bytes a chunk at a time, each cut after a complete tag (XML attribute values hold no `<`)."""
    carry = b""
    with archive.open(name) as handle:
        while chunk := handle.read(CHUNK_BYTES):
            buffer = carry + chunk
            cut = buffer.rfind(b"<")
            if cut > 0 and b">" not in buffer[cut:]:
                buffer, carry = buffer[:cut], buffer[cut:]
            else:
                carry = b""
            yield buffer
    if carry:
        yield carry


def _xlsx_sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part (xl/worksheets/sheet1.xml) → the name the user sees, when workbook.xml tells."""
    try:
        if archive.getinfo("xl/workbook.xml").file_size > MAX_WORKBOOK_XML_BYTES:
            return {}
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        return {}
    targets = {rid: target.lstrip(b"/").removeprefix(b"xl/") for rid, target in _RELATION.findall(relations)}
    return {"xl/" + targets[rid].decode(errors="replace"): name.decode(errors="replace")
            for name, rid in _SHEET_ENTRY.findall(workbook) if rid in targets}


def _xlsx_sheets(archive: zipfile.ZipFile) -> Iterator[tuple[str, int, str]]:
    """Each worksheet's name, its extent in cells from A1 and its far corner: the larger of the declared
    dimension and the farthest cell it holds."""
    names = _xlsx_sheet_names(archive)
    for member in archive.namelist():
        if not (member.startswith("xl/worksheets/") and member.endswith(".xml")):
            continue
        rows = columns = 0
        try:
            for chunk in _chunks(archive, member):
                refs = _XLSX_CELL.findall(chunk) + _XLSX_DIMENSION.findall(chunk)
                if refs:
                    rows = max(rows, max(int(row) for _letters, row in refs))
                    columns = max(columns, max(column_number(letters) for letters, _row in refs))
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise UnreadableFile("file_unreadable", detail=str(error)) from error
        yield names.get(member, member.rsplit("/", 1)[-1]), rows * columns, _corner(rows, columns)


def _corner(rows: int, columns: int) -> str:
    letters = ""
    while columns > 0:
        columns, rest = divmod(columns - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{rows}" if rows else ""


def _ods_sheets(archive: zipfile.ZipFile) -> Iterator[tuple[str, int, str]]:
    """Each table's name, extent and far corner, expanding repeated rows and cells; trailing empty cells and
    rows (LibreOffice writes a million of them) count as the spreadsheet library drops them."""
    name, rows, columns = "", 0, 0
    row_at, row_repeat, row_width, column_at = 0, 1, 0, 0
    try:
        chunks = _chunks(archive, "content.xml")
        for chunk in chunks:
            for closing, tag, attributes, empty in _ODS_TAG.findall(chunk):
                repeat_match = _ODS_REPEAT.search(attributes)
                repeat = int(repeat_match[1]) if repeat_match else 1
                if tag == b"table" and not closing:
                    found = _ODS_NAME.search(attributes)
                    name, rows, columns, row_at = (found[1].decode(errors="replace") if found else ""), 0, 0, 0
                elif tag == b"table" and closing:
                    yield name, rows * columns, _corner(rows, columns)
                elif tag == b"table-row" and not closing:
                    row_repeat, row_width, column_at = repeat, 0, 0
                    if empty:
                        row_at += repeat
                elif tag == b"table-row":
                    if row_width:
                        rows, columns = row_at + row_repeat, max(columns, row_width)
                    row_at += row_repeat
                elif not closing:
                    column_at += repeat
                    if not empty or b"value-type" in attributes:
                        row_width = column_at
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise UnreadableFile("file_unreadable", detail=str(error)) from error
