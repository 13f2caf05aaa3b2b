"""`obserwatorium import FILE`: a readable report, a dry run, and exit status 1 when anything fails."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from obserwatorium.indicators.models import ImportBatch, Observation
from tests.ingest.helpers import stored_state

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_imports_a_bdl_wide_file_as_the_office(tmp_path):
    path = tmp_path / "RYNE_1944_CTAB.csv"
    path.write_bytes('"Kod";"Nazwa";"ogółem;1990;[osoba]";\n1261011;"Kraków (1)";"12 345";\n'.encode("cp1250"))
    output = run(str(path), "--indicator", "registered-unemployed", "--source", "GUS BDL, RYNE_1944")
    assert "1 values: 1 new, 0 changed, 0 unchanged." in output
    batch = ImportBatch.objects.get(file_name="RYNE_1944_CTAB.csv")
    assert (batch.user, batch.source, batch.inserted) == (None, "GUS BDL, RYNE_1944", 1)
    assert f"Imported as batch #{batch.pk}." in output
    assert Observation.objects.get(unit__teryt="1261011", indicator__code="registered-unemployed",
                                   period="1990").value == 12345.0


def test_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("teryt,indicator,period,value,flag\n1261011,population,1990,\"1,5\",p\n", encoding="utf-8")
    before = stored_state()
    output = run(str(path), "--dry-run")
    assert "1261011 Kraków, population, 1990: new → 1.5 (provisional)" in output
    assert "Dry run: nothing was written." in output
    assert stored_state() == before


def test_a_failing_file_exits_with_an_error_and_lists_every_problem(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("teryt;indicator;period;value\n1261011;population;1990;abc\n9999999;population;1990;1\n",
                    encoding="utf-8")
    report = tmp_path / "problems.csv"
    before = stored_state()
    with pytest.raises(CommandError, match="Nothing was imported: 2 problems"):
        run(str(path), "--report", str(report))
    assert stored_state() == before
    with report.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["column"], r["code"]) for r in rows] == [("2", "value", "value_bad"),
                                                                   ("3", "teryt", "unit_unknown")]


def test_the_problem_list_is_capped_but_the_report_is_complete(tmp_path):
    path = tmp_path / "bad.csv"
    rows = "".join(f"1261011;population;{1990 + i};abc\n" for i in range(5))
    path.write_text("teryt;indicator;period;value\n" + rows, encoding="utf-8")
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import", str(path), "--max-problems", "2", stdout=out, stderr=io.StringIO())
    assert "… and 3 more (--report FILE writes them all)." in out.getvalue()


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "nothing.csv"))


def test_the_command_runs_as_a_process_with_a_non_zero_exit_status(tmp_path):
    """The console script itself exits with 1 on failure (run in-process through the CLI entry point)."""
    from obserwatorium.cli import main

    path = tmp_path / "bad.csv"
    path.write_text("teryt;indicator;period;value\n1261011;population;1990;x\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["import", str(path)])
    assert exit_info.value.code == 1
