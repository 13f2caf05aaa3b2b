"""File imports record their source, address, retrieval day and licence; bad values are refused by name."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from obserwatorium.indicators.models import ImportBatch
from tests.ingest.helpers import stored_state
from tests.ingest.test_views import GOOD, upload

pytestmark = pytest.mark.django_db


def _run(path, *args) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("import", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_the_command_keeps_source_url_retrieval_day_and_licence(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(GOOD, encoding="utf-8")
    _run(path, "--source", "GUS BDL, LUDN_2137", "--url", "https://bdl.stat.gov.pl/bdl/dane/podgrup/tablica",
         "--retrieved", "2025-06-16", "--licence", "CC-BY-4.0")
    batch = ImportBatch.objects.get(file_name="values.csv")
    assert (batch.source, batch.source_url, batch.licence) == (
        "GUS BDL, LUDN_2137", "https://bdl.stat.gov.pl/bdl/dane/podgrup/tablica", "CC-BY-4.0")
    assert timezone.localtime(batch.retrieved_at).date().isoformat() == "2025-06-16"


@pytest.mark.parametrize(("option", "value", "column"), [
    ("--url", "bdl.stat.gov.pl no scheme", "url"), ("--url", "javascript:alert(1)", "url"),
    ("--retrieved", "16.06.2025", "retrieved"),
    ("--retrieved", (timezone.localdate() + timedelta(days=2)).isoformat(), "retrieved"),
])
def test_the_command_refuses_a_bad_address_or_day_and_writes_nothing(tmp_path, option, value, column):
    path = tmp_path / "values.csv"
    path.write_text(GOOD, encoding="utf-8")
    before = stored_state()
    out = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import", str(path), option, value, stdout=out, stderr=io.StringIO())
    assert stored_state() == before
    assert f"file, {column}:" in out.getvalue()


def test_the_upload_form_takes_and_checks_the_same_fields(client, staff_user):
    client.force_login(staff_user)
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    with translation.override("en"):
        refused = upload(client, GOOD, url="not an address", retrieved=future)
    assert refused.status_code == 200 and {"url", "retrieved"} <= set(refused.context["form"].errors)
    response = upload(client, GOOD, source="GUS BDL", url="https://bdl.stat.gov.pl/", retrieved="2025-06-16",
                      licence="CC-BY-4.0")
    assert response.context["outcome"].ok
    client.post(reverse("ingest:confirm"), {"token": response.context["token"]})
    batch = ImportBatch.objects.get(file_name="dane.csv")
    assert (batch.source_url, batch.licence) == ("https://bdl.stat.gov.pl/", "CC-BY-4.0")
    assert timezone.localtime(batch.retrieved_at).date().isoformat() == "2025-06-16"
    page = client.get(reverse("ingest:batch", args=[batch.pk])).content.decode()
    assert "https://bdl.stat.gov.pl/" in page and "CC-BY-4.0" in page
