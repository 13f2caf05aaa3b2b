"""The data requests in the admin: read-only (they are written on the site's pages, through the services)."""

from __future__ import annotations

from django.contrib import admin

from obserwatorium.collection.models import DataRequest, Submission


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    list_display = ["title", "deadline", "status", "created_at"]
    list_filter = ["status"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["request", "unit", "status", "submitted_at"]
    list_filter = ["status"]
