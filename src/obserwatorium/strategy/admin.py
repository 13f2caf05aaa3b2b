from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from obserwatorium.access import rules
from obserwatorium.registry.admin_base import RegistryAdmin
from obserwatorium.strategy.forms import ProgressUploadForm
from obserwatorium.strategy.models import Action, ActionPlan, Goal, Strategy, Target
from obserwatorium.strategy.services import update_progress_from_csv


@admin.register(Strategy)
class StrategyAdmin(RegistryAdmin):
    list_display = ("code", "name_pl", "start_year", "end_year", "adopted_on", "published")
    search_fields = ("code", "name_pl", "name_en")
    filter_horizontal = ("domains",)


@admin.register(Goal)
class GoalAdmin(RegistryAdmin):
    list_display = ("code", "name_pl", "strategy", "domain", "level", "parent", "weight", "published")
    list_filter = ("strategy", "domain", "level")
    search_fields = ("code", "name_pl", "name_en")
    list_select_related = ("strategy", "domain", "parent")


@admin.register(ActionPlan)
class ActionPlanAdmin(RegistryAdmin):
    list_display = ("name_pl", "domain", "status", "adopted_on", "start_year", "end_year", "weight", "published")
    list_filter = ("strategy", "domain", "status")
    search_fields = ("name_pl", "name_en")
    list_select_related = ("domain",)


@admin.register(Target)
class TargetAdmin(RegistryAdmin):
    list_display = ("indicator", "unit", "baseline_year", "baseline_value", "target_year", "target_value", "goal",
                    "illustrative")
    list_filter = ("indicator__domain", ("unit", admin.RelatedOnlyFieldListFilter), "target_year")
    search_fields = ("indicator__code", "indicator__name_pl", "unit__name")
    list_select_related = ("indicator", "unit", "goal")


@admin.register(Action)
class ActionAdmin(RegistryAdmin):
    list_display = ("code", "name_pl", "plan", "responsible_body", "responsible_unit", "status", "progress", "weight",
                    "end_date", "published")
    list_filter = ("status", "plan__domain", "plan", ("responsible_unit", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name_pl", "name_en", "responsible_body")
    list_select_related = ("plan", "responsible_unit")
    filter_horizontal = ("partners", "indicators", "targets")
    change_list_template = "strategy/admin_action_changelist.html"

    def get_urls(self):
        upload = path("progress-upload/", self.admin_site.admin_view(self.progress_upload_view),
                      name="strategy_action_progress_upload")
        return [upload, *super().get_urls()]

    def progress_upload_view(self, request):
        """Bulk CSV update of action progress: validated, all or nothing, with a report by row and column."""
        if not rules.may_write_any(request.user, Action):
            raise PermissionDenied
        form = ProgressUploadForm(request.POST or None, request.FILES or None)
        report, status = None, 200
        if request.method == "POST" and form.is_valid():
            report = update_progress_from_csv(content=form.cleaned_data["file"].read(), user=request.user,
                                              dry_run=form.cleaned_data["dry_run"], via="admin")
            status = 403 if report.refused else (200 if report.ok else 400)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "report": report, "title": _("Update the progress of actions from a CSV file")}
        return TemplateResponse(request, "strategy/admin_progress_upload.html", context, status=status)
