"""Build the POST data an admin change or add form would send, from the ModelAdmin's own forms."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.test import RequestFactory


def _field_data(name: str, field: forms.Field, value: Any) -> dict[str, Any]:
    if isinstance(field.widget, forms.SplitDateTimeWidget):
        if value in (None, ""):
            return {f"{name}_0": "", f"{name}_1": ""}
        if isinstance(value, datetime.datetime):
            return {f"{name}_0": value.strftime("%Y-%m-%d"), f"{name}_1": value.strftime("%H:%M:%S")}
        return {f"{name}_0": value[0], f"{name}_1": value[1]}
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) and value is None:
        return {name: []}
    if isinstance(field, forms.BooleanField):
        return {name: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {name: [str(item.pk if isinstance(item, models.Model) else item) for item in value]}
    if value is None:
        return {name: ""}
    if isinstance(value, datetime.date):
        return {name: value.isoformat()}
    return {name: str(value.pk if isinstance(value, models.Model) else value)}


def _form_data(form: forms.BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        data.update(_field_data(form.add_prefix(name), field, form[name].value()))
    return data


def admin_form_data(as_user, model: type[models.Model], obj: models.Model | None, /, **changes) -> dict[str, Any]:
    """The data of the admin's change form (add form when obj is None) as `as_user` sees it, with the changes."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/admin/")
    request.user = as_user
    form = model_admin.get_form(request, obj, change=obj is not None)(instance=obj)
    data = _form_data(form)
    for formset, _inline in model_admin.get_formsets_with_inlines(request, obj):
        prefix = formset.get_default_prefix()
        instance = obj if obj is not None else model()
        bound = formset(instance=instance, prefix=prefix, queryset=_inline.get_queryset(request))
        count = len(bound.initial_forms)
        data.update({f"{prefix}-TOTAL_FORMS": str(count), f"{prefix}-INITIAL_FORMS": str(count),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for inline_form in bound.initial_forms:
            data.update(_form_data(inline_form))
    for name, value in changes.items():
        field = form.fields[name]
        data.update(_field_data(name, field, value))
    return data
