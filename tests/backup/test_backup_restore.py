"""`obserwatorium backup` / `restore`: a round trip reproduces every table, link, timestamp and uploaded file."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from obserwatorium.backup import tables
from obserwatorium.cooperation.models import Attendance, Forum, Meeting, MeetingAttachment
from obserwatorium.territory.models import Unit
from tests.scratch_databases import run_module, scratch_environment  # noqa: F401

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% minutes of the meeting\n" + bytes(range(256)) * 8


@pytest.fixture
def source(settings, tmp_path):
    """The test database (preset and demo data) plus users, groups, permissions, a session and an upload."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    group = Group.objects.create(name="Analitycy")
    group.permissions.set(Permission.objects.filter(codename__startswith="change_")[:5])
    user = User.objects.create_user("analityk", email="a@example.org", password="correct horse battery")
    user.groups.add(group)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_")[:3])
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session.create()
    forum = Forum.objects.order_by("pk").first()
    meeting = Meeting.objects.create(forum=forum, starts_at=datetime(2024, 5, 6, 10, 30, 15, 123456, tzinfo=UTC),
                                     place="Kraków, ul. Basztowa 22")
    forum.member_units.set(Unit.objects.order_by("pk")[:2])
    Attendance.objects.create(meeting=meeting, unit=Unit.objects.order_by("pk").first(), status="present")
    attachment = MeetingAttachment(meeting=meeting, title="Protokół")
    attachment.file.save("protokol.pdf", ContentFile(PDF))
    (Path(settings.MEDIA_ROOT) / "imports" / "pending").mkdir(parents=True)
    (Path(settings.MEDIA_ROOT) / "imports" / "pending" / "wartości.csv").write_bytes("a;b\n1,5;2\n".encode("cp1250"))
    return Path(settings.MEDIA_ROOT)


def _manifest(archive: Path) -> dict:
    return json.loads(zipfile.ZipFile(archive).read("manifest.json"))


def _table_rows(archive: Path, model_label: str) -> list[list]:
    lines = zipfile.ZipFile(archive).read(f"tables/{model_label}.jsonl").decode().splitlines()
    return [json.loads(line) for line in lines[1:]]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("target_engine", ["sqlite", "postgresql"])
def test_round_trip_reproduces_every_table_link_timestamp_and_file(source, tmp_path, target_engine,
                                                                    scratch_environment):  # noqa: F811
    env = scratch_environment(target_engine)
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), stdout=open(tmp_path / "out.txt", "w"))
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    assert manifest["engine"] == connection.vendor and manifest["format_version"] == 1

    restored = run_module("obserwatorium.cli", "restore", str(archive), env=env)
    assert restored.returncode == 0, restored.stderr[-3000:]
    # The restored installation backed up again: each table reads back row for row, value for value (the
    # rows are read through each engine's own column types, in primary-key order, and hashed).
    again = tmp_path / "again.zip"
    assert run_module("obserwatorium.cli", "backup", str(again), env=env).returncode == 0
    first, second = manifest, _manifest(again)
    assert second["engine"] == target_engine
    assert second["migrations"] == first["migrations"]
    models = tables.stored_models()
    labels = {tables.label(m) for m in models}
    # every app's tables, auth and the many-to-many link tables among them
    assert {"auth.user", "auth.group", "auth.user_groups", "auth.group_permissions", "auth.user_user_permissions",
            "sessions.session", "cooperation.forum_member_units", "cooperation.attendance", "indicators.observation",
            "indicators.revision"} <= labels
    assert [t["model"] for t in first["tables"]] == sorted(labels)
    assert {t["model"]: (t["rows"], t["sha256"]) for t in second["tables"]} == \
        {t["model"]: (t["rows"], t["sha256"]) for t in first["tables"]}
    for model in models:
        assert next(t["rows"] for t in first["tables"] if t["model"] == tables.label(model)) == \
            model._base_manager.count(), tables.label(model)
    assert {f["member"]: f["sha256"] for f in second["files"]} == {f["member"]: f["sha256"] for f in first["files"]}
    # The values themselves: a timestamp with microseconds, a password hash, links of a user and a meeting.
    meeting = Meeting.objects.get(place="Kraków, ul. Basztowa 22")
    names = [field.attname for field in tables.columns(Meeting)]
    restored_meeting = next(r for r in _table_rows(again, "cooperation.meeting") if r[0] == meeting.pk)
    assert datetime.fromisoformat(restored_meeting[names.index("starts_at")]) == \
        datetime(2024, 5, 6, 10, 30, 15, 123456, tzinfo=UTC)
    user = User.objects.get(username="analityk")
    assert [user.pk, user.password] in [[r[0], r[1]] for r in _table_rows(again, "auth.user")]
    assert sorted(r[1:] for r in _table_rows(again, "auth.user_groups")) == \
        sorted([[u, g] for u, g in User.groups.through.objects.values_list("user_id", "group_id")])
    assert sorted(r[2] for r in _table_rows(again, "cooperation.forum_member_units") if r[1] == meeting.forum_id) \
        == sorted(meeting.forum.member_units.values_list("pk", flat=True))
    restored_files = _files(Path(env["OBS_DATA_DIR"]) / "media")
    assert restored_files == _files(source)
    assert restored_files["imports/pending/wartości.csv"] == "a;b\n1,5;2\n".encode("cp1250")
    assert any(path.endswith("protokol.pdf") and content == PDF for path, content in restored_files.items())

    # A target that now holds data is refused without --force, and nothing changes.
    refused = run_module("obserwatorium.cli", "restore", str(archive), env=env)
    assert refused.returncode != 0 and "not empty" in refused.stderr and "--force" in refused.stderr
    if target_engine == "sqlite":
        forced = run_module("obserwatorium.cli", "restore", "--force", str(archive), env=env)
        assert forced.returncode == 0, forced.stderr[-3000:]
        assert "restored" in forced.stdout


def _rewritten(archive: Path, target: Path, change) -> Path:
    """A copy of the archive with one member changed by `change(name, data) -> data`."""
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(target, "w") as copy:
        for item in original.infolist():
            copy.writestr(item, change(item.filename, original.read(item.filename)))
    return target


def test_restore_refuses_other_migrations_and_damaged_members(source, tmp_path, scratch_environment):  # noqa: F811
    env = scratch_environment("sqlite")
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive), "--without-sessions", stdout=open(tmp_path / "out.txt", "w"))
    assert "tables/sessions.session.jsonl" not in zipfile.ZipFile(archive).namelist()

    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"].append(["indicators", "9999_from_the_future"])
        return json.dumps(manifest).encode()

    refused = run_module("obserwatorium.cli", "restore", str(_rewritten(archive, tmp_path / "newer.zip", newer)),
                         env=env)
    assert refused.returncode != 0 and "indicators.9999_from_the_future" in refused.stderr

    def older(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"] = [m for m in manifest["migrations"] if m != ["indicators", "0003_domain_colour_format"]]
        return json.dumps(manifest).encode()

    refused = run_module("obserwatorium.cli", "restore", str(_rewritten(archive, tmp_path / "older.zip", older)),
                         env=env)
    assert refused.returncode != 0 and "older version" in refused.stderr

    def damaged(name: str, data: bytes) -> bytes:
        return data.replace(b"Analitycy", b"Analityce") if name == "tables/auth.group.jsonl" else data

    refused = run_module("obserwatorium.cli", "restore", str(_rewritten(archive, tmp_path / "bad.zip", damaged)),
                         env=env)
    assert refused.returncode != 0 and "auth.group.jsonl does not match its checksum" in refused.stderr
    # The refused restores created nothing: not even the schema.
    database = Path(env["OBS_DATA_DIR"]) / "obserwatorium.sqlite3"
    if database.exists():
        with sqlite3.connect(database) as check:
            assert check.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0


def test_decimal_and_json_values_keep_their_type():
    from obserwatorium.backup.tables import _DECODERS, _ENCODERS

    assert _DECODERS["DecimalField"](_ENCODERS["DecimalField"](Decimal("0.1000"))) == Decimal("0.1000")
    moment = datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
    assert _DECODERS["DateTimeField"](_ENCODERS["DateTimeField"](moment)) == moment
