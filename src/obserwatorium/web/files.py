"""Uploaded files (meeting attachments, agreement documents, event images): stored under unpredictable names and served
only when their record is public or the user may see it, sandboxed so a file can never run as part of the site."""

from __future__ import annotations

import mimetypes
import os
import posixpath
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import models
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.views.decorators.http import require_safe

from obserwatorium.access.rules import may_write

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

# Shown in the browser; anything else (HTML, SVG, scripts…) is only ever downloaded.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "image/webp", "text/plain"}


class UploadStorage(FileSystemStorage):
    """The media folder, each upload in a folder of its own with a random 128-bit name.

    A file's address cannot be guessed from its record (meetings/2026/protokol.pdf was), so a draft's file is not
    found by trying names; its original name is kept for the download.
    """

    def generate_filename(self, filename: str | os.PathLike[str]) -> str:
        directory, name = posixpath.split(os.fspath(filename).replace("\\", "/"))
        return super().generate_filename(posixpath.join(directory, secrets.token_urlsafe(16), name))


@dataclass(frozen=True)
class FileOwner:
    """A model field holding uploads, which of its records the public may read, and (for a record that is part of
    another, such as a document's version) the record whose rights decide who else may."""

    model: str
    field: str
    public: Callable[[models.QuerySet], models.QuerySet]
    guarded_by: Callable[[models.Model], models.Model] = lambda record: record


# Every FileField of the project; a file no record names (e.g. a leftover) is never served.
OWNERS: tuple[FileOwner, ...] = (
    FileOwner("cooperation.MeetingAttachment", "file", lambda records: records.filter(
        internal=False, meeting__published=True, meeting__archived_at__isnull=True,
        meeting__forum__published=True, meeting__forum__archived_at__isnull=True)),
    FileOwner("cooperation.Agreement", "document", lambda records: records.filter(
        published=True, archived_at__isnull=True)),
    # Every version of a document, the older ones too, is out while the document is (published, not archived).
    FileOwner("cooperation.DocumentVersion", "file", lambda records: records.filter(
        document__published=True, document__archived_at__isnull=True), guarded_by=lambda version: version.document),  # type: ignore[attr-defined]
    # News images and attachments: out once their article is (published, due, not archived).
    FileOwner("news.Article", "image", lambda records: records.filter(
        status="published", archived_at__isnull=True, publish_at__lte=timezone.now())),
    FileOwner("news.ArticleAttachment", "file", lambda records: records.filter(
        article__status="published", article__archived_at__isnull=True, article__publish_at__lte=timezone.now())),
    FileOwner("events.Event", "image", lambda records: records.filter(published=True, archived_at__isnull=True)),
)


def may_see(user: Actor, record: models.Model) -> bool:
    """Whether the user may read a record the public may not: whoever may write it, or staff who may view it."""
    if not (user.is_authenticated and user.is_active):
        return False
    meta = record._meta
    return may_write(user, record) or (user.is_staff and user.has_perm(f"{meta.app_label}.view_{meta.model_name}"))


def visible_file(user: Actor, name: str) -> bool:
    """Whether the stored file `name` belongs to a record this user (anonymous too) may read."""
    for owner in OWNERS:
        records = apps.get_model(owner.model)._default_manager.filter(**{owner.field: name})
        if owner.public(records).exists():
            return True
        if any(may_see(user, owner.guarded_by(record)) for record in records):
            return True
    return False


@require_safe
def media_file(request: HttpRequest, path: str) -> FileResponse:
    """One uploaded file, if its record is public or the user may see it; 404 otherwise (existence not told)."""
    if not path or not visible_file(request.user, path) or not default_storage.exists(path):
        raise Http404(path)
    name = posixpath.basename(path)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = content_type in INLINE_TYPES
    response = FileResponse(default_storage.open(path, "rb"), as_attachment=not inline, filename=name,
                            content_type=content_type if inline else "application/octet-stream")
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
