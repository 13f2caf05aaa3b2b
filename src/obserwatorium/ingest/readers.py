"""Readers turn the bytes of an uploaded file into a grid of text cells: one class per file format."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

SEPARATORS = (";", ",", "\t")
SNIFF_LINES = 50
# Zip (xlsx, ods) and OLE2 (xls) containers; everything else is read as delimited text.
SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


class UnreadableFile(Exception):
    """The file cannot be read at all; `code` and `params` name the reason for the report."""

    def __init__(self, code: str, *, row: int | None = None, **params: str):
        super().__init__(code)
        self.code = code
        self.row = row  # the row the reading stopped at, when it stopped at one
        self.params = params


@dataclass
class Grid:
    """Every cell of one table as text (null for an empty cell): row i of the frame is row i + 1 of the file.

    The cells are held in memory (`frame`) or in an Arrow IPC file (`stored`), which is read a slice at a time,
    so that a grid of millions of rows never has to be held whole.
    """

    frame: pl.DataFrame | None = None
    info: dict[str, str] = field(default_factory=dict)
    stored: Path | None = None

    def _lazy(self) -> pl.LazyFrame:
        if self.frame is not None:
            return self.frame.lazy()
        if self.stored is None:
            raise ValueError("a grid holds a frame or names its stored file")
        return pl.scan_ipc(self.stored, memory_map=False)

    @property
    def width(self) -> int:
        return self.frame.width if self.frame is not None else len(self._lazy().collect_schema())

    @property
    def height(self) -> int:
        return self.frame.height if self.frame is not None else int(self._lazy().select(pl.len()).collect().item())

    def rows(self, start: int, count: int) -> pl.DataFrame:
        """`count` rows from frame index `start` (fewer at the end)."""
        return self.frame.slice(start, count) if self.frame is not None else self._lazy().slice(start, count).collect()

    def head(self, count: int) -> list[list[str]]:
        """The first `count` rows as lists of strings ('' for empty cells)."""
        return [["" if cell is None else str(cell) for cell in row] for row in self.rows(0, count).rows()]


class Reader:
    """One file format: `matches` recognises the bytes, `read` returns the grid."""

    format_name = ""

    @staticmethod
    def matches(content: bytes) -> bool:
        raise NotImplementedError

    def read(self, content: bytes, *, sheet: str | None = None) -> Grid:
        raise NotImplementedError


def _columns(count: int) -> list[str]:
    return [f"c{i}" for i in range(count)]


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def spreadsheet_format(content: bytes) -> str:
    """"xls" (an OLE2 container), "ods" (a zip whose first member is the OpenDocument mimetype) or "xlsx"."""
    if content.startswith(SPREADSHEET_MAGIC[1]):
        return "xls"
    # An OpenDocument zip stores "mimetype" first and uncompressed: its text follows the member's local header
    # (30 bytes, the name, then an extra field whose length the header gives).
    name_length, extra_length = int.from_bytes(content[26:28], "little"), int.from_bytes(content[28:30], "little")
    start = 30 + name_length + extra_length
    is_ods = content[30:30 + name_length] == b"mimetype" and content[start:start + len(ODS_MIMETYPE)] == ODS_MIMETYPE
    return "ods" if is_ods else "xlsx"


class SpreadsheetReader(Reader):
    """XLSX, XLS and ODS through fastexcel; every cell is read as text and parsed by the importer."""

    format_name = "xlsx"

    @staticmethod
    def matches(content: bytes) -> bool:
        return content.startswith(SPREADSHEET_MAGIC)

    def read(self, content: bytes, *, sheet: str | None = None) -> Grid:
        try:
            workbook = fastexcel.read_excel(content)
            names = workbook.sheet_names
            if sheet is not None and sheet not in names:
                raise UnreadableFile("sheet_missing", sheet=sheet, available=", ".join(names))
            chosen = sheet if sheet is not None else (names[0] if names else None)
            if chosen is None:
                raise UnreadableFile("file_empty")
            # header_row=None keeps the header in the grid; skip_rows=0 keeps leading blank rows so that
            # row numbers match the sheet.
            text = workbook.load_sheet(chosen, header_row=None, skip_rows=0, dtypes="string").to_polars()
            numbers = workbook.load_sheet(chosen, header_row=None, skip_rows=0, dtypes="float").to_polars()
        except fastexcel.FastExcelError as error:
            raise UnreadableFile("file_unreadable", detail=str(error).splitlines()[0]) from error
        names = _columns(text.width)
        frame = pl.DataFrame([_exact_numbers(text[a].cast(pl.String), numbers[b]).alias(name)
                              for a, b, name in zip(text.columns, numbers.columns, names, strict=True)])
        return Grid(frame=frame, info={"format": spreadsheet_format(content), "sheet": chosen})


def _exact_numbers(text: pl.Series, numbers: pl.Series) -> pl.Series:
    """The text of each cell, except where the library's text of a number cell rounds it (to nine decimals:
    1.5e-10 reads as "0"): there the number's shortest exact text, which reads back as the same float."""
    rounded = text.cast(pl.Float64, strict=False)
    differs = numbers.is_not_null() & rounded.is_not_null() & (rounded != numbers)
    return pl.select(pl.when(differs).then(numbers.cast(pl.String)).otherwise(text)).to_series()


# Where Windows-1250 and ISO-8859-2 part ways on Polish letters: Ą ą Ś ś Ź ź sit at these bytes in one and not
# the other (Ł Ż Ć Ę Ń Ó and their small letters share their bytes). Bytes 0x80-0x9F are control characters in
# ISO-8859-2, so text that has any of them is Windows-1250.
_ISO_8859_2_LETTERS = frozenset(b"\xa1\xb1\xa6\xb6\xac\xbc")
_WINDOWS_1250_LETTERS = frozenset(b"\xa5\xb9\x8c\x9c\x8f\x9f")


def _single_byte_encoding(content: bytes) -> str:
    """Windows-1250 or ISO-8859-2 for text that is not UTF-8: the one whose Polish letters the bytes spell."""
    present = frozenset(content)
    if any(0x80 <= byte <= 0x9F for byte in present):
        return "cp1250"
    iso = sum(content.count(byte) for byte in _ISO_8859_2_LETTERS & present)
    windows = sum(content.count(byte) for byte in _WINDOWS_1250_LETTERS & present)
    return "iso-8859-2" if iso > windows else "cp1250"


def decode(content: bytes) -> tuple[str, str]:
    """The text and the encoding: a BOM decides; else strict UTF-8; else Windows-1250 or ISO-8859-2, told apart
    by the bytes of the Polish letters that differ between them."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            try:
                return content.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise UnreadableFile("encoding_broken", encoding=encoding, detail=str(error)) from error
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _single_byte_encoding(content)
    try:
        return content.decode(encoding), "windows-1250" if encoding == "cp1250" else encoding
    except UnicodeDecodeError as error:
        raise UnreadableFile("encoding_unknown", detail=str(error)) from error


def _sample_lines(text: str | Iterable[str]) -> list[str]:
    lines = []
    for line in io.StringIO(text, newline="") if isinstance(text, str) else text:
        if line.strip():
            lines.append(line)
        if len(lines) >= SNIFF_LINES:
            break
    return lines


def detect_separator(text: str | Iterable[str]) -> str:
    """The separator that splits the first lines into the most, most consistent, columns (`;` on a tie)."""
    lines = _sample_lines(text)
    best, best_score = ";", (0, 0)
    for separator in SEPARATORS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=separator)]
        except csv.Error:
            continue
        if not widths:
            continue
        width, agreeing = Counter(widths).most_common(1)[0]
        score = (agreeing, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = separator, score
    return best


class DelimitedTextReader(Reader):
    """CSV/TSV in UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1250 or ISO-8859-2; `;`, `,` or tab."""

    format_name = "csv"

    @staticmethod
    def matches(content: bytes) -> bool:
        return True

    def read(self, content: bytes, *, sheet: str | None = None) -> Grid:
        text, encoding = decode(content)
        if not text.strip():
            raise UnreadableFile("file_empty")
        separator = detect_separator(text)
        frame = self._read_fast(text, encoding, content, separator)
        if frame is None:
            frame = self._read_tolerant(text, separator)
        return Grid(frame=frame, info={"format": self.format_name, "encoding": encoding, "separator": separator})

    @staticmethod
    def _read_fast(text: str, encoding: str, content: bytes, separator: str) -> pl.DataFrame | None:
        """polars' reader for well-formed files; None sends anything unusual to the tolerant reader."""
        try:
            sample = list(csv.reader(_sample_lines(text), delimiter=separator))
        except csv.Error:
            return None
        sample_width = max((len(row) for row in sample), default=1)
        data = content if encoding == "utf-8" else text.encode("utf-8")
        if "\r" in text.replace("\r\n", ""):  # lone carriage returns: leave them to the csv module
            return None
        try:
            frame = pl.read_csv(data, **_polars_options(separator, sample_width))
        except (pl.exceptions.PolarsError, OverflowError, ValueError):
            return None
        return frame

    @staticmethod
    def _read_tolerant(text: str, separator: str) -> pl.DataFrame:
        """The csv module: accepts ragged rows and stray quotes; rows are padded to the widest."""
        rows: list[list[str]] = []
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=False)
        try:
            rows.extend(reader)
        except csv.Error as error:
            # The row as the grid numbers it: the records read so far, plus this one.
            if str(error).startswith("field larger than field limit"):
                raise UnreadableFile("cell_too_long", row=len(rows) + 1, limit=str(csv.field_size_limit())) from error
            raise UnreadableFile("file_unreadable", row=len(rows) + 1, detail=str(error)) from error
        width = max((len(row) for row in rows), default=1) or 1
        columns = _columns(width)
        padded = [[cell if cell != "" else None for cell in row] + [None] * (width - len(row)) for row in rows]
        return pl.DataFrame(padded, schema={name: pl.String for name in columns}, orient="row")


def _polars_options(separator: str, width: int) -> dict:
    """polars' CSV options of the fast path: the same for bytes in memory and a file streamed from disk."""
    return {"separator": separator, "has_header": False, "quote_char": '"',
            "schema": {name: pl.String for name in _columns(width)}, "truncate_ragged_lines": False,
            "raise_if_empty": False}


STREAM_CHUNK_BYTES = 1 << 22


def _plain_utf8_text(path: Path) -> bool:
    """Whether the file is what the fast path reads as it is: strict UTF-8 without a BOM, some visible text and
    no lone carriage return; checked a chunk at a time, so the file is never held whole."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    visible, carriage_return_last = False, False
    with path.open("rb") as handle:
        if handle.read(3).startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return False
        handle.seek(0)
        while chunk := handle.read(STREAM_CHUNK_BYTES):
            if carriage_return_last and not chunk.startswith(b"\n"):
                return False
            carriage_return_last = chunk.endswith(b"\r")
            body = chunk[:-1] if carriage_return_last else chunk
            if body.count(b"\r") != body.count(b"\r\n"):
                return False
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
            visible = visible or bool(text.strip())
        if carriage_return_last:
            return False
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return visible


def stream_delimited_text(path: Path, target: Path) -> Grid | None:
    """A plain UTF-8 delimited file read from disk in a stream into an Arrow IPC file at `target`, the grid that
    `DelimitedTextReader` would read from its bytes; None for anything else (a BOM, another encoding, lone
    carriage returns, an irregular file), which the whole-file readers take."""
    if not _plain_utf8_text(path):
        return None
    with path.open(encoding="utf-8", newline="") as handle:
        lines = _sample_lines(handle)
    separator = detect_separator(lines)
    try:
        sample = list(csv.reader(lines, delimiter=separator))
    except csv.Error:
        return None
    width = max((len(row) for row in sample), default=1)
    try:
        pl.scan_csv(path, **_polars_options(separator, width)).sink_ipc(target, compression="lz4")
    except (pl.exceptions.PolarsError, OverflowError, ValueError):
        target.unlink(missing_ok=True)
        return None
    info = {"format": DelimitedTextReader.format_name, "encoding": "utf-8", "separator": separator}
    return Grid(stored=target, info=info)


READERS: tuple[type[Reader], ...] = (SpreadsheetReader, DelimitedTextReader)


def read_grid(content: bytes, *, sheet: str | None = None) -> Grid:
    """Read an uploaded file with the first reader that recognises it."""
    if not content:
        raise UnreadableFile("file_empty")
    for reader_class in READERS:
        if reader_class.matches(content):
            return reader_class().read(content, sheet=sheet)
    raise UnreadableFile("file_unreadable", detail="")
