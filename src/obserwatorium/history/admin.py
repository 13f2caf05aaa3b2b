import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from obserwatorium.history.models import ChangeRecord
from obserwatorium.history.selectors import field_labels


def _snapshot(values: dict | None) -> str:
    """The record as it was, as JSON (the stored snapshot, field names and all); a dash when there was none."""
    if values is None:
        return "—"
    return format_html("<pre><code>{}</code></pre>", json.dumps(values, ensure_ascii=False, indent=2))


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
        model = obj.content_type.model_class()
        labels = field_labels(model) if model is not None else {}
        return ", ".join(labels.get(name, name) for name in obj.changed_fields)

    @admin.display(description=_("before"))
    def before_json(self, obj: ChangeRecord) -> str:
        return _snapshot(obj.before)

    @admin.display(description=_("after"))
    def after_json(self, obj: ChangeRecord) -> str:
        return _snapshot(obj.after)

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
