from django.contrib import admin

from obserwatorium.events.models import Event, EventFeed
from obserwatorium.registry.admin_base import RegistryAdmin


@admin.register(Event)
class EventAdmin(RegistryAdmin):
    list_display = ("title", "unit", "starts_at", "ends_at", "category", "venue", "published")
    list_filter = (("unit", admin.RelatedOnlyFieldListFilter), "category", "free_entry")
    search_fields = ("title", "description", "venue", "organiser")
    date_hierarchy = "starts_at"
    list_select_related = ("unit",)


@admin.register(EventFeed)
class EventFeedAdmin(RegistryAdmin):
    list_display = ("name", "unit", "url", "trusted", "active", "last_run_at", "last_status")
    list_filter = (("unit", admin.RelatedOnlyFieldListFilter), "trusted", "active")
    search_fields = ("name", "url")
    readonly_fields = ("added_by", "last_run_at", "last_status")
    list_select_related = ("unit",)
