"""The bad-input corpus (tests/ingest/corpus/cases.py) through the real importer: the service, and the
`import` command for the workbooks."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import CommandError, call_command

from obserwatorium.indicators.models import ImportBatch, Observation, Revision
from tests.ingest.corpus.cases import CASES
from tests.ingest.helpers import problems_of, run_import

pytestmark = pytest.mark.django_db


def table_checksums() -> tuple[str, ...]:
    """A checksum of every row of the tables an import writes."""
    tables = ((Observation, ("pk", "indicator_id", "unit_id", "period", "value", "flag", "batch_id")),
              (Revision, ("pk", "indicator_id", "unit_id", "period", "old_value", "new_value", "batch_id")),
              (ImportBatch, ("pk", "status", "checksum", "rows")))
    return tuple(hashlib.sha256(repr(list(model.objects.order_by("pk").values_list(*fields))).encode()).hexdigest()
                 for model, fields in tables)


_initial: list[tuple[str, ...]] = []


def initial_checksums() -> tuple[str, ...]:
    """The checksums every case starts from: each test runs in a transaction rolled back after it."""
    if not _initial:
        _initial.append(table_checksums())
    return _initial[0]


def test_the_corpus_is_large_and_its_names_unique():
    assert len(CASES) >= 80
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_corpus_case(case, settings):
    for name, value in case.settings.items():
        setattr(settings, name, value)
    outcome = run_import(case.content, name=case.file_name, **case.options)
    if case.accepted is None:
        assert problems_of(outcome) == set(case.refused)
        assert all(problem.message for problem in outcome.problems)
        assert outcome.batch is None and table_checksums() == initial_checksums()
    else:
        assert outcome.ok, [(p.row, p.column, p.code) for p in outcome.problems]
        stored = {(teryt, code, period): value for teryt, code, period, value in
                  Observation.objects.filter(batch=outcome.batch)
                  .values_list("unit__teryt", "indicator__code", "period", "value")}
        assert stored == case.accepted


@pytest.mark.parametrize("case", [c for c in CASES if c.file_name != "data.csv"], ids=lambda case: case.name)
def test_corpus_workbooks_through_the_command(case, settings, tmp_path):
    for name, value in case.settings.items():
        setattr(settings, name, value)
    path = tmp_path / case.file_name
    path.write_bytes(case.content)
    arguments = [f"--{k}={v}" for k, v in case.options.items()]
    if case.accepted is None:
        with pytest.raises(CommandError):
            call_command("import", str(path), *arguments, stdout=open(tmp_path / "out", "w"))
        assert table_checksums() == initial_checksums()
    else:
        call_command("import", str(path), *arguments, stdout=open(tmp_path / "out", "w"))
