from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from obserwatorium.access import rules
from obserwatorium.access.models import RoleAssignment
from obserwatorium.history.registry_admin import RecordingAdminMixin


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


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserWithRolesAdmin(RecordingAdminMixin, UserAdmin):
    inlines = [*UserAdmin.inlines, RoleAssignmentInline]
