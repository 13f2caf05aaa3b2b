from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from obserwatorium.access import rules
from obserwatorium.events import services
from obserwatorium.events.forms import RejectForm
from obserwatorium.events.models import Event, EventFeed, Status
from obserwatorium.registry.admin_base import RegistryAdmin


@admin.register(Event)
class EventAdmin(RegistryAdmin):
    list_display = ("title", "unit", "starts_at", "ends_at", "category", "venue", "status")
    list_filter = (("unit", admin.RelatedOnlyFieldListFilter), "status", "category", "free_entry")
    # The status is set only through events.services: the moderation queue (/events/moderation/) or the two
    # actions below, each telling the submitter by e-mail.
    readonly_fields = ("status", "submitted_at", "decided_at", "rejection_reason")
    search_fields = ("title", "description", "venue", "organiser")
    date_hierarchy = "starts_at"
    list_select_related = ("unit",)
    actions = [*RegistryAdmin.actions, "publish_selected", "reject_selected"]

    @staticmethod
    def _submitted(request, queryset) -> list[Event]:
        # Offered to all staff like archiving: anyone but the office is refused with 403.
        if not rules.is_office(request.user):
            raise PermissionDenied(_("Only the association's office moderates events."))
        chosen = list(queryset.filter(status=Status.SUBMITTED, archived_at__isnull=True).select_related(
            "submitted_by"))
        if not chosen:
            raise ValidationError(_("None of the selected events is waiting for review."))
        return chosen

    @admin.action(description=gettext_lazy("Publish the selected submitted events"))
    def publish_selected(self, request, queryset):
        try:
            chosen = self._submitted(request, queryset)
            published = services.publish_events(events=chosen, user=request.user,
                                                site_url=request.build_absolute_uri("/")[:-1], via="admin")
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        self.message_user(request, ngettext("%(count)d event published.", "%(count)d events published.",
                                            len(published)) % {"count": len(published)}, messages.SUCCESS)
        return None

    @admin.action(description=gettext_lazy("Reject the selected submitted events (with the reason)"))
    def reject_selected(self, request, queryset):
        try:
            chosen = self._submitted(request, queryset)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            site_url = request.build_absolute_uri("/")[:-1]
            with transaction.atomic():  # all or none, each submitter told once it is committed
                for event in chosen:
                    services.reject_event(event=event, user=request.user, reason=form.cleaned_data["reason"],
                                          site_url=site_url, via="admin")
            self.message_user(request, ngettext("%(count)d event rejected; its gmina is told why.",
                                                "%(count)d events rejected; their gminy are told why.",
                                                len(chosen)) % {"count": len(chosen)}, messages.SUCCESS)
            return None
        context = {**self.admin_site.each_context(request), "title": _("Reject the selected events"),
                   "opts": self.model._meta, "events": chosen, "form": form,
                   "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME}
        return TemplateResponse(request, "admin/events/event/reject.html", context,
                                status=400 if form.is_bound else 200)


@admin.register(EventFeed)
class EventFeedAdmin(RegistryAdmin):
    list_display = ("name", "unit", "url", "trusted", "active", "last_run_at", "last_status")
    list_filter = (("unit", admin.RelatedOnlyFieldListFilter), "trusted", "active")
    search_fields = ("name", "url")
    readonly_fields = ("added_by", "last_run_at", "last_status")
    list_select_related = ("unit",)
