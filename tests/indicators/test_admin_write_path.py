"""Every change of an observation in the admin goes through the write path: its own batch, revisions, undo."""

from __future__ import annotations

import pytest
from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, BatchStatus, Flag, ImportBatch, Indicator, Observation, Revision
from obserwatorium.indicators.services import write_observations
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db

DERIVED = "registered-unemployed-per-1000"


@pytest.fixture
def office(client, django_user_model):
    user = django_user_model.objects.create_superuser("office-admin", password="x" * 16)
    client.force_login(user)
    return user


def _input(teryt: str = "1206012", period: str = "2020") -> Observation:
    return Observation.objects.select_related("batch").get(indicator__code="registered-unemployed",
                                                           unit__teryt=teryt, period=period)


def _derived(teryt: str = "1206012", period: str = "2020") -> Observation | None:
    return Observation.objects.filter(indicator__code=DERIVED, unit__teryt=teryt, period=period).first()


def _population(teryt: str = "1206012", period: str = "2020") -> float:
    return Observation.objects.get(indicator__code="population", unit__teryt=teryt, period=period).value


def test_change_in_admin_is_a_revision_with_new_flag_batch_and_derived_values(client, office):
    old = _input()
    response = client.post(f"/admin/indicators/observation/{old.pk}/change/",
                           {"value": "777", "flag": Flag.PROVISIONAL})
    assert response.status_code == 302, response.content[:2000]

    new = Observation.objects.select_related("batch").get(pk=old.pk)
    assert (new.value, new.flag) == (777.0, Flag.PROVISIONAL)
    assert new.batch_id != old.batch_id and new.batch.kind == BatchKind.ADMIN and new.batch.user == office
    revision = Revision.objects.get(indicator_id=old.indicator_id, unit_id=old.unit_id, period=old.period)
    assert (revision.old_value, revision.new_value, revision.old_flag, revision.new_flag) == (
        old.value, 777.0, old.flag, Flag.PROVISIONAL)
    assert (revision.user, revision.batch_id, revision.old_batch_id) == (office, new.batch_id, old.batch_id)
    assert revision.changed_at is not None
    derived = _derived()
    assert derived.value == pytest.approx(777 / _population() * 1000, rel=1e-6)
    population_flag = Observation.objects.get(indicator__code="population", unit__teryt="1206012", period="2020").flag
    assert derived.flag == (Flag.DEMO if population_flag == Flag.DEMO else Flag.PROVISIONAL)  # the weakest input


def test_add_in_admin_goes_through_the_write_path(client, office):
    indicator = Indicator.objects.get(code="registered-unemployed")
    unit = Unit.objects.get(teryt="1206012", valid_to=None)
    response = client.post("/admin/indicators/observation/add/", {
        "indicator": indicator.pk, "unit": unit.pk, "period": "2031", "value": "50", "flag": Flag.FINAL})
    assert response.status_code == 302, response.content[:2000]
    stored = Observation.objects.select_related("batch").get(indicator=indicator, unit=unit, period="2031")
    assert stored.batch.kind == BatchKind.ADMIN and stored.batch.user == office


def test_delete_in_admin_is_a_revision_and_can_be_undone(client, office):
    old = _input()
    response = client.post(f"/admin/indicators/observation/{old.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Observation.objects.filter(pk=old.pk).exists()
    revision = Revision.objects.select_related("batch").get(
        indicator_id=old.indicator_id, unit_id=old.unit_id, period=old.period)
    assert (revision.old_value, revision.new_value, revision.user) == (old.value, None, office)
    assert revision.batch.kind == BatchKind.ADMIN and revision.batch.deleted == 1
    # Derived values follow the deletion: no value computed from an input that is gone.
    assert _derived() is None or _derived().value is None

    response = client.post("/admin/indicators/revision/", {
        "action": "undo_selected_revisions", helpers.ACTION_CHECKBOX_NAME: [revision.pk], "index": 0})
    assert response.status_code == 302
    restored = _input()
    assert (restored.value, restored.flag) == (old.value, old.flag)
    assert restored.batch.kind == BatchKind.ADMIN and restored.batch.source == old.batch.source
    assert _derived().value == pytest.approx(old.value / _population() * 1000, rel=1e-6)


def test_bulk_delete_confirms_with_counts_then_records_revisions(client, office):
    chosen = list(Observation.objects.filter(indicator__code="registered-unemployed", period="2019")
                  .order_by("pk").values_list("pk", flat=True)[:3])
    form = {"action": "delete_selected_observations", helpers.ACTION_CHECKBOX_NAME: chosen, "index": 0}
    confirmation = client.post("/admin/indicators/observation/", form)
    assert confirmation.status_code == 200 and b"<td>3</td>" in confirmation.content

    done = client.post("/admin/indicators/observation/", {**form, "post": "yes"})
    assert done.status_code == 302
    assert not Observation.objects.filter(pk__in=chosen).exists()
    deletions = Revision.objects.filter(indicator__code="registered-unemployed", period="2019", new_value=None)
    assert deletions.count() == 3 and {r.batch.kind for r in deletions} == {BatchKind.ADMIN}


def test_deleting_a_batch_shows_counts_and_withdraws_its_values_set_based(client, office):
    indicator = Indicator.objects.get(code="registered-unemployed")
    units = list(Unit.objects.members().order_by("teryt"))
    batch = ImportBatch(kind=BatchKind.UPLOAD, file_name="mistake.csv", source="test")
    write_observations(batch=batch, rows=[ObservationRow(indicator.pk, u.pk, "2032", 10.0, Flag.FINAL)
                                          for u in units])

    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/admin/indicators/importbatch/{batch.pk}/delete/")
    assert page.status_code == 200 and f"<td>{len(units)}</td>".encode() in page.content
    # Counts, never the rows: no query reads the observations themselves.
    assert not [q for q in queries.captured_queries
                if '"indicators_observation"."value"' in q["sql"] or "observation\".\"period\"" in q["sql"]]

    response = client.post(f"/admin/indicators/importbatch/{batch.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Observation.objects.filter(batch=batch).exists()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.WITHDRAWN
    withdrawal = ImportBatch.objects.get(pk=batch.metadata["withdrawn_by"])
    assert withdrawal.deleted == len(units) and withdrawal.user == office
    assert Revision.objects.filter(old_batch=batch, batch=withdrawal, new_value=None).count() == len(units)


def test_the_stock_delete_action_that_loads_every_row_is_gone(client, office):
    page = client.get("/admin/indicators/observation/")
    assert b'value="delete_selected"' not in page.content
    page = client.get("/admin/indicators/importbatch/")
    assert b'value="delete_selected"' not in page.content


def test_upload_and_project_result_channels_record_who_when_and_channel(django_user_model):
    from obserwatorium.cooperation.models import Project, ProjectResult, ResultValue
    from obserwatorium.cooperation.services import feed_result_to_indicator
    from tests.ingest.helpers import run_import

    office = django_user_model.objects.create_superuser("office-channels", password="x" * 16)
    old = _input()
    uploaded = run_import("teryt;indicator;period;value\n1206012;registered-unemployed;2020;333\n", user=office)
    assert not uploaded.problems, uploaded.problems
    revision = Revision.objects.select_related("batch").get(batch=uploaded.batch)
    assert (revision.old_value, revision.new_value, revision.user) == (old.value, 333.0, office)
    assert revision.batch.kind == BatchKind.UPLOAD and revision.old_batch_id == old.batch_id
    assert _input().batch_id == uploaded.batch.pk
    assert _derived().value == pytest.approx(333 / _population() * 1000, rel=1e-6)

    project = Project.objects.first()
    result = ProjectResult.objects.create(project=project, name_pl="Bezrobotni", indicator=old.indicator)
    ResultValue.objects.create(result=result, year=2020, unit=old.unit, value=444, approximate=True)
    fed = feed_result_to_indicator(result=result, user=office)
    revision = Revision.objects.select_related("batch").get(batch=fed.batch)
    assert (revision.old_value, revision.new_value, revision.new_flag) == (333.0, 444.0, Flag.ESTIMATED)
    assert revision.batch.kind == BatchKind.PROJECT and revision.user == office
    assert (_input().flag, _input().batch_id) == (Flag.ESTIMATED, fed.batch.pk)
