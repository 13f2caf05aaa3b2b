"""Data-request pages: the office's list, new request and follow-up; a gmina editor's grid."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from obserwatorium.access import rules
from obserwatorium.collection import selectors, services
from obserwatorium.collection.cells import CellInput, Key
from obserwatorium.collection.forms import ReopenForm, RequestForm
from obserwatorium.collection.models import DataRequest, Submission


def _errors(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    requests = selectors.visible_requests(request.user).prefetch_related("submissions__unit")
    scope = rules.scope_of(request.user)
    rows = []
    for data_request in requests:
        own = [s for s in data_request.submissions.all() if scope.office or s.unit_id in scope.units]
        rows.append({"request": data_request, "submissions": [] if scope.office else own})
    return render(request, "collection/list.html", {"rows": rows, "office": scope.office})


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    rules.require_create(request.user, DataRequest)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opened = services.open_request(title=data["title"], note=data["note"], indicators=data["indicators"],
                                           periods=data["periods"], gminy=data["gminy"], deadline=data["deadline"],
                                           user=request.user, base_url=request.build_absolute_uri("/"))
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, _("The request is open."))
            return redirect("collection:request", pk=opened.pk)
    return render(request, "collection/request_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = selectors.office_request(pk=pk, user=request.user)
    by_gmina, by_indicator = selectors.completeness(data_request)
    return render(request, "collection/request.html", {
        "data_request": data_request, "by_gmina": by_gmina, "by_indicator": by_indicator,
        "finished": sum(1 for row in by_gmina if row.submission and row.submission.status in selectors.FINISHED),
        "reopen_form": ReopenForm()})


@login_required
@require_POST
def request_remind(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = selectors.office_request(pk=pk, user=request.user)
    try:
        reminders = services.send_reminders(request=data_request, user=request.user,
                                            base_url=request.build_absolute_uri("/"))
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    else:
        messages.success(request, ngettext("%(count)d reminder sent.", "%(count)d reminders sent.",
                                           reminders.sent) % {"count": reminders.sent})
        if reminders.without_editor:
            messages.warning(request, _("No editor with an e-mail address: %(gminy)s.") % {
                "gminy": ", ".join(reminders.without_editor)})
    return redirect("collection:request", pk=pk)


@login_required
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    data_request = selectors.office_request(pk=pk, user=request.user)
    try:
        services.close_request(request=data_request, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(_errors(error)))
    else:
        messages.success(request, _("The request is closed."))
    return redirect("collection:request", pk=pk)


def _office_submission(request: HttpRequest, pk: int, teryt: str) -> Submission:
    selectors.office_request(pk=pk, user=request.user)
    return selectors.submission_of(request_pk=pk, teryt=teryt, user=request.user)


@login_required
@require_POST
def submission_reopen(request: HttpRequest, pk: int, teryt: str) -> HttpResponse:
    submission = _office_submission(request, pk, teryt)
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say what the gmina should check or change."))
        services.reopen_submission(submission=submission, comment=form.cleaned_data["comment"], user=request.user)
    except ValidationError as error:
        messages.error(request, f"{submission.unit.name}: " + " ".join(_errors(error)))
    else:
        messages.success(request, _("%(gmina)s can change its submission again.") % {"gmina": submission.unit.name})
    return redirect("collection:request", pk=pk)


@login_required
@require_POST
def submission_accept(request: HttpRequest, pk: int, teryt: str) -> HttpResponse:
    submission = _office_submission(request, pk, teryt)
    try:
        services.accept_submission(submission=submission, user=request.user)
    except ValidationError as error:
        messages.error(request, f"{submission.unit.name}: " + " ".join(_errors(error)))
    return redirect("collection:request", pk=pk)


def read_cells(post, keys: list[Key]) -> dict[Key, CellInput]:
    """The grid's cells from the form: c<indicator>-<year> (value), -nd (no data), -comment, -ok (confirmed)."""
    cells = {}
    for indicator_id, period in keys:
        name = f"c{indicator_id}-{period}"
        cells[(indicator_id, period)] = CellInput(
            text=post.get(name, "")[:60], no_data=post.get(f"{name}-nd") == "on",
            comment=post.get(f"{name}-comment", "")[:2000], confirmed=post.get(f"{name}-ok") == "on")
    return cells


@login_required
def submission_grid(request: HttpRequest, pk: int, teryt: str) -> HttpResponse:
    submission = selectors.submission_of(request_pk=pk, teryt=teryt, user=request.user)
    indicators = selectors.request_indicators(submission.request)
    keys = [(i.pk, year) for i in indicators for year in submission.request.years]
    language = translation.get_language() or "pl"
    problems: list[str] = []
    if request.method == "POST":
        cells = read_cells(request.POST, keys)
        submitting = request.POST.get("action") == "submit"
        try:
            if submitting:
                outcome = services.submit_submission(submission=submission, cells=cells, user=request.user,
                                                     language=language)
                messages.success(request, ngettext(
                    "Submitted: %(count)d value written.", "Submitted: %(count)d values written.",
                    outcome.counts.inserted + outcome.counts.updated + outcome.counts.unchanged) % {
                    "count": outcome.counts.inserted + outcome.counts.updated + outcome.counts.unchanged})
            else:
                services.save_draft(submission=submission, cells=cells, user=request.user, language=language)
                messages.success(request, _("Draft saved."))
            return redirect("collection:grid", pk=pk, teryt=teryt)
        except ValidationError as error:
            problems = _errors(error)
    else:
        cells = selectors.stored_cells(submission)
    checks = selectors.check_grid(submission=submission, indicators=indicators, cells=cells, language=language)
    rows = selectors.grid_rows(submission=submission, indicators=indicators, cells=cells, checks=checks,
                               language=language)
    editable = submission.editable and submission.request.is_open and rules.may_write(request.user, submission)
    return render(request, "collection/grid.html", {
        "submission": submission, "data_request": submission.request, "rows": rows, "problems": problems,
        "years": submission.request.years, "editable": editable, "office": rules.is_office(request.user)},
        status=400 if problems else 200)
