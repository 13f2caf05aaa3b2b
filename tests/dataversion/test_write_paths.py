"""Every write of observations bumps the data version in its own transaction; a dry run or a failed write does
not."""

from __future__ import annotations

import pytest
from django.db import transaction

from obserwatorium.dataversion.selectors import data_version
from obserwatorium.dataversion.services import bump_data_version
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation, Revision
from obserwatorium.indicators.services import (
    delete_observations,
    edit_observation,
    undo_revisions,
    withdraw_batch,
    write_observations,
)
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def key():
    return Indicator.objects.get(code="population").pk, Unit.objects.get(teryt="1206113", valid_to=None).pk


def _bumps(write) -> int:
    before = data_version().counter
    write()
    return data_version().counter - before


def _row(key, value: float, period: str = "1990") -> ObservationRow:
    return ObservationRow(key[0], key[1], period, value, Flag.FINAL)


def test_the_version_has_a_token_that_changes_with_every_bump():
    before = data_version()
    bump_data_version()
    after = data_version()
    assert after.counter == before.counter + 1 and after.token != before.token


def test_an_import_and_a_hand_edit_bump_the_version(key, admin_user):
    assert _bumps(lambda: write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="t"),
                                             rows=[_row(key, 1.0)])) >= 1
    assert _bumps(lambda: edit_observation(row=_row(key, 2.0), user=admin_user)) >= 1


def test_a_dry_run_and_a_failed_write_leave_the_version(key):
    before = data_version().token
    write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="t"), rows=[_row(key, 1.0)], dry_run=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="t"), rows=[_row(key, 3.0)])
        raise RuntimeError("the import fails after its write")
    assert data_version().token == before
    assert not Observation.objects.filter(indicator_id=key[0], unit_id=key[1], period="1990").exists()


def test_deletion_withdrawal_and_undo_bump_the_version(key, admin_user):
    outcome = write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="t"),
                                 rows=[_row(key, 1.0), _row(key, 2.0, "1991")])
    edit_observation(row=_row(key, 5.0), user=admin_user)
    assert _bumps(lambda: undo_revisions(revisions=Revision.objects.filter(indicator_id=key[0], unit_id=key[1],
                                                                          period="1990"), user=admin_user)) >= 1
    assert _bumps(lambda: delete_observations(
        observations=Observation.objects.filter(indicator_id=key[0], unit_id=key[1], period="1990"),
        user=admin_user)) >= 1
    assert _bumps(lambda: withdraw_batch(batch=outcome.batch, user=admin_user)) >= 1


def test_the_plain_read_of_the_version_equals_the_stored_row():
    from obserwatorium.dataversion.models import SINGLETON_ID, DataVersion

    bump_data_version()
    stored = DataVersion.objects.get(pk=SINGLETON_ID)
    read = data_version()
    assert (read.counter, read.changed_at, read.token) == (stored.counter, stored.changed_at, stored.token)
    assert read.changed_at.utcoffset() is not None
