"""Template filters of the site's forms: which fields the error summary at the top of a form links to."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()


@register.filter
def fields_with_errors(form: forms.BaseForm) -> list[BoundField]:
    """The form's fields that came back with an error, in the form's order (hidden ones included)."""
    return [field for field in form if field.errors]
