"""Every supported file: CSV in each encoding and separator, long and wide, BDL exports, and workbooks."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from xml.sax.saxutils import escape

import openpyxl
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.ingest.readers import DelimitedTextReader, decode, detect_separator, read_grid
from tests.ingest.helpers import changes_of, problems_of, run_import, stored_state

pytestmark = pytest.mark.django_db

# Periods before the demo data, so that every value of a file is new and shows in the preview.
VALUES = {
    ("1261011", "1991"): 745_568.0, ("1261011", "1992"): 746_240.5,
    ("1206012", "1991"): 12_345.25, ("1206012", "1992"): 0.5,
    ("1219053", "1991"): 46_001.0, ("1219053", "1992"): -0.0,
}
NAMES = {"1261011": "Kraków", "1206012": "Czernichów", "1219053": "Wieliczka"}
EXPECTED = {(teryt, "population", period, value, "final") for (teryt, period), value in VALUES.items()}


def polish(value: float) -> str:
    """A number as a Polish spreadsheet writes it: decimal comma, thousands apart with a non-breaking space."""
    whole, _, fraction = f"{value:,.2f}".partition(".")
    text = whole.replace(",", "\u00a0") + ("," + fraction.rstrip("0") if fraction.rstrip("0") else "")
    return text.lstrip("-") if value == 0 else text


def long_text(separator: str) -> str:
    header = separator.join(["TERYT", "Nazwa", "Wskaźnik", "Rok", "Wartość"])
    lines = [header]
    for (teryt, period), value in VALUES.items():
        cell = polish(value)
        if separator == "," and "," in cell:
            cell = f'"{cell}"'
        lines.append(separator.join([teryt, NAMES[teryt], "population", period, cell]))
    return "\r\n".join(lines) + "\r\n"


def wide_text(separator: str) -> str:
    header = separator.join(['"Kod"', '"Nazwa"', '"ogółem;1991;[osoba]"', '"ogółem;1992;[osoba]"']) + separator
    lines = [header]
    for teryt, name in NAMES.items():
        cells = [f'"{polish(VALUES[teryt, p])}"' for p in ("1991", "1992")]
        lines.append(separator.join([teryt, f'"{name} (1)"', *cells]) + separator)
    return "\n".join(lines) + "\n"


ENCODINGS = ["utf-8", "utf-8-sig", "cp1250", "utf-16"]
SEPARATORS = [";", ",", "\t"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("separator", SEPARATORS)
def test_long_csv_in_every_encoding_and_separator(encoding, separator):
    outcome = run_import(long_text(separator), encoding=encoding, dry_run=True)
    assert outcome.ok, outcome.problems
    assert outcome.info["separator"] == separator
    assert outcome.info["encoding"] == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "cp1250": "windows-1250",
                                        "utf-16": "utf-16"}[encoding]
    assert outcome.info["layout"] == "long"
    assert changes_of(outcome) == EXPECTED


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("separator", SEPARATORS)
def test_wide_bdl_export_in_every_encoding_and_separator(encoding, separator):
    outcome = run_import(wide_text(separator), encoding=encoding, dry_run=True, indicator="population")
    assert outcome.ok, outcome.problems
    assert outcome.info["layout"] == "wide"
    assert outcome.info["periods"] == ["1991", "1992"]
    assert outcome.info["units_of_measure"] == ["osoba"]
    assert changes_of(outcome) == EXPECTED


def test_bdl_crel_long_export_with_trailing_separators():
    lines = ['"Kod";"Nazwa";"Wiek";"Płeć";"Rok";"Wartosc";"Jednostka miary";"Atrybut";']
    lines += [f'{teryt};"{NAMES[teryt]} (1)";"ogółem";"ogółem";"{period}";{polish(value)};"osoba";"";'
              for (teryt, period), value in VALUES.items()]
    outcome = run_import("\n".join(lines), encoding="cp1250", dry_run=True, indicator="population")
    assert outcome.ok, outcome.problems
    assert outcome.info["columns"] == {"unit": "Kod", "period": "Rok", "value": "Wartosc"}
    assert changes_of(outcome) == EXPECTED
    assert [n.params["columns"] for n in outcome.notices] == ["Wiek, Płeć"]


def test_bdl_kod_with_stripped_leading_zero_and_12_character_unit_ids():
    text = ("Kod;Nazwa;2010;2011\n"
            "11212161011;Kraków;1;2\n"  # BDL unit id 011212161011 with its leading zero stripped
            "011212006012;Czernichów;3;4\n"
            "1206000;Powiat krakowski;5;6\n")  # a powiat as BDL writes it in a 7-digit column
    outcome = run_import(text, dry_run=True, indicator="area")
    assert outcome.ok, outcome.problems
    assert {(c.teryt, c.period, c.new_value) for c in outcome.changes} >= {
        ("1261011", "2010", 1.0), ("1261011", "2011", 2.0), ("1206012", "2010", 3.0), ("1206", "2011", 6.0)}


def test_title_rows_above_the_header_keep_row_numbers():
    text = "Tablica 1. Ludność\n\nteryt;indicator;period;value\n1261011;population;1991;x1\n"
    outcome = run_import(text)
    assert problems_of(outcome) == {(4, "value", "value_bad")}
    assert outcome.info["header_row"] == 3


def test_quoted_cells_with_separators_newlines_and_stray_quotes_fall_back_to_the_tolerant_reader():
    text = ('teryt;indicator;period;value;note\n'
            '1261011;population;1991;"1 000,5";"a; b\nc"\n'
            '1206012;population;1991;7;bad "quote\n')
    outcome = run_import(text, dry_run=True)
    assert outcome.ok, outcome.problems
    assert changes_of(outcome) == {("1261011", "population", "1991", 1000.5, "final"),
                                   ("1206012", "population", "1991", 7.0, "final")}


def test_rows_longer_than_the_header_are_reported_by_row():
    text = "teryt;indicator;period;value\n1261011;population;1991;5\n1206012;population;1991;6;oops\n"
    with translation.override("en"):
        outcome = run_import(text)
    assert problems_of(outcome) == {(3, "column 5", "unnamed_column")}


def test_the_fast_and_the_tolerant_reader_agree():
    text = long_text(";") + "\n\n1219053;Wieliczka;population;1993;12\n"
    fast = read_grid(text.encode())
    tolerant = DelimitedTextReader._read_tolerant(text, ";")
    assert fast.frame.rows() == tolerant.rows()


@pytest.mark.parametrize(("raw", "encoding"), [
    ("ąćęłńóśźż".encode(), "utf-8"), ("ąćęłńóśźż".encode("cp1250"), "windows-1250"),
    (b"\xef\xbb\xbfteryt", "utf-8-sig"), ("teryt".encode("utf-16"), "utf-16"),
])
def test_encoding_detection(raw, encoding):
    assert decode(raw)[1] == encoding


POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"


@given(st.text(alphabet=POLISH + "abcdefghijklmnoprstuwyz ;,.-0123456789\n", min_size=1))
def test_polish_text_reads_back_from_either_single_byte_encoding(text):
    for encoding in ("cp1250", "iso-8859-2"):
        raw = text.encode(encoding)
        # Bytes that happen to be valid UTF-8 are read as UTF-8 (plain ASCII; "ĆĄ" in Windows-1250 is "ƥ" in
        # UTF-8): a chance that vanishes in a file of any length, and the reason UTF-8 is tried first.
        if not _is_utf8(raw):
            assert decode(raw)[0] == text


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_iso_8859_2_is_told_from_windows_1250():
    line = "Gmina;Liczba ludności;Powierzchnia\nŚwiątniki Górne;10 234;20,2\nZielonki;23 456;48,7\n"
    assert decode(line.encode("iso-8859-2")) == (line, "iso-8859-2")
    assert decode(line.encode("cp1250")) == (line, "windows-1250")
    # Without any letter that differs, both encodings spell the same text.
    assert decode("Kraków;Łęg;Żółć".encode("iso-8859-2"))[0] == "Kraków;Łęg;Żółć"


def test_separator_detection_prefers_the_consistent_split():
    assert detect_separator('"Kod";"Nazwa";"ogółem;2003;[osoba]"\n1;"a, b";3\n') == ";"
    assert detect_separator("a,b,c\n1,2,3\n") == ","
    assert detect_separator("a\tb\n1,5\t2\n") == "\t"
    assert detect_separator("single\ncolumn\n") == ";"


def workbook(rows: list[list], *, title: str = "Dane", extra_sheet: bool = False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra_sheet:
        book.create_sheet("Notatki").append(["nothing here"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_long_with_numbers_as_numbers_and_as_text():
    rows = [["teryt", "indicator", "period", "value"]]
    for index, ((teryt, period), value) in enumerate(VALUES.items()):
        # Codes and years typed as numbers, values alternately as numbers and as Polish text.
        rows.append([int(teryt), "population", int(period), value if index % 2 else polish(value)])
    outcome = run_import(workbook(rows), name="data.xlsx", dry_run=True)
    assert outcome.ok, outcome.problems
    assert outcome.info["format"] == "xlsx" and outcome.info["sheet"] == "Dane"
    assert changes_of(outcome) == EXPECTED


def legacy_xls(rows: list[list], *, title: str = "Dane") -> bytes:
    """An Excel 97-2003 workbook (BIFF8), as older municipal systems still export."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet(title)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            sheet.write(r, c, cell)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def opendocument(rows: list[list], *, title: str = "Dane") -> bytes:
    """An OpenDocument spreadsheet (LibreOffice Calc), written as the format specifies: numbers carry their value
    in office:value and show it the Polish way in the cell's text."""
    def cell(value) -> str:
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value!r}">'
                    f"<text:p>{escape(polish(float(value)))}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(title)}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@pytest.mark.parametrize(("build", "fmt", "name"), [(legacy_xls, "xls", "dane.xls"),
                                                    (opendocument, "ods", "dane.ods")])
def test_xls_and_ods_long_with_numbers_as_numbers_and_as_text(build, fmt, name):
    rows = [["teryt", "indicator", "period", "value"]]
    for index, ((teryt, period), value) in enumerate(VALUES.items()):
        rows.append([int(teryt), "population", int(period), value if index % 2 else polish(value)])
    outcome = run_import(build(rows), name=name, dry_run=True)
    assert outcome.ok, outcome.problems
    assert outcome.info["format"] == fmt and outcome.info["sheet"] == "Dane"
    assert changes_of(outcome) == EXPECTED


@pytest.mark.parametrize(("build", "name"), [(legacy_xls, "dane.xls"), (opendocument, "dane.ods")])
def test_xls_and_ods_problems_name_the_row_and_column(build, name):
    rows = [["teryt", "indicator", "period", "value"], [1261011, "population", 1991, "abc"],
            [1261099, "population", 1991, 5]]
    before = stored_state()
    outcome = run_import(build(rows), name=name)
    assert problems_of(outcome) == {(2, "value", "value_bad"), (3, "teryt", "unit_unknown")}
    assert stored_state() == before


def test_xlsx_wide_with_a_multi_row_bdl_header_on_a_chosen_sheet():
    rows = [
        ["Kod", "Nazwa", "LUDNOŚĆ WEDŁUG GRUP WIEKU", None],
        [None, None, "ogółem", "ogółem"],
        [None, None, 1991, 1992],
        [None, None, "[osoba]", "[osoba]"],
    ]
    rows += [[teryt, name, VALUES[teryt, "1991"], VALUES[teryt, "1992"]] for teryt, name in NAMES.items()]
    content = workbook(rows, title="Tablica", extra_sheet=True)
    outcome = run_import(content, name="bdl.xlsx", dry_run=True, indicator="population", sheet="Tablica")
    assert outcome.ok, outcome.problems
    assert outcome.info["periods"] == ["1991", "1992"]
    assert changes_of(outcome) == EXPECTED


def test_xlsx_problems_name_sheet_rows_and_cells_as_typed():
    rows = [["teryt", "indicator", "period", "value"], [None], ["1261011", "population", date(1991, 1, 1), 5],
            ["1261011", "population", "1991", "1,2,3"]]
    outcome = run_import(workbook(rows), name="data.xlsx")
    assert problems_of(outcome) == {(3, "period", "period_bad"), (4, "value", "value_bad")}


def test_a_missing_sheet_lists_the_sheets():
    outcome = run_import(workbook([["teryt"]], extra_sheet=True), name="data.xlsx", sheet="Wyniki")
    assert [(p.code, p.params) for p in outcome.problems] == [
        ("sheet_missing", {"sheet": "Wyniki", "available": "Dane, Notatki"})]


def test_a_broken_workbook_is_reported_not_raised():
    outcome = run_import(b"PK\x03\x04" + b"\x00" * 100, name="broken.xlsx")
    assert [p.code for p in outcome.problems] == ["file_unreadable"]
