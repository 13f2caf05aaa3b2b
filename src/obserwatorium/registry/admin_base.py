"""The admin of every registry: role-scoped writes, archive instead of delete, change history, CSV/XLSX export."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from obserwatorium.access import rules
from obserwatorium.history.recording_admin import RecordingAdminMixin
from obserwatorium.history.selectors import change_rows
from obserwatorium.registry import export
from obserwatorium.registry.models import RegistryRecord
from obserwatorium.registry.services import archive_record, restore_record


class ArchivedFilter(admin.SimpleListFilter):
    title = _("archive")
    parameter_name = "archived"

    def lookups(self, request, model_admin):
        return [("no", _("current records")), ("yes", _("archived records")), ("all", _("all records"))]

    def queryset(self, request, queryset):
        if self.value() in (None, "no"):
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset

    def choices(self, changelist):
        # "current" is the default, so the list starts without archived records.
        for lookup, title in self.lookup_choices:
            selected = self.value() == lookup or (self.value() is None and lookup == "no")
            yield {"selected": selected, "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                   "display": title}


class RegistryAdmin(RecordingAdminMixin, admin.ModelAdmin):
    """Staff see every registry; each may change only what access.rules lets them; published records are
    archived, never deleted; every record's history is one click away."""

    actions = ["export_csv", "export_xlsx", "archive_selected", "restore_selected"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    object_history_template = "history/admin_object_history.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._obs_editing = obj  # read by formfield_for_foreignkey while the form class is built
        return super().get_form(request, obj, change=change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the choices the user may write into (access.rules), plus the record's own current one, so that
        # saving an unchanged field never fails; the write rule still refuses anything else.
        limit = rules.choice_limit(request.user, self.model, db_field.name)
        if limit is not None:
            current = getattr(getattr(request, "_obs_editing", None), db_field.attname, None)
            if current is not None:
                limit |= Q(pk=current)
            kwargs["queryset"] = db_field.remote_field.model._default_manager.filter(limit)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if issubclass(self.model, RegistryRecord):
            filters += ["published", ArchivedFilter]
        return filters

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + (["archived_at"] if issubclass(self.model, RegistryRecord) else [])

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        # Offered to all staff: archiving a record that is not theirs is refused with 403 like any other write.
        if not issubclass(self.model, RegistryRecord):
            actions.pop("archive_selected", None)
            actions.pop("restore_selected", None)
        return actions

    # Permissions: everything comes from access.rules, not from Django's per-model permissions.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: HttpRequest) -> bool:
        return rules.may_create_any(request.user, self.model)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is None:
            scope = rules.scope_of(request.user)
            return scope.office or (rules.RULES.get(self.model._meta.label_lower) is not None and scope.any)
        return rules.may_write(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if isinstance(obj, RegistryRecord) and obj.published:
            return False
        return rules.is_office(request.user) and (obj is None or rules.may_write(request.user, obj))

    def save_model(self, request, obj, form, change):
        rules.require_write(request.user, obj)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if not self.has_delete_permission(request, obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request), "title": _("Change history: %s") % obj, "object": obj,
            "opts": self.model._meta, "rows": change_rows(obj), **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)

    @admin.action(description=_("Export the selected records as CSV"))
    def export_csv(self, request, queryset):
        return export.csv_response(queryset, filename=self.model._meta.model_name)

    @admin.action(description=_("Export the selected records as XLSX"))
    def export_xlsx(self, request, queryset):
        return export.xlsx_response(queryset, filename=self.model._meta.model_name)

    @admin.action(description=_("Archive the selected records (hidden from the public, kept)"))
    def archive_selected(self, request, queryset):
        count = self._apply(request, queryset, archive_record)
        self.message_user(request, ngettext("%(count)d record archived.", "%(count)d records archived.", count)
                          % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Restore the selected archived records"))
    def restore_selected(self, request, queryset):
        count = self._apply(request, queryset, restore_record)
        self.message_user(request, ngettext("%(count)d record restored.", "%(count)d records restored.", count)
                          % {"count": count}, messages.SUCCESS)

    def _apply(self, request, queryset, service) -> int:
        records = list(queryset)
        if any(not rules.may_write(request.user, r) for r in records):
            raise PermissionDenied
        with transaction.atomic():
            for record in records:
                service(record=record, user=request.user, via="admin")
        return len(records)


class RegistryInline(admin.TabularInline):
    """An inline that may be written exactly when its parent record may."""

    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _parent_writable(self, request, obj) -> bool:
        return rules.may_write(request.user, obj) if obj is not None else rules.may_create_any(request.user,
                                                                                               self.parent_model)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request, obj=None) -> bool:
        return self._parent_writable(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._parent_writable(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._parent_writable(request, obj)

