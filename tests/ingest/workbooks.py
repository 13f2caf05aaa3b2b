"""Workbooks written by hand with zipfile, so that a test controls every byte a spreadsheet declares."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Dane" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}


def column_letters(number: int) -> str:
    """1 → A, 16384 → XFD."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xlsx_cell(ref: str, value) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    return f'<c r="{ref}"><v>{value!r}</v></c>'


def xlsx(rows: list[list], *, dimension: str | None = None, extra_cells: dict[str, object] | None = None,
         sheet_xml: bytes | None = None) -> bytes:
    """An XLSX file of `rows` (str as inline text, numbers as numbers, None as no cell), with an optional
    declared dimension, cells at given references after the rows, or the raw sheet XML."""
    if sheet_xml is None:
        body = []
        for number, row in enumerate(rows, start=1):
            cells = "".join(_xlsx_cell(f"{column_letters(i)}{number}", v)
                            for i, v in enumerate(row, 1) if v is not None)
            body.append(f'<row r="{number}">{cells}</row>')
        for ref, value in (extra_cells or {}).items():
            body.append(f'<row r="{"".join(ch for ch in ref if ch.isdigit())}">{_xlsx_cell(ref, value)}</row>')
        declared = f'<dimension ref="{dimension}"/>' if dimension else ""
        sheet_xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                     f'{declared}<sheetData>{"".join(body)}</sheetData></worksheet>').encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buffer.getvalue()


def _ods_cell(value, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value is None:
        return f"<table:table-cell{repeated}/>"
    if isinstance(value, str):
        return (f'<table:table-cell office:value-type="string"{repeated}>'
                f"<text:p>{escape(value)}</text:p></table:table-cell>")
    return (f'<table:table-cell office:value-type="float" office:value="{value!r}"{repeated}>'
            f"<text:p>{value!r}</text:p></table:table-cell>")


def ods(rows: list[list] | None = None, *, table_xml: str | None = None) -> bytes:
    """An ODS file of `rows` (as for xlsx), or of the raw rows XML of its one table."""
    if table_xml is None:
        table_xml = "".join(f"<table:table-row>{''.join(_ods_cell(v) for v in row)}</table:table-row>"
                            for row in rows or [])
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="Dane">{table_xml}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def zip_bomb_xlsx(inflated_bytes: int) -> bytes:
    """An XLSX whose sheet is valid XML padded with `inflated_bytes` of spaces: a few kilobytes compressed."""
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>teryt</t></is></c></row>')
    tail = b"</sheetData></worksheet>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            member.write(head)
            block = b" " * (1 << 20)
            for _ in range(inflated_bytes >> 20):
                member.write(block)
            member.write(tail)
    return buffer.getvalue()
