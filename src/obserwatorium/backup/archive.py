"""The backup archive: a zip of one JSON-lines member per table, the uploaded files, and a manifest.

    manifest.json                      format, version, engine, migrations applied, every member's checksum
    tables/<app>.<model>.jsonl         first line {"model", "table", "columns"}, then one JSON array per row
    files/<root>/<path>                every file under the upload folders (root: media, private)
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

FORMAT = "obserwatorium-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class DamagedArchive(Exception):
    """The archive is not one this code can restore, or a member does not match its checksum."""


class HashingWriter:
    """Writes JSON lines into a zip member, counting rows and hashing the bytes written."""

    def __init__(self, stream: IO[bytes]):
        self.stream, self.sha256, self.rows = stream, hashlib.sha256(), 0

    def line(self, value: Any) -> None:
        # Sorted keys: PostgreSQL (jsonb) and SQLite return the keys of a JSON value in different orders.
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8") + b"\n"
        self.sha256.update(data)
        self.stream.write(data)


def write_member(archive: zipfile.ZipFile, name: str, header: dict, rows: Iterator[list]) -> dict:
    """One table as a member; returns its manifest entry."""
    with archive.open(name, "w", force_zip64=True) as stream:
        writer = HashingWriter(stream)
        writer.line(header)
        for row in rows:
            writer.line(row)
            writer.rows += 1
    return {**header, "member": name, "rows": writer.rows, "sha256": writer.sha256.hexdigest()}


def write_file(archive: zipfile.ZipFile, member: str, path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as source, archive.open(member, "w", force_zip64=True) as target:
        while block := source.read(1 << 20):
            digest.update(block)
            target.write(block)
    return {"member": member, "size": path.stat().st_size, "sha256": digest.hexdigest()}


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise DamagedArchive(f"no readable {MANIFEST}: {error}") from None
    if manifest.get("format") != FORMAT:
        raise DamagedArchive("not an obserwatorium backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise DamagedArchive(f"backup format version {manifest.get('format_version')} is not "
                             f"{FORMAT_VERSION}, the version this code reads")
    return manifest


def verify(archive: zipfile.ZipFile, manifest: dict) -> None:
    """Check every member against the manifest's checksum before anything is restored."""
    for entry in [*manifest["tables"], *manifest["files"]]:
        digest = hashlib.sha256()
        try:
            with archive.open(entry["member"]) as stream:
                while block := stream.read(1 << 20):
                    digest.update(block)
        except (KeyError, zipfile.BadZipFile) as error:
            raise DamagedArchive(f"{entry['member']}: {error}") from None
        if digest.hexdigest() != entry["sha256"]:
            raise DamagedArchive(f"{entry['member']} does not match its checksum")


def read_member(archive: zipfile.ZipFile, entry: dict) -> tuple[dict, Iterator[list]]:
    """The header and the rows of one table member."""
    stream = archive.open(entry["member"])
    header = json.loads(stream.readline())

    def rows() -> Iterator[list]:
        with stream:
            for line in stream:
                yield json.loads(line)

    return header, rows()
