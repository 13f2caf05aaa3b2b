from django.contrib import admin

from obserwatorium.indicators.models import Domain, ImportBatch, Indicator, Observation, Revision


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("code", "name_pl", "name_en", "order", "strategic")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name_pl", "domain", "unit_pl", "polarity", "aggregation", "bdl_variable_id", "headline")
    list_filter = ("domain", "polarity", "aggregation", "headline")
    search_fields = ("code", "name_pl", "name_en", "bdl_variable_id")
    raw_id_fields = ("numerator", "denominator")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "file_name", "source", "user", "created_at", "rows", "inserted", "updated")
    list_filter = ("kind", "status")
    search_fields = ("file_name", "source", "checksum")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("indicator", "unit", "period", "value", "flag", "batch")
    list_filter = ("flag", "indicator__domain")
    search_fields = ("indicator__code", "unit__name", "unit__teryt", "period")
    raw_id_fields = ("indicator", "unit", "batch")
    list_select_related = ("indicator", "unit", "batch")


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ("indicator", "unit", "period", "old_value", "new_value", "batch", "user", "changed_at")
    search_fields = ("indicator__code", "unit__name", "period")
    readonly_fields = [f.name for f in Revision._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
