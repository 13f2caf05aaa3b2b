from django.contrib import admin

from obserwatorium.territory.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "teryt", "level", "gmina_type", "membership", "parent", "valid_from", "valid_to")
    list_filter = ("level", "gmina_type", "membership")
    search_fields = ("name", "teryt", "bdl_unit_id")
    prepopulated_fields = {"slug": ("name",)}
