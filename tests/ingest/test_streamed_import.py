"""A large file is read from its path in a stream and checked a slice at a time: the outcome is the one of reading
and checking it whole, and a bad row in a late slice still writes nothing."""

from __future__ import annotations

import codecs

import pytest

from obserwatorium.indicators.models import Observation
from obserwatorium.ingest import services, worker
from obserwatorium.ingest.readers import read_grid, stream_delimited_text
from obserwatorium.ingest.services import ImportOptions, import_observations
from tests.ingest.corpus.cases import CASES
from tests.ingest.helpers import run_import, stored_state

pytestmark = pytest.mark.django_db

HEADER = "teryt;indicator;period;value\n"
GOOD = ["1206012;population;1991;5\n", "1206022;population;1991;6\n", "1206012;population;1992;7\n",
        "1206022;population;1992;8\n", "1206012;population;1993;9\n"]


def described(outcome) -> tuple:
    """Everything an import reports: problems with their values and parameters, notices, counts and changes."""
    return ([(p.row, p.column, p.code, p.value, p.params, p.message) for p in outcome.problems],
            [(n.code, n.params) for n in outcome.notices], outcome.info, outcome.values, outcome.checksum,
            [(c.teryt, c.indicator, c.period, c.old_value, c.new_value, c.old_flag, c.new_flag)
             for c in outcome.changes], outcome.counts)


@pytest.fixture
def streamed(monkeypatch):
    """Every file through the worker (none read inline) and checked one grid row at a time."""
    monkeypatch.setattr(worker, "INLINE_TEXT_BYTES", 0)
    monkeypatch.setattr(services, "GRID_ROWS_PER_CHECK", 1)


@pytest.mark.parametrize("case", [c for c in CASES if c.file_name == "data.csv"], ids=lambda case: case.name)
def test_a_file_read_from_its_path_and_checked_in_slices_gives_the_outcome_of_the_whole(case, settings, tmp_path,
                                                                                        monkeypatch):
    for name, value in case.settings.items():
        setattr(settings, name, value)
    whole = run_import(case.content, name=case.file_name, dry_run=True, **case.options)
    monkeypatch.setattr(worker, "INLINE_TEXT_BYTES", 0)
    monkeypatch.setattr(services, "GRID_ROWS_PER_CHECK", 1)
    path = tmp_path / case.file_name
    path.write_bytes(case.content)
    sliced = import_observations(path=path, file_name=case.file_name, options=ImportOptions(**case.options),
                                 office=True, dry_run=True)
    assert described(sliced) == described(whole)


def test_a_bad_row_in_a_late_slice_writes_nothing(streamed, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(HEADER + "".join(GOOD) + "1206012;population;1994;abc\n", encoding="utf-8")
    before = stored_state()
    outcome = import_observations(path=path, file_name="data.csv", office=True)
    assert [(p.row, p.column, p.code, p.value) for p in outcome.problems] == [(7, "value", "value_bad", "abc")]
    assert outcome.batch is None and stored_state() == before


def test_a_repetition_in_a_later_slice_names_the_first_row(streamed, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(HEADER + "".join(GOOD) + GOOD[1] + GOOD[1], encoding="utf-8")
    outcome = import_observations(path=path, file_name="data.csv", office=True)
    assert [(p.row, p.code, p.params) for p in outcome.problems] == [
        (7, "duplicate", {"first_row": 3}), (8, "duplicate", {"first_row": 3})]
    assert outcome.batch is None


def test_a_wide_file_checked_in_slices_names_each_repeated_cell(streamed, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("teryt;indicator;1991;1992\n1206012;population;1;2\n1206022;population;3;4\n"
                    "1206012;population;5;\n", encoding="utf-8")
    outcome = import_observations(path=path, file_name="data.csv", office=True, options=ImportOptions(skip_empty=True))
    assert [(p.row, p.column, p.code, p.value, p.params) for p in outcome.problems] == [
        (4, "1991", "duplicate", "5", {"first_row": 2})]


def test_a_file_checked_in_slices_is_written_whole(streamed, tmp_path):
    path = tmp_path / "data.csv"
    path.write_text(HEADER + "".join(GOOD).replace(";5\n", ";5,25\n"), encoding="utf-8")
    outcome = import_observations(path=path, file_name="data.csv", office=True)
    assert outcome.ok and outcome.values == 5 and outcome.counts.inserted == 5
    stored = dict(((teryt, period), value) for teryt, period, value in Observation.objects.filter(
        batch=outcome.batch).values_list("unit__teryt", "period", "value"))
    assert stored == {("1206012", "1991"): 5.25, ("1206022", "1991"): 6.0, ("1206012", "1992"): 7.0,
                      ("1206022", "1992"): 8.0, ("1206012", "1993"): 9.0}


@pytest.mark.parametrize("content", [
    (HEADER + "".join(GOOD)).encode(),
    ("teryt,indicator,period,value\r\n" + '1206012,"popu\nlation",1991,"5,5"\r\n').encode(),
    ("teryt;nazwa;period;value\n" + "1206012;Kraków;1991;5\n").encode(),
    (HEADER + "1206012;population;1991;5;extra\n").encode(),
])
def test_a_plain_utf8_file_streamed_from_disk_is_the_grid_of_its_bytes(content, tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    whole = read_grid(content)
    streamed_grid = stream_delimited_text(path, tmp_path / "grid.arrow")
    if streamed_grid is None:  # a file the fast path refuses goes to the whole-file readers
        assert whole.info["format"] == "csv"
        return
    assert streamed_grid.info == whole.info
    assert whole.frame is not None and streamed_grid.rows(0, 100).equals(whole.frame)
    assert (streamed_grid.height, streamed_grid.width) == (whole.height, whole.width)


@pytest.mark.parametrize("content", [
    codecs.BOM_UTF8 + (HEADER + GOOD[0]).encode(),
    (HEADER + "1206012;Kraków;1991;5\n").encode("cp1250"),
    (HEADER + GOOD[0]).replace("\n", "\r").encode(),
    b"   \n\n",
])
def test_a_file_that_is_not_plain_utf8_is_left_to_the_whole_file_readers(content, tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    assert stream_delimited_text(path, tmp_path / "grid.arrow") is None
