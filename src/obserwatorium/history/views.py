"""The change history of one registry record, as a page: public for published records, with names for staff."""

from __future__ import annotations

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from obserwatorium.access import rules
from obserwatorium.history.models import RegistryRecord, TrackedModel
from obserwatorium.history.selectors import change_rows


def record_history(request: HttpRequest, app_label: str, model: str, pk: int) -> HttpResponse:
    try:
        model_class = apps.get_model(app_label, model)
    except LookupError:
        raise Http404 from None
    if not issubclass(model_class, TrackedModel):
        raise Http404
    record = model_class._base_manager.filter(pk=pk).first()
    staff = request.user.is_authenticated and (request.user.is_staff or rules.scope_of(request.user).any)
    if record is None:
        raise Http404
    if isinstance(record, RegistryRecord) and not (record.published and record.archived_at is None) and not staff:
        raise Http404
    if not isinstance(record, RegistryRecord) and not staff:
        raise Http404
    return render(request, "history/record_history.html", {
        "record": record, "model_name": model_class._meta.verbose_name, "rows": change_rows(record, private=staff),
        "show_users": staff,
    })
