"""Backup and restore of the whole observatory: every table of every app and every uploaded file."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from obserwatorium.backup import archive as zipped
from obserwatorium.backup import tables

# Upload folders, by the setting that names each; a setting this installation lacks is skipped.
FILE_ROOTS: tuple[tuple[str, str], ...] = (("media", "MEDIA_ROOT"), ("private", "PRIVATE_MEDIA_ROOT"))


class RestoreRefused(Exception):
    """The restore was not started: nothing in the target was changed."""


@dataclass(frozen=True)
class Summary:
    tables: int
    rows: int
    files: int


def file_roots() -> dict[str, Path]:
    roots = {}
    for name, setting in FILE_ROOTS:
        value = getattr(settings, setting, None)
        if value:
            roots[name] = Path(value)
    return roots


def _files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(path for path in root.rglob("*") if path.is_file())


@contextmanager
def _snapshot() -> Iterator[None]:
    """Read every table from one consistent snapshot without taking SQLite's write lock."""
    if connection.in_atomic_block:
        yield
        return
    begin = "BEGIN DEFERRED" if connection.vendor == "sqlite" else \
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    with connection.cursor() as cursor:
        cursor.execute(begin)
        try:
            yield
        finally:
            cursor.execute("COMMIT")


def _package_version() -> str:
    try:
        return version("obserwatorium")
    except PackageNotFoundError:
        return "unknown"


def code_migrations() -> set[tuple[str, str]]:
    """Every migration the code holds (what a fully migrated database has applied)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {key for key in loader.graph.nodes if key[0] in _app_labels()}


def _app_labels() -> set[str]:
    return {config.label for config in apps.get_app_configs()}


def create_backup(*, path: Path, sessions: bool = True) -> Summary:
    """Write every table and every uploaded file into a new zip archive at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    entries, files = [], []
    with zipfile.ZipFile(path, "x", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        with _snapshot():
            applied = sorted(MigrationRecorder(connection).applied_migrations())
            for model in tables.stored_models(sessions=sessions):
                header = {"model": tables.label(model), "table": model._meta.db_table,
                          "columns": [field.attname for field in tables.columns(model)]}
                entries.append(zipped.write_member(archive, f"tables/{tables.label(model)}.jsonl", header,
                                                   tables.read_rows(model)))
        for name, root in file_roots().items():
            for file_path in _files(root):
                relative = file_path.relative_to(root).as_posix()
                files.append({"root": name, "path": relative,
                              **zipped.write_file(archive, f"files/{name}/{relative}", file_path)})
        manifest = {
            "format": zipped.FORMAT, "format_version": zipped.FORMAT_VERSION,
            "created_at": timezone.now().isoformat(), "engine": connection.vendor,
            "django": django.get_version(), "obserwatorium": _package_version(),
            "migrations": [list(key) for key in applied], "sessions": sessions,
            "tables": entries, "files": files,
        }
        archive.writestr(zipped.MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
    return Summary(tables=len(entries), rows=sum(e["rows"] for e in entries), files=len(files))


def _check_migrations(manifest: dict) -> None:
    archived = {tuple(key) for key in manifest["migrations"] if key[0] in _app_labels()}
    known = code_migrations()
    newer, older = sorted(archived - known), sorted(known - archived)
    if newer:
        raise RestoreRefused("the backup was made by a newer version: migrations unknown to this code: "
                             + ", ".join(f"{app}.{name}" for app, name in newer))
    if older:
        raise RestoreRefused("the backup was made by an older version (restore it with that version, then "
                             "upgrade): migrations it lacks: " + ", ".join(f"{a}.{n}" for a, n in older))


def _check_target_empty(roots: dict[str, Path]) -> None:
    busy = tables.non_empty_tables() + [f"{name} files ({root})" for name, root in roots.items()
                                        if next(_files(root), None) is not None]
    if busy:
        raise RestoreRefused("the target is not empty (" + ", ".join(busy[:8])
                             + (", …" if len(busy) > 8 else "") + "); use --force to replace everything in it")


def restore_backup(*, path: Path, force: bool = False) -> Summary:
    """Replace the database and the upload folders with the archive's content; all or nothing for the tables.

    Refused, with nothing changed, when the archive is damaged, its migrations differ from the code's, or the
    target holds data and `force` is not given.
    """
    roots = file_roots()
    with zipfile.ZipFile(path) as archive:
        manifest = zipped.read_manifest(archive)
        zipped.verify(archive, manifest)
        _check_migrations(manifest)
        placed = _file_targets(manifest, roots)
        if not force:
            _check_target_empty(roots)
        call_command("migrate", verbosity=0)
        by_label = {tables.label(model): model for model in tables.stored_models()}
        unknown = [entry["model"] for entry in manifest["tables"] if entry["model"] not in by_label]
        if unknown:
            raise RestoreRefused(f"tables unknown to this code: {', '.join(unknown)}")
        restored, rows = [], 0
        with transaction.atomic():
            tables.delete_all(list(by_label.values()))
            for entry in manifest["tables"]:
                model = by_label[entry["model"]]
                header, member_rows = zipped.read_member(archive, entry)
                written = tables.write_rows(model, header["columns"], member_rows)
                if written != entry["rows"]:
                    raise zipped.DamagedArchive(f"{entry['member']}: {written} rows, the manifest says "
                                                f"{entry['rows']}")
                restored.append(model)
                rows += written
            tables.reset_sequences(restored)
        _restore_files(archive, placed, roots)
    return Summary(tables=len(restored), rows=rows, files=len(manifest["files"]))


def _file_targets(manifest: dict, roots: dict[str, Path]) -> list[tuple[str, Path]]:
    """Where each archived file goes, checked before anything is written."""
    placed = []
    for entry in manifest["files"]:
        root = roots.get(entry["root"])
        if root is None:
            raise RestoreRefused(f"no folder for {entry['root']} files in this installation")
        target = (root / entry["path"]).resolve()
        if not target.is_relative_to(root.resolve()):
            raise zipped.DamagedArchive(f"{entry['member']} points outside its folder")
        placed.append((entry["member"], target))
    return placed


def _restore_files(archive: zipfile.ZipFile, placed: list[tuple[str, Path]], roots: dict[str, Path]) -> None:
    """Replace the upload folders' content with the archived files."""
    for root in roots.values():
        if root.is_dir():
            shutil.rmtree(root)
        root.mkdir(parents=True, exist_ok=True)
    for member, target in placed:
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as source, target.open("wb") as written:
            shutil.copyfileobj(source, written, 1 << 20)
