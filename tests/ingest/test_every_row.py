"""Every row is checked: an empty value never hides a truncated, short or swallowed row."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from tests.ingest.helpers import problems_of, run_import, stored_state

pytestmark = pytest.mark.django_db

HEADER = "teryt;indicator;period;value\n"
GOOD = "1206022;population;1991;5\n"


def refused(text: str, **options) -> set:
    before = stored_state()
    outcome = run_import(text, **options)
    assert outcome.batch is None and stored_state() == before
    return problems_of(outcome)


def test_a_truncated_last_line_refuses_the_file():
    assert refused(HEADER + GOOD + "1206012;populat") == {
        (3, "indicator", "indicator_unknown"), (3, "period", "period_missing"), (3, "value", "value_missing")}


def test_a_short_row_refuses_the_file():
    assert refused(HEADER + "1206012;population;1991\n" + GOOD) == {(2, "value", "value_missing")}


def test_an_empty_value_is_reported_with_its_row():
    outcome = run_import(HEADER + "1206012;population;1991;\n" + GOOD)
    assert problems_of(outcome) == {(2, "value", "value_missing")}
    with translation.override("pl"):
        assert outcome.problems[0].message.startswith("Wartość jest pusta")


def test_empty_values_are_skipped_only_on_request_and_their_rows_are_still_checked():
    outcome = run_import(HEADER + "1206012;population;1991;\n" + GOOD, skip_empty=True, dry_run=True)
    assert outcome.ok and outcome.values == 1
    assert [n.params for n in outcome.notices if n.code == "cells_skipped"] == [{"count": 1}]
    assert refused(HEADER + GOOD + "1206012;populat", skip_empty=True) == {
        (3, "indicator", "indicator_unknown"), (3, "period", "period_missing")}


def test_a_row_with_a_no_value_sign_still_has_its_unit_checked():
    assert refused(HEADER + GOOD + "9999999;population;1991;-\n") == {(3, "teryt", "unit_unknown")}


def test_a_row_swallowed_by_an_unclosed_quote_is_named():
    problems = refused(HEADER + '1206012;"population;1991;5\n' + GOOD)
    assert (2, "indicator", "line_break_in_cell") in problems
    assert (2, "value", "value_missing") in problems


def test_a_cell_over_128_kib_in_a_ragged_file_names_its_row():
    text = HEADER + GOOD + GOOD.replace("5", "5;extra") + "1206012;population;1992;" + "9" * 200_000 + "\n"
    outcome = run_import(text)
    assert problems_of(outcome) == {(4, "", "cell_too_long")}
    with translation.override("en"):
        assert outcome.problems[0].message == "A cell of this row is longer than 131072 characters."


def test_a_huge_cell_in_a_regular_file_names_its_row():
    outcome = run_import(HEADER + GOOD + "1206012;population;1992;" + "x" * 200_000 + "\n")
    assert problems_of(outcome) == {(3, "", "cell_too_long")}


def test_a_long_bad_value_is_quoted_short():
    outcome = run_import(HEADER + GOOD + "1206012;population;1992;" + "x" * 5_000 + "\n")
    assert problems_of(outcome) == {(3, "value", "value_bad")}
    assert len(outcome.problems[0].value) == 201


def test_the_command_skips_empty_values_on_request(tmp_path):
    from django.core.management import call_command

    path = tmp_path / "dane.csv"
    path.write_text(HEADER + "1206012;population;1991;\n" + GOOD, encoding="utf-8")
    out = io.StringIO()
    with translation.override("en"):
        call_command("import", str(path), "--skip-empty", "--dry-run", stdout=out)
    assert "1 empty cell or no-value sign (-, ., x) was skipped." in out.getvalue()
    assert "1 values: 1 new" in out.getvalue()
