"""A registry record is archived and restored (each a recorded change), and a published one is never deleted."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from obserwatorium.cooperation.models import Partner
from obserwatorium.history.models import ChangeAction
from obserwatorium.history.selectors import changes_of
from obserwatorium.registry.models import DeletionRefused
from obserwatorium.registry.services import archive_record, restore_record

pytestmark = pytest.mark.django_db


def test_archive_and_restore_are_changes_and_hide_the_record(world, client):
    office = world.users["office"]
    archive_record(record=world.forum_a, user=office)
    assert client.get(reverse("cooperation:forum", args=["forum-a"])).status_code == 404
    assert client.get(f"/api/cooperation/forums/{world.forum_a.pk}").status_code == 404
    restore_record(record=world.forum_a, user=office)
    assert client.get(reverse("cooperation:forum", args=["forum-a"])).status_code == 200
    assert [c.action for c in changes_of(world.forum_a)[:2]] == [ChangeAction.RESTORED, ChangeAction.ARCHIVED]


def test_a_published_record_is_never_deleted(world, client):
    with pytest.raises(DeletionRefused):
        world.meeting_a.delete()
    published_partner = Partner.objects.create(name="Partner opublikowany")
    with pytest.raises(DeletionRefused), transaction.atomic():
        Partner.objects.filter(pk=published_partner.pk).delete()
    assert not changes_of(published_partner).filter(action=ChangeAction.DELETED).exists()
    client.force_login(world.users["office"])
    url = reverse("admin:cooperation_meeting_delete", args=[world.meeting_a.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Partner.objects.filter(pk=published_partner.pk).exists()
    assert world.meeting_a.__class__.objects.filter(pk=world.meeting_a.pk).exists()


def test_an_exported_json_field_is_json_text_not_python_text():
    # A JSON value (e.g. a run's parameters, an event's exception dates) reads back as JSON in the download.
    import json

    from obserwatorium.ingest.models import SyncRun
    from obserwatorium.registry.export import table

    SyncRun.objects.create(source="bdl", parameters={"gminy": ["1261011"], "ok": True, "none": None},
                           fingerprint="x")
    headers, rows = table(SyncRun.objects.all())
    cell = rows[0][headers.index(str(SyncRun._meta.get_field("parameters").verbose_name))]
    assert json.loads(cell) == {"gminy": ["1261011"], "ok": True, "none": None}
