"""The set-based write path: inserts, overwrites kept as revisions, dry runs, atomicity."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation, Revision
from obserwatorium.indicators.services import write_observations
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys():
    indicator = Indicator.objects.get(code="population")
    units = list(Unit.objects.members().order_by("teryt")[:3])
    return indicator, units


def _rows(indicator, units, period, values, flag=Flag.FINAL):
    return [ObservationRow(indicator.pk, u.pk, period, v, flag) for u, v in zip(units, values, strict=True)]


def test_insert_then_overwrite_keeps_old_value_as_revision(keys, django_user_model):
    indicator, units = keys
    user = django_user_model.objects.create_user("analyst", password="x" * 16)
    first = write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, file_name="a.csv"),
                               rows=_rows(indicator, units, "1999", [1.0, 2.0, 3.0]))
    assert (first.counts.inserted, first.counts.updated, first.counts.unchanged) == (3, 0, 0)

    second = write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, file_name="b.csv"),
                                rows=_rows(indicator, units, "1999", [1.0, 20.0, None]), user=user)
    assert (second.counts.inserted, second.counts.updated, second.counts.unchanged) == (0, 2, 1)

    stored = dict(Observation.objects.filter(indicator=indicator, period="1999").values_list("unit_id", "value"))
    assert stored == {units[0].pk: 1.0, units[1].pk: 20.0, units[2].pk: None}
    revisions = Revision.objects.filter(indicator=indicator, period="1999").order_by("unit__teryt")
    assert [(r.unit_id, r.old_value, r.new_value) for r in revisions] == [
        (units[1].pk, 2.0, 20.0), (units[2].pk, 3.0, None)]
    assert {r.old_batch_id for r in revisions} == {first.batch.pk}
    assert {r.batch_id for r in revisions} == {second.batch.pk}
    assert {r.user_id for r in revisions} == {user.pk}
    # The unchanged value keeps pointing at the batch that first stated it.
    assert Observation.objects.get(indicator=indicator, unit=units[0], period="1999").batch_id == first.batch.pk


def test_flag_change_alone_is_a_revision(keys):
    indicator, units = keys
    write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD), rows=_rows(indicator, units[:1], "1998", [5.0],
                                                                             Flag.PROVISIONAL))
    outcome = write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD),
                                 rows=_rows(indicator, units[:1], "1998", [5.0], Flag.FINAL))
    assert outcome.counts.updated == 1
    revision = Revision.objects.get(indicator=indicator, unit=units[0], period="1998")
    assert (revision.old_flag, revision.new_flag) == (Flag.PROVISIONAL, Flag.FINAL)


def test_dry_run_describes_and_writes_nothing(keys):
    indicator, units = keys
    before = (Observation.objects.count(), Revision.objects.count(), ImportBatch.objects.count())
    outcome = write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD), rows=_rows(indicator, units, "1997",
                                                                                     [1.0, 2.0, 3.0]),
                                 dry_run=True)
    assert outcome.batch is None
    assert outcome.counts.inserted == 3
    assert [(p[1], p[2], p[4]) for p in outcome.preview] == [(u.pk, "1997", v) for u, v in
                                                              zip(units, [1.0, 2.0, 3.0], strict=True)]
    assert (Observation.objects.count(), Revision.objects.count(), ImportBatch.objects.count()) == before


def test_failure_midway_changes_nothing(keys):
    """A key twice in one load is refused by the staging table, and nothing of the load remains."""
    indicator, units = keys
    before = (Observation.objects.count(), ImportBatch.objects.count())
    rows = _rows(indicator, units[:2], "1996", [1.0, 2.0]) + _rows(indicator, units[:1], "1996", [3.0])
    with pytest.raises(IntegrityError):
        write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD), rows=rows)
    assert (Observation.objects.count(), ImportBatch.objects.count()) == before
