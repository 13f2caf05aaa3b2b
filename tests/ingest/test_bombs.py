"""Spreadsheet and zip bombs: refused before parsing, or by the capped worker, never by the server dying."""

from __future__ import annotations

import resource

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from tests.ingest.helpers import problems_of, run_import, stored_state
from tests.ingest.workbooks import ods, xlsx, zip_bomb_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["teryt", "indicator", "period", "value"]
ROW = ["1206012", "population", "1990", 5]
# A sheet of 1000 columns repeated 20 000 rows: 20 million cells from less than a kilobyte.
REPEATED_ODS = ('<table:table-row table:number-rows-repeated="20000"><table:table-cell office:value-type="float" '
                'office:value="1" table:number-columns-repeated="1000"/></table:table-row>')


def peak_rss_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def assert_refused(content: bytes, code: str, name: str = "bomb.xlsx") -> list:
    before, peak = stored_state(), peak_rss_mb()
    outcome = run_import(content, name=name)
    assert problems_of(outcome) == {(None, "", code)}
    assert outcome.batch is None and stored_state() == before
    assert peak_rss_mb() - peak < 100  # the test process never held the file's declared size
    return outcome.problems


def test_a_cell_at_xfd1048576_is_refused_naming_the_corner_and_the_limit():
    (problem,) = assert_refused(xlsx([HEADER, ROW], extra_cells={"XFD1048576": 1}), "sheet_too_large")
    with translation.override("en"):
        assert problem.message == (
            "Sheet “Dane” spans 17 179 869 184 cells (from A1 to XFD1048576), more than the 10 000 000 cells an "
            "import may hold; remove the stray cells far from the table or split the file.")
    with translation.override("pl"):
        assert "XFD1048576" in problem.message and "10 000 000" in problem.message
        assert problem.message.startswith("Arkusz „Dane”")


def test_a_declared_dimension_to_xfd1048576_is_refused():
    assert_refused(xlsx([HEADER, ROW], dimension="A1:XFD1048576"), "sheet_too_large")


def test_repeated_ods_cells_count_as_expanded():
    assert_refused(ods(table_xml=REPEATED_ODS), "sheet_too_large", name="bomb.ods")


def test_trailing_empty_ods_rows_as_libreoffice_writes_them_are_not_counted():
    table = "".join(f"<table:table-row>{''.join(cell(v) for v in row)}"
                    '<table:table-cell table:number-columns-repeated="16380"/></table:table-row>'
                    for row in [HEADER, ROW])
    table += ('<table:table-row table:number-rows-repeated="1048574">'
              '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>')
    outcome = run_import(ods(table_xml=table), name="dane.ods")
    assert outcome.ok, outcome.problems


def cell(value) -> str:
    if isinstance(value, str):
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    return f'<table:table-cell office:value-type="float" office:value="{value}"/>'


def test_a_zip_bomb_is_refused_from_its_directory(settings):
    settings.OBS_IMPORT_MAX_INFLATED_MB = 16
    (problem,) = assert_refused(zip_bomb_xlsx(32 << 20), "inflated_too_large")
    with translation.override("en"):
        assert problem.message == "The workbook inflates to 32 MB, more than the 16 MB an import may unpack."


def test_a_member_compressed_a_thousand_times_is_refused():
    (problem,) = assert_refused(zip_bomb_xlsx(16 << 20), "compression_ratio")
    assert problem.params["member"] == "xl/worksheets/sheet1.xml" and int(problem.params["ratio"]) > 200


def test_a_file_the_worker_cannot_read_within_its_memory_is_refused(settings):
    settings.OBS_IMPORT_MEMORY_MB = 700  # the worker starts near 500 MB of address space (the libraries)
    table = REPEATED_ODS.replace("20000", "3000")  # 3 million cells: within the cell limit
    (problem,) = assert_refused(ods(table_xml=table), "memory_limit", name="big.ods")
    with translation.override("en"):
        assert "700 MB" in problem.message


def test_a_worker_over_its_time_is_stopped(settings):
    settings.OBS_IMPORT_SECONDS = 0
    (problem,) = assert_refused(xlsx([HEADER, ROW]), "time_limit")
    with translation.override("en"):
        assert "0 seconds" in problem.message


def test_a_bomb_uploaded_on_the_page_gets_the_refusal(client, staff_user):
    client.force_login(staff_user)
    before = stored_state()
    content = xlsx([HEADER, ROW], extra_cells={"XFD1048576": 1})
    response = client.post("/import/", {"file": SimpleUploadedFile("bomb.xlsx", content), "flag": "final"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "XFD1048576" in response.content.decode()
    assert stored_state() == before


def test_an_ordinary_workbook_still_imports():
    outcome = run_import(xlsx([HEADER, ROW]), name="dane.xlsx")
    assert outcome.ok and outcome.values == 1


def test_a_csv_over_a_limit_is_told_to_split_not_to_be_saved_as_csv(settings):
    """A text file gets the advice it can follow: split it (a workbook may also be saved as CSV)."""
    settings.OBS_IMPORT_SECONDS = 0
    rows = "".join(f"1261011;population;{2000 + n % 20};{n},5\n" for n in range(60_000))
    content = ("teryt;indicator;period;value\n" + rows).encode()
    assert len(content) > 1 << 20  # read by the capped worker, not inline
    (problem,) = assert_refused(content, "time_limit_text", name="big.csv")
    with translation.override("en"):
        assert "0 seconds" in problem.message and "split it" in problem.message and "CSV" not in problem.message
    with translation.override("pl"):
        assert "podziel go na mniejsze pliki" in problem.message
