"""Uploaded files between the checked preview and the confirmation, kept in the data folder's private part (never
under the media folder) under a random name."""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

MAX_AGE_SECONDS = 24 * 3600
_NAME = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    # Outside the media folder: no address reaches it, and only the owner may read it.
    Path(settings.PRIVATE_ROOT).mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = Path(settings.PRIVATE_ROOT) / "pending"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def keep_upload(upload: UploadedFile) -> tuple[str, bytes]:
    """Store an uploaded file until it is confirmed; return its key and content. Stale files are removed."""
    folder = _folder()
    for stale in folder.iterdir():
        if stale.stat().st_mtime < time.time() - MAX_AGE_SECONDS:
            stale.unlink(missing_ok=True)
    key = secrets.token_hex(16)
    content = b"".join(upload.chunks())
    with os.fdopen(os.open(folder / key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as stream:
        stream.write(content)
    return key, content


def read_kept(key: str) -> bytes | None:
    """The content of a kept upload, or None when it is gone."""
    path = _folder() / key
    return path.read_bytes() if _NAME.match(key) and path.is_file() else None


def forget(key: str) -> None:
    """Remove a kept upload."""
    if _NAME.match(key):
        (_folder() / key).unlink(missing_ok=True)
