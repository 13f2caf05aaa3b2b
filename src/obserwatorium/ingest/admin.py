from django.contrib import admin

from obserwatorium.ingest.models import BdlUnit, SyncItem, SyncRun


@admin.register(BdlUnit)
class BdlUnitAdmin(admin.ModelAdmin):
    """Where an office analyst confirms a BDL id the sync reported as unknown (confirmed by: a person)."""

    list_display = ("bdl_unit_id", "unit", "name", "confirmed_by", "first_seen_at", "last_seen_at")
    list_filter = ("confirmed_by",)
    search_fields = ("bdl_unit_id", "name", "unit__name", "unit__teryt")
    raw_id_fields = ("unit",)


class SyncItemInline(admin.TabularInline):
    model = SyncItem
    fields = ("indicator", "status", "inserted", "updated", "unchanged", "batch", "message", "finished_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ("id", "source", "status", "started_at", "finished_at", "message")
    list_filter = ("source", "status")
    readonly_fields = ("source", "status", "parameters", "fingerprint", "started_at", "finished_at", "message")
    inlines = [SyncItemInline]

    def has_add_permission(self, request):
        return False
