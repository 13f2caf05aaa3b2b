"""Admin views whose writes go into the change history with the signed-in user, one transaction each."""

from __future__ import annotations

from django.db import transaction

from obserwatorium.history.tracking import recording


class RecordingAdminMixin:
    """Writes made through these admin views are recorded with the signed-in user."""

    # One transaction around the write and its history: both are kept, or neither.
    def changeform_view(self, request, *args, **kwargs):
        with transaction.atomic(), recording(user=request.user, via="admin"):
            return super().changeform_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):
        with transaction.atomic(), recording(user=request.user, via="admin"):
            return super().changelist_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with transaction.atomic(), recording(user=request.user, via="admin"):
            return super().delete_view(request, *args, **kwargs)
