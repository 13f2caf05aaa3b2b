import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from obserwatorium.history.models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """The whole change history, browsable and searchable; nothing in it can be edited or removed."""

    list_display = ("changed_at", "content_type", "object_repr", "action", "user", "via")
    list_filter = ("action", "via", "content_type")
    search_fields = ("object_repr", "object_id", "user__username")
    date_hierarchy = "changed_at"
    fields = ("changed_at", "content_type", "object_id", "object_repr", "action", "user", "via", "changed",
              "before_json", "after_json")
    readonly_fields = fields
    list_select_related = ("content_type", "user")

    @admin.display(description=_("changed fields"))
    def changed(self, obj: ChangeRecord) -> str:
        return ", ".join(obj.changed_fields)

    @admin.display(description=_("before"))
    def before_json(self, obj: ChangeRecord) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.before, ensure_ascii=False, indent=2))

    @admin.display(description=_("after"))
    def after_json(self, obj: ChangeRecord) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.after, ensure_ascii=False, indent=2))

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
