from django.contrib import admin

from obserwatorium.events.models import Event
from obserwatorium.registry.admin_base import RegistryAdmin


@admin.register(Event)
class EventAdmin(RegistryAdmin):
    list_display = ("title", "unit", "starts_at", "ends_at", "category", "venue", "published")
    list_filter = (("unit", admin.RelatedOnlyFieldListFilter), "category", "free_entry")
    search_fields = ("title", "description", "venue", "organiser")
    date_hierarchy = "starts_at"
    list_select_related = ("unit",)
