"""Open-data writers: formula neutralisation, metadata in each format, data packages."""

from __future__ import annotations

import io
import json
import zipfile

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.downloads.cells import neutralise
from obserwatorium.downloads.csvfile import CsvWriter
from obserwatorium.downloads.datapackage import Resource, descriptor, write_package
from obserwatorium.downloads.meta import TableMeta
from obserwatorium.downloads.parquetfile import ParquetWriter

META = TableMeta(name="t", title="T", unit="PLN", source="S", licence="CC0-1.0", retrieved="2024-01-01")


def test_worked_example_formula_cells_are_neutralised_but_numbers_kept():
    frame = pl.DataFrame({"text": ["=HYPERLINK(\"x\")", "+1+2", "-1+cmd|' /C calc'!A0", "@SUM(A1)", "-12.5", "ok"],
                          "number": [-1.5, -2.0, 3.0, None, 0.0, -7.0]})
    lines = CsvWriter().write(frame, META).decode().splitlines()
    assert lines[1] == '"\'=HYPERLINK(""x"")",-1.5'
    assert lines[2] == "'+1+2,-2.0" and lines[3] == "'-1+cmd|' /C calc'!A0,3.0"
    assert lines[4].startswith("'@SUM(A1),") and lines[5] == "-12.5,0.0" and lines[6] == "ok,-7.0"


@given(st.text(max_size=30))
def test_no_neutralised_cell_can_start_a_formula(text):
    safe = neutralise(text)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _plain_number(text):
        assert safe == "'" + text
    else:
        assert safe == text
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r")) or _plain_number(safe)


def _plain_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in ("inf", "infinity", "nan") and "_" not in text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_in_text_stay_as_they_are(number):
    assert neutralise(repr(number)) == repr(number)


def test_parquet_keeps_metadata_as_key_values():
    data = ParquetWriter().write(pl.DataFrame({"a": [1]}), META)
    stored = pl.read_parquet_metadata(io.BytesIO(data))
    assert stored["licence"] == "CC0-1.0" and json.loads(stored["obserwatorium:metadata"])["unit"] == "PLN"


def test_data_package_zip_describes_its_csv_files(tmp_path):
    frame = pl.DataFrame({"unit": ["1261011"], "value": [1.5], "missing": [["a", "b"]]})
    resources = [Resource(frame, TableMeta(name="Values 2020!", title="Values"))]
    package = descriptor(name="test", title="Test", licence="CC0-1.0", created="2024-01-01", resources=resources)
    path = write_package(tmp_path / "p.zip", package, resources)
    archive = zipfile.ZipFile(path)
    stored = json.loads(archive.read("datapackage.json"))
    resource = stored["resources"][0]
    assert resource["name"] == "values-2020" and resource["path"] == "data/values-2020.csv"
    assert [f["type"] for f in resource["schema"]["fields"]] == ["string", "number", "string"]
    assert archive.read("data/values-2020.csv").decode() == "unit,value,missing\n1261011,1.5,a b\n"
