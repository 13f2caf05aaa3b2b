"""The image of an event: a PNG or JPEG (told by its first bytes, not its name), at most MAX_BYTES."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
SIGNATURES = {b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}


def validate_event_image(upload) -> None:
    """Refuse what is not a PNG or JPEG image or is too large (SVG and HTML never reach the media folder)."""
    if getattr(upload, "_committed", False):
        return  # a stored file, checked when it was uploaded
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The image is larger than 5 MB."), code="image")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = next((ext for signature, ext in SIGNATURES.items() if head.startswith(signature)), None)
    name = upload.name.lower()
    if kind is None or not name.endswith((".png", ".jpg", ".jpeg")):
        raise ValidationError(_("The image must be a PNG or JPEG file."), code="image")
