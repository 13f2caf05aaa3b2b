"""Writes of the documents registry from the site: a document's description and, with it or alone, a new version
of its file; each through the registry's one write path (role-checked, validated, recorded), in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from obserwatorium.cooperation.documents import next_version_number
from obserwatorium.cooperation.models import Document, DocumentVersion
from obserwatorium.registry.services import save_record

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


def add_document_version(*, document: Document, file: UploadedFile, note: str, user: Actor,
                         via: str = "page") -> DocumentVersion:
    """Upload the document's next version; every older version stays as it was."""
    with transaction.atomic():
        # The document's row is locked (PostgreSQL) so that two uploads never take the same number; on SQLite the
        # write lock serialises them and the unique constraint is the last guard.
        Document.objects.select_for_update().filter(pk=document.pk).first()
        version = DocumentVersion(document=document, number=next_version_number(document.pk),
                                  uploaded_by=user if user.is_authenticated else None, uploaded_at=timezone.now())
        return save_record(record=version, values={"file": file, "note": note.strip()}, user=user, via=via)


def save_document(*, document: Document, values: Mapping[str, Any], file: UploadedFile | None = None,
                  note: str = "", user: Actor, via: str = "page") -> Document:
    """Create or change a document and, when a file is given, add it as the document's next version."""
    with transaction.atomic():
        saved = save_record(record=document, values=values, user=user, via=via)
        if file is not None:
            add_document_version(document=saved, file=file, note=note, user=user, via=via)
    return saved
