"""Private files: an upload is served only when its record is public or the user may see it, under a name that
cannot be guessed; pending import uploads are out of reach; the data folder and its secrets are owner-only."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from obserwatorium.cooperation.models import Agreement, Forum, Meeting, MeetingAttachment
from obserwatorium.ingest import pending

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 minutes"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def forum():
    return Forum.objects.create(slug="forum-files", name_pl="Forum plików")


def attachment(forum: Forum, *, published: bool, name: str = "protokol.pdf") -> MeetingAttachment:
    meeting = Meeting.objects.create(forum=forum, starts_at=datetime(2026, 3, 4, 10, tzinfo=ZoneInfo("Europe/Warsaw")),
                                     published=published)
    record = MeetingAttachment(meeting=meeting, title="Protokół")
    record.file.save(name, ContentFile(PDF), save=True)
    return record


def test_a_draft_meetings_attachment_is_not_served_to_the_public(client, media, forum):
    draft = attachment(forum, published=False)
    assert client.get(draft.file.url).status_code == 404


def test_a_published_meetings_attachment_is_served_with_safe_headers(client, media, forum):
    published = attachment(forum, published=True)
    response = client.get(published.file.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="protokol.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"]


def test_the_file_of_a_meeting_in_a_draft_forum_is_not_public(client, media, forum):
    record = attachment(forum, published=True)
    Forum.objects.filter(pk=forum.pk).update(published=False)
    assert client.get(record.file.url).status_code == 404


def test_staff_who_may_see_the_draft_get_its_file(client, media, forum, django_user_model):
    draft = attachment(forum, published=False)
    client.force_login(django_user_model.objects.create_superuser("files-admin", password="x" * 16))
    assert client.get(draft.file.url).status_code == 200
    client.force_login(django_user_model.objects.create_user("files-reader", password="x" * 16))  # not staff
    assert client.get(draft.file.url).status_code == 404


def test_draft_and_archived_agreements_keep_their_documents(client, media):
    draft = Agreement(title="Porozumienie (projekt)", published=False)
    draft.document.save("porozumienie.pdf", ContentFile(PDF), save=True)
    archived = Agreement(title="Porozumienie (archiwum)", archived_at=timezone.now())
    archived.document.save("porozumienie.pdf", ContentFile(PDF), save=True)
    public = Agreement(title="Porozumienie")
    public.document.save("porozumienie.pdf", ContentFile(PDF), save=True)
    assert client.get(draft.document.url).status_code == 404
    assert client.get(archived.document.url).status_code == 404
    assert client.get(public.document.url).status_code == 200


def test_upload_names_cannot_be_guessed(client, media, forum):
    first, second = attachment(forum, published=False), attachment(forum, published=False)
    pattern = r"meetings/\d{4}/[A-Za-z0-9_-]{22}/protokol\.pdf"
    assert re.fullmatch(pattern, first.file.name) and re.fullmatch(pattern, second.file.name)
    assert first.file.name != second.file.name
    # The name the record would have had before is not there to be tried.
    assert client.get(f"/media/meetings/{first.file.name.split('/')[1]}/protokol.pdf").status_code == 404


def test_uploads_are_owner_only_on_disk(media, forum):
    record = attachment(forum, published=True)
    path = Path(record.file.path)
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_a_file_no_record_names_is_never_served(client, media):
    (media / "agreements").mkdir(parents=True)
    (media / "agreements" / "leftover.pdf").write_bytes(PDF)
    assert client.get("/media/agreements/leftover.pdf").status_code == 404


def test_pending_import_uploads_are_outside_the_media_folder(client, media, settings):
    key, _ = pending.keep_upload(SimpleUploadedFile("dane.csv", b"teryt;rok;wartosc\n"))
    kept = Path(settings.PRIVATE_ROOT) / "pending" / key
    assert kept.is_file()
    assert not media.exists() or not any(media.rglob(key))
    assert mode(kept) == 0o600 and mode(kept.parent) == 0o700
    assert client.get(f"/media/imports/pending/{key}").status_code == 404
    assert client.get(f"/media/../private/pending/{key}").status_code == 404


def test_the_data_folder_database_and_key_are_owner_only(tmp_path):
    data = tmp_path / "fresh" / "data"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("OBS_")}, "OBS_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "-m", "obserwatorium.cli", "migrate", "--verbosity", "0"], env=env, check=True,
                   timeout=300)
    assert mode(data) == 0o700
    assert mode(data / "obserwatorium.sqlite3") == 0o600
    assert mode(data / "secret_key") == 0o600
    for journal in data.glob("obserwatorium.sqlite3-*"):
        assert mode(journal) == 0o600, journal.name


def test_an_existing_database_readable_by_all_is_tightened(tmp_path):
    data = tmp_path / "old"
    data.mkdir()
    (data / "obserwatorium.sqlite3").touch(mode=0o644)
    (data / "obserwatorium.sqlite3").chmod(0o644)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("OBS_")}, "OBS_DATA_DIR": str(data)}
    subprocess.run([sys.executable, "-m", "obserwatorium.cli", "check"], env=env, check=True, timeout=120,
                   capture_output=True)
    assert mode(data / "obserwatorium.sqlite3") == 0o600


def test_every_file_field_of_the_project_is_one_the_media_view_knows():
    """A FileField missing from `web.files.OWNERS` is never served (a published document's file answered 404)."""
    from django.apps import apps
    from django.db import models

    from obserwatorium.web.files import OWNERS

    fields = {f"{model._meta.label}.{field.name}" for model in apps.get_models()
              if model._meta.app_label not in {"auth", "admin", "contenttypes", "sessions"}
              for field in model._meta.concrete_fields if isinstance(field, models.FileField)}
    assert fields <= {f"{owner.model}.{owner.field}" for owner in OWNERS}
