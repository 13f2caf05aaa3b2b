"""Registry exports and import problem reports never carry a spreadsheet formula from user input."""

from __future__ import annotations

import csv
import io

import pytest

from obserwatorium.cooperation.models import Partner
from obserwatorium.ingest.problems import Problem, write_report
from obserwatorium.registry.export import csv_response

pytestmark = pytest.mark.django_db


def test_registry_csv_neutralises_a_formula_typed_as_a_name():
    partner = Partner.objects.create(name='=HYPERLINK("http://example.invalid","x")', kind="institution")
    response = csv_response(Partner.objects.filter(pk=partner.pk), filename="partners")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + partner.name in cells
    assert partner.name not in cells


def test_problem_report_neutralises_the_bad_cell_it_quotes():
    buffer = io.StringIO()
    write_report([Problem(code="value_bad", row=3, column="=cmd|' /C calc'!A0", value="=1+1")], buffer)
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows[1][2] == "'=cmd|' /C calc'!A0"
    assert rows[1][3] == "'=1+1"
