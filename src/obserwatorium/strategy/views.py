"""Strategy pages: the tree with progress per domain, an action, progress updates (one or from a CSV file)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from obserwatorium.access import rules
from obserwatorium.strategy import selectors
from obserwatorium.strategy.forms import ActionProgressForm, ProgressUploadForm
from obserwatorium.strategy.models import Action
from obserwatorium.strategy.services import update_action_progress, update_progress_from_csv


def tree(request: HttpRequest) -> HttpResponse:
    trees = [selectors.strategy_tree(strategy) for strategy in selectors.public_strategies()]
    return render(request, "strategy/tree.html", {
        "trees": trees, "can_upload": rules.may_write_any(request.user, Action)})


def action(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.action_detail(pk)  # a missing action is a 404 (web.errors)
    form = ActionProgressForm(instance=record) if rules.may_write(request.user, record) else None
    return render(request, "strategy/action.html", {"action": record, "form": form})


@require_POST
def action_progress(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.action_detail(pk)  # a missing action is a 404 (web.errors)
    rules.require_write(request.user, record)
    form = ActionProgressForm(request.POST, instance=Action.objects.get(pk=pk))
    if not form.is_valid():
        return render(request, "strategy/action.html", {"action": record, "form": form}, status=400)
    update_action_progress(action=record, progress=form.cleaned_data["progress"],
                           status=form.cleaned_data["status"], user=request.user, via="page")
    return redirect("strategy:action", pk=pk)


@login_required
def progress_upload(request: HttpRequest) -> HttpResponse:
    if not rules.may_write_any(request.user, Action):
        raise PermissionDenied
    report, status = None, 200
    form = ProgressUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = update_progress_from_csv(content=form.cleaned_data["file"].read(), user=request.user,
                                          dry_run=form.cleaned_data["dry_run"], via="bulk")
        status = 403 if report.refused else (200 if report.ok else 400)
    return render(request, "strategy/progress_upload.html", {"form": form, "report": report}, status=status)
