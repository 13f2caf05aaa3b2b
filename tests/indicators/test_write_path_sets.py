"""The set-based apply (#15): new, changed and unchanged rows merged as before; foreign keys checked per set on
PostgreSQL, per row where that is not possible; a key stored by another write after the count fails the write."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from obserwatorium.indicators import bulk, references
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation, Revision
from obserwatorium.indicators.services import write_observations
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db

PERIOD = "1997"


@pytest.fixture
def keys():
    indicator = Indicator.objects.get(code="population")
    return indicator, list(Unit.objects.members().order_by("teryt")[:5])


def _write(rows, *, user=None):
    return write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, file_name="x.csv"), rows=rows, user=user)


def _stored(indicator):
    return {(o.unit_id, o.value, o.flag, o.batch_id)
            for o in Observation.objects.filter(indicator=indicator, period=PERIOD)}


def test_new_changed_and_unchanged_rows_merge_with_their_history(keys, django_user_model):
    indicator, (a, b, c, d, e) = keys
    user = django_user_model.objects.create_user("merger", password="x" * 16)
    first = _write([ObservationRow(indicator.pk, a.pk, PERIOD, 1.0, Flag.FINAL),
                    ObservationRow(indicator.pk, b.pk, PERIOD, 2.0, Flag.PROVISIONAL),
                    ObservationRow(indicator.pk, c.pk, PERIOD, 3.0, Flag.FINAL)]).batch
    second = _write([ObservationRow(indicator.pk, a.pk, PERIOD, 1.0, Flag.FINAL),  # unchanged
                     ObservationRow(indicator.pk, b.pk, PERIOD, 2.0, Flag.FINAL),  # the flag alone changes
                     ObservationRow(indicator.pk, c.pk, PERIOD, 30.0, Flag.FINAL),  # the value changes
                     ObservationRow(indicator.pk, d.pk, PERIOD, 4.0, Flag.ESTIMATED),  # new
                     ObservationRow(indicator.pk, e.pk, PERIOD, None, Flag.CONFIDENTIAL)],  # new, no value
                    user=user)
    assert (second.counts.inserted, second.counts.updated, second.counts.unchanged) == (2, 2, 1)
    batch = second.batch
    assert (batch.rows, batch.inserted, batch.updated, batch.unchanged) == (5, 2, 2, 1)
    assert _stored(indicator) == {(a.pk, 1.0, Flag.FINAL, first.pk), (b.pk, 2.0, Flag.FINAL, batch.pk),
                                  (c.pk, 30.0, Flag.FINAL, batch.pk), (d.pk, 4.0, Flag.ESTIMATED, batch.pk),
                                  (e.pk, None, Flag.CONFIDENTIAL, batch.pk)}
    history = {(r.unit_id, r.old_value, r.new_value, r.old_flag, r.new_flag, r.old_batch_id, r.batch_id, r.user_id)
               for r in Revision.objects.filter(indicator=indicator, period=PERIOD)}
    assert history == {(b.pk, 2.0, 2.0, Flag.PROVISIONAL, Flag.FINAL, first.pk, batch.pk, user.pk),
                       (c.pk, 3.0, 30.0, Flag.FINAL, Flag.FINAL, first.pk, batch.pk, user.pk)}


def test_all_new_then_all_unchanged(keys):
    indicator, units = keys
    rows = [ObservationRow(indicator.pk, u.pk, PERIOD, float(n), Flag.FINAL) for n, u in enumerate(units)]
    first = _write(rows)
    assert (first.counts.inserted, first.counts.updated, first.counts.unchanged) == (5, 0, 0)
    again = _write(rows)
    assert (again.counts.inserted, again.counts.updated, again.counts.unchanged) == (0, 0, 5)
    assert _stored(indicator) == {(u.pk, float(n), Flag.FINAL, first.batch.pk) for n, u in enumerate(units)}
    assert not Observation.objects.filter(batch=again.batch).exists()
    assert not Revision.objects.filter(indicator=indicator, period=PERIOD).exists()


def test_a_key_stored_by_another_write_after_the_count_fails_the_write(keys):
    indicator, units = keys
    other = ImportBatch.objects.create(kind=BatchKind.ADMIN, source="a short save meanwhile")
    batch = ImportBatch.objects.create(kind=BatchKind.UPLOAD, file_name="late.csv")
    with pytest.raises(bulk.WrittenMeanwhile), transaction.atomic():
        bulk.stage([ObservationRow(indicator.pk, u.pk, PERIOD, 1.0, Flag.FINAL) for u in units])
        counts = bulk.count_changes()
        assert counts.inserted == len(units)
        Observation.objects.create(indicator=indicator, unit=units[2], period=PERIOD, value=7.0, batch=other)
        bulk.apply_staged(batch_id=batch.pk, user_id=None, now=timezone.now(), counts=counts)
    bulk.clear_stage()
    assert not Observation.objects.filter(indicator=indicator, period=PERIOD).exists()


def test_a_missing_referenced_row_is_refused_naming_the_key(keys):
    indicator, units = keys
    if connection.vendor == "postgresql":
        # The per-row checks wait for the commit, which a test's transaction never reaches; the per-set check
        # runs at once. Immediate constraints make the two comparable (each refuses the same write).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    else:
        pytest.skip("SQLite checks its foreign keys at the commit, which a test's transaction never reaches")
    missing = Unit.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    with pytest.raises(IntegrityError, match=rf"Key \(unit_id\)=\({missing}\) is not present in table"):
        _write([ObservationRow(indicator.pk, units[0].pk, PERIOD, 1.0, Flag.FINAL),
                ObservationRow(indicator.pk, missing, PERIOD, 2.0, Flag.FINAL)])
    assert not Observation.objects.filter(indicator=indicator, period=PERIOD).exists()


def test_the_test_server_checks_per_set_and_a_trigger_of_its_own_keeps_the_per_row_path(keys):
    indicator, units = keys
    if connection.vendor != "postgresql":
        pytest.skip("per-set checks are PostgreSQL's")
    with connection.cursor() as cursor:
        assert references.set_checks_possible(cursor)  # so the other tests here exercise them
        # A trigger of the table's own would be skipped with the per-row foreign-key triggers: so none is.
        cursor.execute("CREATE TABLE obs_test_fired (n int)")
        cursor.execute("CREATE FUNCTION obs_test_mark() RETURNS trigger LANGUAGE plpgsql AS "
                       "$$ BEGIN INSERT INTO obs_test_fired VALUES (1); RETURN NULL; END $$")
        cursor.execute("CREATE TRIGGER obs_test_mark AFTER INSERT ON indicators_observation FOR EACH ROW "
                       "EXECUTE FUNCTION obs_test_mark()")
        assert not references.set_checks_possible(cursor)
    outcome = _write([ObservationRow(indicator.pk, u.pk, PERIOD, 1.0, Flag.FINAL) for u in units])
    assert outcome.counts.inserted == len(units)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM obs_test_fired")
        assert cursor.fetchone()[0] == len(units)


def test_the_referenced_rows_stay_locked_against_another_connections_deletion(keys):
    indicator, units = keys
    if connection.vendor != "postgresql":
        pytest.skip("per-set checks are PostgreSQL's")
    import psycopg

    _write([ObservationRow(indicator.pk, units[0].pk, PERIOD, 1.0, Flag.FINAL)])
    settings = connection.settings_dict
    other_url = (f"postgres://{settings.get('USER') or 'postgres'}@{settings.get('HOST') or '127.0.0.1'}:"
                 f"{settings.get('PORT') or 5432}/{settings['NAME']}")
    # Until this transaction ends, the unit and the indicator it wrote cannot go (the per-row trigger's lock).
    with psycopg.connect(other_url) as other:
        other.execute("SET lock_timeout = '500ms'")
        for table, pk in (("territory_unit", units[0].pk), ("indicators_indicator", indicator.pk)):
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute(f"DELETE FROM {table} WHERE id = %s", [pk])
            other.rollback()
            other.execute("SET lock_timeout = '500ms'")
        # A unit the write did not name is not locked.
        other.execute("SELECT 1 FROM territory_unit WHERE id = %s FOR UPDATE", [units[1].pk])
        other.rollback()
