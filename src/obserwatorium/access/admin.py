from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

from obserwatorium.access import rules
from obserwatorium.access.models import RoleAssignment
from obserwatorium.history.recording_admin import RecordingAdminMixin


class OfficeOnlyMixin:
    """Roles are given and taken by the office alone."""

    def has_module_permission(self, request):
        return rules.is_office(request.user)

    def has_view_permission(self, request, obj=None):
        return rules.is_office(request.user)

    def has_add_permission(self, request, obj=None):
        return rules.is_office(request.user)

    def has_change_permission(self, request, obj=None):
        return rules.is_office(request.user)

    def has_delete_permission(self, request, obj=None):
        return rules.is_office(request.user)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(OfficeOnlyMixin, RecordingAdminMixin, admin.ModelAdmin):
    list_display = ("user", "role", "domain", "unit", "forum", "granted_at")
    list_filter = ("role", "domain")
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name", "forum__name_pl")
    list_select_related = ("user", "domain", "unit", "forum")


class RoleAssignmentInline(OfficeOnlyMixin, admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("role", "domain", "unit", "forum")


# Django stores a permission's name in English when it creates it ("Can add action"); these say it in the active
# language from the permission's code and its model's translated name.
PERMISSION_ACTIONS = {"add": _("can add: %(model)s"), "change": _("can change: %(model)s"),
                      "delete": _("can delete: %(model)s"), "view": _("can view: %(model)s")}


def permission_label(permission: Permission) -> str:
    """Application | model | what the permission allows, in the active language."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None or action not in PERMISSION_ACTIONS:
        return str(permission)
    meta = model._meta
    return f"{meta.app_config.verbose_name} | {meta.verbose_name} | " \
           f"{PERMISSION_ACTIONS[action] % {'model': meta.verbose_name}}"


class TranslatedPermissionsMixin:
    """The permission lists of the user and group forms in the active language."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_label
        return field


User = get_user_model()
for model in (User, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class UserWithRolesAdmin(TranslatedPermissionsMixin, RecordingAdminMixin, UserAdmin):
    inlines = [*UserAdmin.inlines, RoleAssignmentInline]


@admin.register(Group)
class TranslatedGroupAdmin(TranslatedPermissionsMixin, GroupAdmin):
    pass
