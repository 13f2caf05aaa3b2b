"""The observatory's admin: every change of an observation goes through the write path of services.py.

Django's own delete confirmation lists every related row (a batch of a million observations does not fit in
memory), so deletions here show counts and run set-based through the services, each value kept as a revision.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import Domain, ImportBatch, Indicator, Observation, Revision
from obserwatorium.indicators.services import delete_observations, edit_observation, undo_revisions, withdraw_batch


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("code", "name_pl", "name_en", "order", "strategic")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name_pl", "domain", "unit_pl", "polarity", "aggregation", "bdl_variable_id", "headline")
    list_filter = ("domain", "polarity", "aggregation", "headline")
    search_fields = ("code", "name_pl", "name_en", "bdl_variable_id")
    raw_id_fields = ("numerator", "denominator")


def _confirm_counts(modeladmin, request, *, title, explanation, counts, hidden) -> TemplateResponse:
    opts = modeladmin.model._meta
    return TemplateResponse(request, "indicators/admin_delete_counts.html", {
        **modeladmin.admin_site.each_context(request), "opts": opts, "title": title, "explanation": explanation,
        "counts": counts, "hidden": hidden,
        "cancel_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
    })


def _action_hidden(request) -> list[tuple[str, str]]:
    """The fields that bring a confirmed action back to the same selection (all matching, or the ticked rows)."""
    hidden = [("action", request.POST["action"])]
    if request.POST.get("select_across") == "1":
        return [*hidden, ("select_across", "1"), ("index", "0")]
    return [*hidden, *((helpers.ACTION_CHECKBOX_NAME, pk) for pk in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "file_name", "source", "user", "created_at", "rows", "inserted", "updated")
    list_filter = ("kind", "status")
    search_fields = ("file_name", "source", "checksum")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        """Withdraw the batch's values (set-based, kept as revisions) after a confirmation that shows counts."""
        batch = self.get_object(request, object_id)
        if batch is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_delete_permission(request, batch):
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("post") == "yes":
            outcome = withdraw_batch(batch=batch, user=request.user)
            self.message_user(request, _("%(count)d values of %(batch)s deleted; each is kept as a revision and "
                                         "can be restored.") % {"count": outcome.deleted, "batch": batch},
                              messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:indicators_importbatch_change", args=[batch.pk]))
        held = Observation.objects.filter(batch=batch).aggregate(
            values=Count("id"), indicators=Count("indicator", distinct=True), units=Count("unit", distinct=True))
        return _confirm_counts(self, request, title=_("Delete the values of %(batch)s") % {"batch": batch},
                               explanation=_("The values this batch still holds are deleted. Each is kept as a "
                                             "revision (value → none) and can be restored; the batch record stays, "
                                             "marked withdrawn."),
                               counts=[(_("values"), held["values"]), (_("indicators"), held["indicators"]),
                                       (_("units"), held["units"])], hidden=[])


@admin.action(permissions=["delete"], description=gettext_lazy("Delete selected observations (kept as revisions)"))
def delete_selected_observations(modeladmin, request, queryset: QuerySet[Observation]):
    if request.POST.get("post") == "yes":
        outcome = delete_observations(observations=queryset, user=request.user)
        modeladmin.message_user(request, _("%(count)d observations deleted; each is kept as a revision and can be "
                                           "restored.") % {"count": outcome.deleted}, messages.SUCCESS)
        return None
    held = queryset.order_by().aggregate(values=Count("id"), indicators=Count("indicator", distinct=True),
                                         units=Count("unit", distinct=True))
    return _confirm_counts(modeladmin, request, title=_("Delete selected observations"),
                           explanation=_("Each value is kept as a revision (value → none) and can be restored."),
                           counts=[(_("values"), held["values"]), (_("indicators"), held["indicators"]),
                                   (_("units"), held["units"])], hidden=_action_hidden(request))


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("indicator", "unit", "period", "value", "flag", "batch")
    list_filter = ("flag", "indicator__domain")
    search_fields = ("indicator__code", "unit__name", "unit__teryt", "period")
    raw_id_fields = ("indicator", "unit")
    list_select_related = ("indicator", "unit", "batch")
    fields = ("indicator", "unit", "period", "value", "flag", "batch")
    actions = [delete_selected_observations]

    def get_readonly_fields(self, request, obj=None):
        # The key of a stored value does not move: delete it and enter the other key instead.
        return ("indicator", "unit", "period", "batch") if obj is not None else ("batch",)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        stored = edit_observation(row=ObservationRow(obj.indicator_id, obj.unit_id, obj.period, obj.value, obj.flag),
                                  user=request.user)
        obj.pk, obj.batch_id = stored.pk, stored.batch_id

    def get_deleted_objects(self, objs, request):
        """The one observation, with nothing related to collect (revisions refer to keys, not rows)."""
        perms_needed = set() if self.has_delete_permission(request) else {self.opts.verbose_name}
        return [str(obj) for obj in objs], {self.opts.verbose_name_plural: len(objs)}, perms_needed, []

    def delete_model(self, request, obj):
        delete_observations(observations=Observation.objects.filter(pk=obj.pk), user=request.user)


@admin.action(permissions=["undo"], description=gettext_lazy("Undo selected changes (restore the old values)"))
def undo_selected_revisions(modeladmin, request, queryset: QuerySet[Revision]):
    outcome = undo_revisions(revisions=queryset, user=request.user)
    modeladmin.message_user(request, _("%(count)d values restored as %(batch)s.")
                            % {"count": outcome.counts.inserted + outcome.counts.updated, "batch": outcome.batch},
                            messages.SUCCESS)


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ("indicator", "unit", "period", "old_value", "new_value", "batch", "user", "changed_at")
    search_fields = ("indicator__code", "unit__name", "period")
    readonly_fields = [f.name for f in Revision._meta.fields]
    actions = [undo_selected_revisions]

    def has_add_permission(self, request):
        return False

    def has_undo_permission(self, request) -> bool:
        # Undoing writes observations: the right to change them decides, not a right on revisions.
        return request.user.has_perm("indicators.change_observation")

    def has_delete_permission(self, request, obj=None):
        return False

