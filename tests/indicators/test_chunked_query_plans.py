"""The chunked apply's statements reach stored observations through the key index, once per staged row.

A chunk must cost in proportion to its own rows, not to the table: with a plain JOIN SQLite chose the
`replaced_by` index for "replaced_by_id IS NULL" as the outer loop and visited every current observation once
per chunk (a 1M-row import then ran for more than five minutes).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from obserwatorium.indicators import bulk, chunked
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, BatchStatus, ImportBatch, Indicator, Observation
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db


def _plans(statements: list[dict]) -> list[tuple[str, list[str]]]:
    obs = Observation._meta.db_table
    plans = []
    with connection.cursor() as cursor:
        for statement in statements:
            sql = statement["sql"]
            if bulk.STAGE not in sql or obs not in sql:
                continue
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plans.append((sql, [row[-1] for row in cursor.fetchall()]))
    return plans


def test_each_chunk_statement_searches_observations_by_key_from_the_staged_rows():
    if connection.vendor != "sqlite":
        pytest.skip("the chunked apply runs on SQLite only")
    indicator = Indicator.objects.get(code="population")
    units = list(Unit.objects.members().order_by("teryt")[:3])
    batch = ImportBatch.objects.create(kind=BatchKind.UPLOAD, file_name="plan.csv", status=BatchStatus.APPLYING)
    bulk.stage([ObservationRow(indicator.pk, unit.pk, "2001", 1.0, "final") for unit in units])
    # Django interpolates the parameters into the captured SQL, so each statement can be explained as it ran.
    with CaptureQueriesContext(connection) as captured:
        chunked._apply_chunk(batch_id=batch.pk, user_id=None, now=timezone.now(), start=0, end=10_000)
    plans = _plans(captured.captured_queries)
    assert len(plans) >= 3  # the counts, the revisions, the marks and the inserts of new values
    for sql, plan in plans:
        touching = [line for line in plan if " o " in f" {line} " or line.endswith(" o")]
        assert touching, (sql, plan)
        for line in touching:
            # "SEARCH o USING ... INDEX observation_current_key_unique (indicator_id=? AND unit_id=? AND period=?)"
            assert line.startswith("SEARCH o") and "indicator_id=?" in line, (sql, plan)
