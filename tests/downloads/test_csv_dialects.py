"""The CSV dialects, each spelled as its readers expect (expected files inline, as in sdg-build)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from obserwatorium.downloads import csvfile
from obserwatorium.downloads.csvfile import DIALECTS, EXCEL_PL, OPEN_DATA, RFC4180, stream_csv, write_csv

HEADER = ("name", "value", "whole", "flag", "day", "stamp", "amount", "none")
ROW = ("=HYPERLINK(\"x\")", -12.5, 3.0, True, datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 10, 30),
       Decimal("1500000.00"), None)


def test_open_data_is_comma_lf_without_bom_and_keeps_the_point_zero():
    assert write_csv(header=HEADER, rows=[ROW], dialect=OPEN_DATA) == (
        "name,value,whole,flag,day,stamp,amount,none\n"
        '"\'=HYPERLINK(""x"")",-12.5,3.0,true,2024-01-02,2024-01-02 10:30:00,1500000.00,\n')


def test_rfc4180_is_comma_crlf_with_whole_numbers_plain_and_a_bom_on_request():
    text = write_csv(header=HEADER, rows=[ROW], dialect=RFC4180)
    assert text == ("name,value,whole,flag,day,stamp,amount,none\r\n"
                    '"\'=HYPERLINK(""x"")",-12.5,3,true,2024-01-02,2024-01-02 10:30:00,1500000.00,\r\n')
    assert write_csv(header=HEADER, rows=[ROW], dialect=RFC4180, bom=True) == "\ufeff" + text


def test_excel_pl_is_semicolon_crlf_with_a_bom_and_the_decimal_comma():
    # A spreadsheet set to Polish reads "-12.5" as text (or a date), "-12,5" as a number.
    assert write_csv(header=HEADER, rows=[ROW], dialect=EXCEL_PL) == (
        "\ufeffname;value;whole;flag;day;stamp;amount;none\r\n"
        '"\'=HYPERLINK(""x"")";-12,5;3;true;2024-01-02;2024-01-02 10:30:00;1500000,00;\r\n')


def test_excel_pl_keeps_a_point_inside_text_and_writes_tiny_numbers_with_the_comma():
    text = write_csv(header=["a", "b", "c"], rows=[["v1.2", 1.5e-07, Decimal("-0.25")]], dialect=EXCEL_PL)
    assert text.splitlines()[1] == "v1.2;1,5e-07;-0,25"
    assert not write_csv(header=HEADER, rows=[], dialect=EXCEL_PL, bom=False).startswith("\ufeff")


@pytest.mark.parametrize("dialect", DIALECTS.values(), ids=DIALECTS)
def test_no_dialect_writes_nan_or_infinity_and_none_lets_a_header_run_as_a_formula(dialect):
    text = write_csv(header=["=cmd", "x"], rows=[[float("nan"), float("-inf")]], dialect=dialect)
    lines = text.lstrip("\ufeff").splitlines()
    assert lines == ["'=cmd" + dialect.delimiter + "x", dialect.delimiter]


def test_a_stream_yields_the_header_then_chunks_of_rows(monkeypatch):
    monkeypatch.setattr(csvfile, "ROWS_PER_CHUNK", 2)
    chunks = list(stream_csv(header=["a"], rows=[[1], [2], [3]], dialect=RFC4180, bom=True))
    assert chunks == ["\ufeffa\r\n", "1\r\n2\r\n", "3\r\n"]
