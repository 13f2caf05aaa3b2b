"""Validation names every problem by row and column; a file with any problem changes nothing."""

from __future__ import annotations

import hashlib

import pytest
from django.utils import translation

from obserwatorium.indicators.models import BatchKind, BatchStatus, Flag, ImportBatch, Observation, Revision
from obserwatorium.territory.models import Unit
from tests.ingest.helpers import changes_of, problems_of, run_import, stored_state

pytestmark = pytest.mark.django_db

HEADER = "teryt;indicator;period;value;flag\n"


def test_every_kind_of_row_problem_is_named_by_row_and_column():
    text = HEADER + (
        "1261011;population;1991;100;\n"          # row 2: fine
        "1261099;population;1991;100;\n"          # row 3: unknown TERYT
        "1206012;populacja;1991;100;\n"           # row 4: unknown indicator
        "1206022;population;1991;sto;\n"          # row 5: not a number
        "1206032;population;19911;100;\n"         # row 6: bad period
        "1206042;population;1991;100;maybe\n"     # row 7: bad flag
        "1261011;population;1991;101;\n"          # row 8: same key as row 2
        "1206052;population;1991;-1;\n"           # row 9: below the lowest value (0)
        "1206052;working-age-share;1991;100,5;\n"  # row 10: above the highest value (100)
        ";population;1991;1;\n"                   # row 11: no unit code
        "1206063;;1991;1;\n"                      # row 12: no indicator
        "1206072;population;;1;\n"                # row 13: no period
        "1206114;population;1991;1;\n"            # row 14: town part of an urban-rural gmina
    )
    before = stored_state()
    outcome = run_import(text)
    assert not outcome.ok
    assert problems_of(outcome) == {
        (3, "teryt", "unit_unknown"), (4, "indicator", "indicator_unknown"), (5, "value", "value_bad"),
        (6, "period", "period_bad"), (7, "flag", "flag_bad"), (8, "teryt, indicator, period", "duplicate"),
        (9, "value", "value_below"), (10, "value", "value_above"), (11, "teryt", "unit_missing"),
        (12, "indicator", "indicator_missing"), (13, "period", "period_missing"), (14, "teryt", "unit_part"),
    }
    assert [p.row for p in outcome.problems] == sorted(p.row for p in outcome.problems)
    duplicate = next(p for p in outcome.problems if p.code == "duplicate")
    assert duplicate.params == {"first_row": 2}
    with translation.override("en"):
        messages = {p.row: p.message for p in outcome.problems}
    assert messages[3] == "No territorial unit has the code “1261099”."
    assert messages[10] == "100,5 is above the highest value allowed for working-age-share (100)."
    assert stored_state() == before


def test_several_problems_of_one_row_are_all_reported():
    outcome = run_import(HEADER + "9999999;nope;20xx;abc;zz\n")
    assert problems_of(outcome) == {(2, "teryt", "unit_unknown"), (2, "indicator", "indicator_unknown"),
                                    (2, "period", "period_bad"), (2, "value", "value_bad"), (2, "flag", "flag_bad")}


def test_every_bad_row_of_a_long_file_is_reported():
    good = "".join(f"1261011;population;{1900 + i // 12}-{i % 12 + 1:02d};{i}\n" for i in range(300))
    bad = "".join(f"1261011;population;{2300 + i};{i}\n" for i in range(120))
    outcome = run_import("teryt;indicator;period;value\n" + good + bad)
    assert [p.row for p in outcome.problems] == list(range(302, 422))
    assert {p.code for p in outcome.problems} == {"period_bad"}


def test_problems_of_a_wide_file_name_the_year_column():
    text = ('"Kod";"Nazwa";"ogółem;1991;[osoba]";"ogółem;1992;[osoba]"\n'
            '1261011;"Kraków";12;abc\n'
            '0201011;"Bolesławiec";1;2\n'
            '1206012;"Czernichów";-5;\n')
    outcome = run_import(text, indicator="population")
    assert problems_of(outcome) == {(2, "ogółem;1992;[osoba]", "value_bad"), (3, "Kod", "unit_unknown"),
                                    (4, "ogółem;1991;[osoba]", "value_below"),
                                    (4, "ogółem;1992;[osoba]", "value_missing")}


def test_a_wide_row_without_any_value_still_has_its_code_checked():
    text = "Kod;Nazwa;1991;1992\n1261011;Kraków;1;2\n9999999;Nowhere;;-\n"
    assert problems_of(run_import(text, indicator="population", dry_run=True)) == {
        (3, "Kod", "unit_unknown"), (3, "1991", "value_missing")}
    assert problems_of(run_import(text, indicator="population", dry_run=True, skip_empty=True)) == {
        (3, "Kod", "unit_unknown")}


def test_empty_and_no_value_cells_of_a_wide_row_are_skipped_on_request():
    text = "Kod;Nazwa;1991;1992\n1261011;Kraków;1;2\n1206012;Czernichów;;-\n"
    outcome = run_import(text, indicator="population", dry_run=True, skip_empty=True)
    assert outcome.ok
    assert [n.params for n in outcome.notices if n.code == "cells_skipped"] == [{"count": 2}]


@pytest.mark.parametrize(("text", "options", "expected"), [
    ("nazwa;rok;wartość\nKraków;1991;1\n", {"indicator": "population"}, {(1, "", "column_missing")}),
    ("teryt;rok\n1261011;1991\n", {"indicator": "population"}, {(1, "", "column_missing")}),
    ("teryt;wartość\n1261011;1\n", {"indicator": "population"}, {(1, "", "column_missing")}),
    ("teryt;rok;wartość\n1261011;1991;1\n", {}, {(1, "", "indicator_needed")}),
    ("Kod;1991;1991\n1261011;1;2\n", {"indicator": "population"}, {(1, "1991", "period_column_twice")}),
    ("teryt;indicator;period;value\n", {}, {(1, "", "no_data")}),
    ("teryt;indicator;period;value\n1261011;population;1991;\n", {"skip_empty": True}, {(1, "", "no_data")}),
    ("teryt;indicator;period;value\n1261011;population;1991;\n", {}, {(2, "value", "value_missing")}),
    ("teryt;indicator;period;value\n1261011;population;1991;1\n", {"indicator": "no-such"},
     {(None, "indicator", "option_indicator_unknown")}),
    ("teryt;indicator;period;value\n1261011;population;1991;1\n", {"flag": "perhaps"},
     {(None, "flag", "option_flag_unknown")}),
    ("", {}, {(None, "", "file_empty")}),
    ("   \n\n", {}, {(None, "", "file_empty")}),
])
def test_file_level_problems(text, options, expected):
    before = stored_state()
    assert problems_of(run_import(text, **options)) == expected
    assert stored_state() == before


def test_a_missing_column_is_named_with_the_headers_it_may_have():
    outcome = run_import("nazwa;rok;wartość\nKraków;1991;1\n", indicator="population")
    with translation.override("en"):
        assert outcome.problems[0].message == (
            "No column for the territorial unit (TERYT code or BDL unit id); name it one of: teryt, kod, "
            "kod teryt, teryt code, kod jednostki, id jednostki.")


def test_a_file_with_one_bad_row_among_many_imports_nothing():
    rows = "".join(f"{u.teryt};population;1990;{1000 + i}\n" for i, u in enumerate(Unit.objects.gminy()))
    before = stored_state()
    outcome = run_import("teryt;indicator;period;value\n" + rows + "1261011;population;1989;1 000 000 zł\n")
    assert problems_of(outcome) == {(Unit.objects.gminy().count() + 2, "value", "value_bad")}
    assert outcome.batch is None
    assert stored_state() == before


def test_dry_run_describes_inserts_changes_and_unchanged_values_and_writes_nothing():
    krakow = Observation.objects.get(indicator__code="population", unit__teryt="1261011", period="2020")
    text = ("teryt;indicator;period;value;flag\n"
            f"1261011;population;2020;{krakow.value:.0f};{krakow.flag}\n"   # unchanged
            "1206012;population;2020;9 999;provisional\n"                    # changed
            "1206022;population;1990;1 234,5;\n")                            # new
    before = stored_state()
    outcome = run_import(text, dry_run=True)
    assert outcome.ok and outcome.batch is None
    assert (outcome.counts.inserted, outcome.counts.updated, outcome.counts.unchanged) == (1, 1, 1)
    changed = next(c for c in outcome.changes if c.teryt == "1206012")
    old = Observation.objects.get(indicator__code="population", unit__teryt="1206012", period="2020")
    assert (changed.old_value, changed.new_value, changed.old_flag, changed.new_flag) == (
        old.value, 9999.0, old.flag, "provisional")
    new = next(c for c in outcome.changes if c.teryt == "1206022")
    assert new.inserted and new.new_value == 1234.5
    assert stored_state() == before


def test_an_applied_import_records_its_batch_and_keeps_overwritten_values(staff_user):
    old = Observation.objects.get(indicator__code="population", unit__teryt="1206012", period="2020")
    text = ("teryt;indicator;period;value;note\n1206012;population;2020;9 999;sprawdził urząd\n"
            "1206022;population;1990;1234,5;\n1206032;population;1990;-;\n")
    content = text.encode("cp1250")
    outcome = run_import(content, name="ludnosc.csv", user=staff_user, office=False, source="GUS BDL, LUDN")
    assert outcome.ok, outcome.problems
    batch = ImportBatch.objects.get(pk=outcome.batch.pk)
    assert (batch.kind, batch.status, batch.file_name, batch.source) == (
        BatchKind.UPLOAD, BatchStatus.APPLIED, "ludnosc.csv", "GUS BDL, LUDN")
    assert batch.checksum == hashlib.sha256(content).hexdigest()
    assert batch.user == staff_user
    assert (batch.rows, batch.inserted, batch.updated, batch.unchanged) == (2, 1, 1, 0)
    assert {item["code"] for item in batch.report} == {"columns_ignored", "cells_skipped"}
    assert batch.metadata["encoding"] == "windows-1250" and batch.metadata["layout"] == "long"
    revision = Revision.objects.get(batch=batch)
    assert (revision.old_value, revision.new_value, revision.old_batch_id, revision.user) == (
        old.value, 9999.0, old.batch_id, staff_user)
    assert Observation.objects.get(indicator__code="population", unit__teryt="1206022", period="1990").value == 1234.5
    assert not Observation.objects.filter(unit__teryt="1206032", period="1990").exists()


def test_a_confidential_value_may_be_empty_and_is_stored_as_null():
    outcome = run_import("teryt;indicator;period;value;flag\n1261011;population;1990;;poufna\n")
    assert outcome.ok, outcome.problems
    stored = Observation.objects.get(indicator__code="population", unit__teryt="1261011", period="1990")
    assert (stored.value, stored.flag) == (None, Flag.CONFIDENTIAL)


def test_default_flag_applies_to_rows_without_one():
    outcome = run_import("teryt;indicator;period;value;flag\n1261011;population;1990;1;\n"
                         "1206012;population;1990;2;final\n", flag="estimated", dry_run=True)
    assert changes_of(outcome) == {("1261011", "population", "1990", 1.0, "estimated"),
                                   ("1206012", "population", "1990", 2.0, "final")}


def test_a_user_without_rights_may_change_no_unit(plain_user):
    before = stored_state()
    outcome = run_import(HEADER + "1261011;population;1990;1;\n1206012;population;1990;2;\n", user=plain_user,
                         office=False)
    assert problems_of(outcome) == {(2, "teryt", "unit_not_editable"), (3, "teryt", "unit_not_editable")}
    assert stored_state() == before


def test_a_user_limited_to_one_gmina_is_refused_the_others(plain_user, monkeypatch):
    """When the access rules give a municipal official one gmina, rows of other units are refused."""
    monkeypatch.setattr("obserwatorium.ingest.selectors.units_editable_for_observations",
                        lambda user: Unit.objects.filter(teryt="1206012"))
    outcome = run_import(HEADER + "1261011;population;1990;1;\n1206012;population;1990;2;\n", user=plain_user,
                         office=False)
    assert problems_of(outcome) == {(2, "teryt", "unit_not_editable")}
    with translation.override("en"):
        assert outcome.problems[0].message == "You may not change the data of Kraków (1261011)."


def test_indicator_codes_and_headers_are_read_tolerantly():
    text = "\ufeffKOD TERYT;Kod wskaźnika;Okres;Wartość [osoby];Flaga\n1261011; Population ;1990;1;Wstępna\n"
    outcome = run_import(text, dry_run=True)
    assert outcome.ok, outcome.problems
    assert changes_of(outcome) == {("1261011", "population", "1990", 1.0, "provisional")}
