"""The registries' admin: search, filters, CSV/XLSX export, archive instead of delete, in Polish and English."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib import admin
from django.urls import reverse
from openpyxl import load_workbook

from obserwatorium.registry.admin_base import RegistryAdmin

pytestmark = pytest.mark.django_db

REGISTRY_MODELS = ["strategy.strategy", "strategy.goal", "strategy.actionplan", "strategy.action", "strategy.target",
                   "cooperation.source", "cooperation.forum", "cooperation.meeting", "cooperation.partner",
                   "cooperation.agreement", "cooperation.project", "cooperation.projectresult",
                   "cooperation.aggregatefigure", "events.event"]


@pytest.mark.parametrize("label", REGISTRY_MODELS)
@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_registry_has_a_searchable_filterable_admin_in_both_languages(world, client, label, language):
    model_admin = next(ma for m, ma in admin.site._registry.items() if m._meta.label_lower == label)
    assert isinstance(model_admin, RegistryAdmin) and model_admin.search_fields
    client.force_login(world.users["office"])
    url = reverse(f"admin:{label.replace('.', '_')}_changelist")
    response = client.get(url + "?q=a", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.context["cl"].has_filters
    assert ('lang="pl"' if language == "pl" else 'lang="en"') in response.content.decode()


def test_csv_and_xlsx_export_of_selected_records(world, client):
    client.force_login(world.users["office"])
    url = reverse("admin:strategy_action_changelist")
    selected = {"_selected_action": [world.action_a.pk, world.action_b.pk], "index": 0}
    response = client.post(url, {**selected, "action": "export_csv"}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert "kod" in rows[0] and "postęp (%)" in rows[0]
    assert {row[rows[0].index("kod")] for row in rows[1:]} == {"A-1", "B-1"}
    response = client.post(url, {**selected, "action": "export_xlsx"}, HTTP_ACCEPT_LANGUAGE="en")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    assert "code" in header and sheet.max_row == 3
    progress = header.index("progress (%)")
    assert sorted(row[progress].value for row in sheet.iter_rows(min_row=2)) == [10, 20]


def test_an_exported_csv_updates_progress_when_uploaded_again(world, client):
    client.force_login(world.users["office"])
    exported = client.post(reverse("admin:strategy_action_changelist"),
                           {"_selected_action": [world.action_a.pk], "index": 0, "action": "export_csv"},
                           HTTP_ACCEPT_LANGUAGE="pl").content.decode("utf-8-sig")
    edited = exported.replace(";10;", ";35;").encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("admin:strategy_action_progress_upload"),
                           {"file": SimpleUploadedFile("actions.csv", edited)}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    world.action_a.refresh_from_db()
    assert world.action_a.progress == 35


def test_published_records_offer_archive_not_delete(world, client):
    client.force_login(world.users["office"])
    response = client.get(reverse("admin:cooperation_forum_changelist"))
    actions = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert "archive_selected" in actions and "delete_selected" not in actions
    client.post(reverse("admin:cooperation_forum_changelist"),
                {"action": "archive_selected", "_selected_action": [world.forum_a.pk], "index": 0})
    world.forum_a.refresh_from_db()
    assert world.forum_a.archived_at is not None
    listing = client.get(reverse("admin:cooperation_forum_changelist")).content.decode()
    assert "Forum A" not in listing and "Forum A" in client.get(
        reverse("admin:cooperation_forum_changelist") + "?archived=yes").content.decode()
