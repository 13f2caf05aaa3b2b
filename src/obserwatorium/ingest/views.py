"""The upload page for the office: choose a file, see the checked preview, confirm; then the batch's record."""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from obserwatorium.indicators.models import BatchKind, ImportBatch
from obserwatorium.ingest import pending
from obserwatorium.ingest.display import flag_name, format_value
from obserwatorium.ingest.forms import UploadForm
from obserwatorium.ingest.problems import Problem, summarize, write_report
from obserwatorium.ingest.selectors import may_import, recent_uploads
from obserwatorium.ingest.services import ImportOptions, ImportOutcome, import_observations

SALT = "obserwatorium.ingest.confirm"
PROBLEMS_SHOWN = 1000


def importer_required(view):
    """Signed-in users who may change data of at least one unit."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_import(request.user):
            raise PermissionDenied(_("You may not import data."))
        return view(request, *args, **kwargs)

    return wrapped


def _outcome_context(outcome: ImportOutcome) -> dict:
    changes = [{"change": c, "old": format_value(c.old_value), "new": format_value(c.new_value),
                "old_flag": flag_name(c.old_flag), "new_flag": flag_name(c.new_flag)} for c in outcome.changes]
    summary = summarize(outcome.problems)
    shown_changes = (outcome.counts.inserted + outcome.counts.updated) if outcome.counts else 0
    return {
        "outcome": outcome, "problems": outcome.problems[:PROBLEMS_SHOWN],
        "hidden_problems": max(0, len(outcome.problems) - PROBLEMS_SHOWN),
        "summary": summary if len(summary) < len(outcome.problems) else [],
        "changes": changes, "more_changes": shown_changes > len(changes),
    }


@importer_required
def upload(request: HttpRequest) -> HttpResponse:
    """The form; a valid upload is checked as a dry run and shown with what would change."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        options = ImportOptions(indicator=form.cleaned_data["indicator"], flag=form.cleaned_data["flag"],
                                sheet=form.cleaned_data["sheet"], source=form.cleaned_data["source"],
                                url=form.cleaned_data["url"], licence=form.cleaned_data["licence"],
                                retrieved=form.cleaned_data["retrieved"].isoformat()
                                if form.cleaned_data["retrieved"] else "",
                                skip_empty=form.cleaned_data["skip_empty"])
        key, content = pending.keep_upload(upload_file)
        outcome = import_observations(content=content, file_name=upload_file.name, options=options,
                                      user=request.user, dry_run=True)
        # The file stays for the confirmation, or for the download of its complete report.
        token = signing.dumps({"key": key, "user": request.user.pk, "name": upload_file.name,
                               "checksum": outcome.checksum, "options": asdict(options)}, salt=SALT)
        return render(request, "ingest/preview.html", {**_outcome_context(outcome), "token": token})
    return render(request, "ingest/upload.html", {"form": form, "recent": recent_uploads()})


def _kept_file(request: HttpRequest) -> tuple[dict, bytes] | None:
    """The checked file a signed token names, when it belongs to this user and is unchanged."""
    try:
        data = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=pending.MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    content = pending.read_kept(data["key"]) if data.get("user") == request.user.pk else None
    if content is None or hashlib.sha256(content).hexdigest() != data["checksum"]:
        return None
    return data, content


@require_POST
@importer_required
def confirm(request: HttpRequest) -> HttpResponse:
    """Import the previewed file; the checks run again, so a catalogue change in between is caught."""
    kept = _kept_file(request)
    if kept is None:
        messages.error(request, _("The checked file is no longer available; upload it again."))
        return redirect("ingest:upload")
    data, content = kept
    outcome = import_observations(content=content, file_name=data["name"], options=ImportOptions(**data["options"]),
                                  user=request.user)
    if not outcome.ok or outcome.batch is None:  # a batch is kept whenever the import passed
        return render(request, "ingest/preview.html", {**_outcome_context(outcome), "token": request.POST["token"]})
    pending.forget(data["key"])
    messages.success(request, _("Imported %(count)s values from %(name)s.") % {"count": outcome.values,
                                                                                "name": outcome.file_name})
    return redirect("ingest:batch", pk=outcome.batch.pk)


@require_POST
@importer_required
def report(request: HttpRequest) -> HttpResponse:
    """Every problem and note of a checked file as CSV (the page lists the first ones only)."""
    kept = _kept_file(request)
    if kept is None:
        messages.error(request, _("The checked file is no longer available; upload it again."))
        return redirect("ingest:upload")
    data, content = kept
    outcome = import_observations(content=content, file_name=data["name"], options=ImportOptions(**data["options"]),
                                  user=request.user, dry_run=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stem = re.sub(r"[^\w.-]+", "_", data["name"].rsplit(".", 1)[0])[:80] or "file"
    response["Content-Disposition"] = f'attachment; filename="{stem}-problems.csv"'
    write_report([*outcome.problems, *outcome.notices], response, bom=True)
    return response


@importer_required
def batch(request: HttpRequest, pk: int) -> HttpResponse:
    """What one file import did: who, when, which file, how many values, and the notes of its report."""
    record = get_object_or_404(ImportBatch.objects.select_related("user"), pk=pk, kind=BatchKind.UPLOAD)
    notes = [Problem.from_json(item) for item in record.report]
    return render(request, "ingest/batch.html", {"batch": record, "notes": notes})
