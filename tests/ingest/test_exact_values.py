"""Spreadsheet and text numbers are stored as the cell holds them, never through a rounded text copy."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obserwatorium.indicators.models import Observation
from obserwatorium.ingest.cells import number_expression
from obserwatorium.ingest.readers import read_grid
from tests.ingest.helpers import run_import
from tests.ingest.workbooks import ods, xlsx

FINITE = st.floats(allow_nan=False, allow_infinity=False)
many = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_values(content: bytes) -> list[float | None]:
    """The numbers of the file's first column below its header, as the importer parses them."""
    frame = read_grid(content).frame.slice(1)
    return frame.select(number_expression("c0"))["c0"].to_list()


@many
@given(values=st.lists(FINITE, min_size=1, max_size=40))
def test_any_finite_float_in_an_xlsx_reads_back_exactly(values):
    assert read_values(xlsx([["value"], *[[v] for v in values]])) == values


@many
@given(values=st.lists(FINITE, min_size=1, max_size=40))
def test_any_finite_float_in_an_ods_reads_back_exactly(values):
    assert read_values(ods([["value"], *[[v] for v in values]])) == values


@many
@given(values=st.lists(FINITE, min_size=1, max_size=40), comma=st.booleans())
def test_any_finite_float_in_a_csv_reads_back_exactly(values, comma):
    lines = ["value;teryt", *[(repr(v).replace(".", ",") if comma else repr(v)) + ";1206012" for v in values]]
    assert read_values("\n".join(lines).encode()) == values


def test_the_spreadsheet_library_text_would_have_rounded():
    """The library's own text of these cells is "0" and "0.333333333": the reader must not use it."""
    content = xlsx([["value"], [1.5e-10], [1 / 3], [0.1 + 0.2], [-2.5e-300]])
    assert read_values(content) == [1.5e-10, 1 / 3, 0.1 + 0.2, -2.5e-300]
    assert pl.Series(read_grid(content).frame["c0"]).to_list()[1:3] == ["1.5e-10", "0.3333333333333333"]


@pytest.mark.django_db
@pytest.mark.parametrize("build,name", [(xlsx, "dane.xlsx"), (ods, "dane.ods")])
def test_imported_values_are_stored_exactly(build, name):
    rows = [["teryt", "indicator", "period", "value"], ["1206012", "population", "1991", 1.5e-10],
            ["1206022", "population", "1991", 1 / 3]]
    outcome = run_import(build(rows), name=name)
    assert outcome.ok, outcome.problems
    stored = dict(Observation.objects.filter(batch=outcome.batch).values_list("unit__teryt", "value"))
    assert stored == {"1206012": 1.5e-10, "1206022": 1 / 3}
