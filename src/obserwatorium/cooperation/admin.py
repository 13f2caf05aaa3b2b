from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from obserwatorium.cooperation.models import (
    AgendaItem,
    AggregateFigure,
    Agreement,
    AssociationEvent,
    Attendance,
    Decision,
    Document,
    DocumentVersion,
    Forum,
    Meeting,
    MeetingAttachment,
    Partner,
    Project,
    ProjectResult,
    ResultValue,
    Source,
)
from obserwatorium.cooperation.services import feed_result_to_indicator
from obserwatorium.registry.admin_base import RegistryAdmin, RegistryInline


@admin.register(Source)
class SourceAdmin(RegistryAdmin):
    list_display = ("title", "publisher", "published_on", "key")
    search_fields = ("title", "publisher", "key", "url")
    date_hierarchy = "published_on"


@admin.register(Forum)
class ForumAdmin(RegistryAdmin):
    list_display = ("name_pl", "kind", "domain", "coordinator", "active_from", "active_to", "published")
    list_filter = ("kind", "domain")
    search_fields = ("name_pl", "name_en", "coordinator", "slug")
    prepopulated_fields = {"slug": ("name_pl",)}
    filter_horizontal = ("member_units", "member_institutions")
    list_select_related = ("domain",)


class MeetingAttachmentInline(RegistryInline):
    model = MeetingAttachment
    fields = ("title", "file", "url", "internal")


class AgendaItemInline(RegistryInline):
    model = AgendaItem
    fields = ("position", "title")


class DecisionInline(RegistryInline):
    model = Decision
    fields = ("number", "text", "effect", "action", "action_plan", "follow_up", "due_on")
    readonly_fields = ("number",)
    raw_id_fields = ("action", "action_plan")


class AttendanceInline(RegistryInline):
    model = Attendance
    fields = ("unit", "partner", "status")


@admin.register(Meeting)
class MeetingAdmin(RegistryAdmin):
    list_display = ("forum", "starts_at", "place", "online", "participants", "published")
    list_filter = ("forum", "forum__domain", "online")
    search_fields = ("forum__name_pl", "place", "agenda_items__title", "minutes", "decisions__text")
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline, DecisionInline, AttendanceInline, MeetingAttachmentInline]
    list_select_related = ("forum",)


@admin.register(Partner)
class PartnerAdmin(RegistryAdmin):
    list_display = ("name", "kind", "unit", "partner_since", "contact_name", "published")
    list_filter = ("kind", "source")
    search_fields = ("name", "contact_name", "contact_email")


@admin.register(Agreement)
class AgreementAdmin(RegistryAdmin):
    list_display = ("__str__", "kind", "signed_on", "domain", "published")
    list_filter = ("kind", "domain")
    search_fields = ("title", "scope", "parties__name")
    filter_horizontal = ("parties",)
    date_hierarchy = "signed_on"


class ProjectResultInline(RegistryInline):
    model = ProjectResult
    fields = ("name_pl", "name_en", "unit_of_measure", "indicator")
    show_change_link = True


@admin.register(Project)
class ProjectAdmin(RegistryAdmin):
    list_display = ("name", "programme", "status", "start_date", "end_date", "budget", "eu_cofinancing", "lead",
                    "domain", "published")
    list_filter = ("programme", "status", "domain")
    search_fields = ("name", "title_pl", "title_en", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("partners", "units")
    inlines = [ProjectResultInline]
    list_select_related = ("lead", "domain")


class ResultValueInline(RegistryInline):
    model = ResultValue
    fields = ("year", "unit", "value", "approximate", "source")


@admin.register(ProjectResult)
class ProjectResultAdmin(RegistryAdmin):
    list_display = ("project", "name_pl", "unit_of_measure", "indicator", "published")
    list_filter = ("project",)
    search_fields = ("name_pl", "name_en", "project__name")
    inlines = [ResultValueInline]
    actions = [*RegistryAdmin.actions, "feed_indicators"]

    @admin.action(description=_("Write the values given per unit to the indicator each result feeds"))
    def feed_indicators(self, request, queryset):
        for result in queryset:
            outcome = feed_result_to_indicator(result=result, user=request.user)
            if outcome is None:
                self.message_user(request, _("%(result)s feeds no indicator or has no values per unit.")
                                  % {"result": result}, messages.WARNING)
            else:
                message = _("%(result)s: %(inserted)d inserted, %(updated)d updated (batch %(batch)s).")
                self.message_user(request, message % {"result": result, "inserted": outcome.counts.inserted,
                                                      "updated": outcome.counts.updated, "batch": outcome.batch},
                                  messages.SUCCESS)


@admin.register(AggregateFigure)
class AggregateFigureAdmin(RegistryAdmin):
    list_display = ("statement_pl", "subject", "year", "qualifier", "value", "source", "published")
    list_filter = ("subject", "year", "domain")
    search_fields = ("statement_pl", "statement_en")


class DocumentVersionInline(RegistryInline):
    """A document's versions: a new one is added, a stored one is never changed or deleted."""

    model = DocumentVersion
    fields = ("number", "file", "note", "uploaded_at", "uploaded_by")
    readonly_fields = ("number", "uploaded_at", "uploaded_by")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(RegistryAdmin):
    list_display = ("title_pl", "kind", "status", "year", "adopted_on", "domain", "source", "published")
    list_filter = ("kind", "status", "year", "domain")
    search_fields = ("title_pl", "title_en", "summary_pl", "slug")
    prepopulated_fields = {"slug": ("title_pl",)}
    filter_horizontal = ("units", "forums", "projects", "action_plans")
    list_select_related = ("domain", "source")
    inlines = [DocumentVersionInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is DocumentVersion:
            for inline in formset.forms:
                if inline.instance.pk is None:
                    inline.instance.uploaded_by = request.user
        super().save_formset(request, form, formset, change)


@admin.register(AssociationEvent)
class AssociationEventAdmin(RegistryAdmin):
    list_display = ("name_pl", "kind", "year", "held_on", "domain", "source", "published")
    list_filter = ("kind", "year", "domain")
    search_fields = ("name_pl", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_pl",)}
    filter_horizontal = ("partners",)
    list_select_related = ("domain", "source")
