"""Uploaded documents (meeting attachments, agreements) served from the media folder."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

# Shown in the browser; anything else (HTML, SVG, scripts…) is only ever downloaded.
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg", "text/plain"}


@require_safe
def media_file(request: HttpRequest, path: str) -> FileResponse:
    """One uploaded file, confined to MEDIA_ROOT and sandboxed so it can never run as part of the site."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise Http404(path)
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = FileResponse(target.open("rb"), as_attachment=content_type not in INLINE_TYPES,
                            content_type=content_type if content_type in INLINE_TYPES else "application/octet-stream")
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
