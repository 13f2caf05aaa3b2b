"""The draft page's form: one section's editorial paragraph in Polish and English."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from obserwatorium.reports.models import EDITORIAL_LENGTH


class EditorialForm(forms.Form):
    text_pl = forms.CharField(label=_("Editorial text (Polish)"), required=False, max_length=EDITORIAL_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 5}), strip=True,
                              help_text=_("Plain text; a blank line starts a new paragraph."))
    text_en = forms.CharField(label=_("Editorial text (English)"), required=False, max_length=EDITORIAL_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 5}), strip=True)
