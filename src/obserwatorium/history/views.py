"""The change history of one tracked record, as a page: who may read it, and as whom, the record says."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from obserwatorium.history.models import TrackedModel
from obserwatorium.history.selectors import change_rows


def record_history(request: HttpRequest, app_label: str, model: str, pk: int) -> HttpResponse:
    """The page of one record's changes, newest first (404 for what the visitor may not read)."""
    try:
        model_class = apps.get_model(app_label, model)
    except LookupError:
        raise Http404 from None
    if not issubclass(model_class, TrackedModel):
        raise Http404
    record = model_class._base_manager.filter(pk=pk).first()
    if record is None:
        raise Http404
    audience = record.history_audience(request.user)
    if audience is None:
        raise Http404
    staff = audience == "staff"
    return render(request, "history/record_history.html", {
        "record": record, "model_name": model_class._meta.verbose_name, "rows": change_rows(record, private=staff),
        "show_users": staff,
    })
