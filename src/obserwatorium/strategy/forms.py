"""Forms of the strategy pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from obserwatorium.strategy.models import Action


class ActionProgressForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = ["progress", "status"]
        widgets = {"progress": forms.NumberInput(attrs={"min": 0, "max": 100, "inputmode": "numeric"})}


class ProgressUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"),
                           help_text=_("Columns: code; progress (0–100); optionally status. UTF-8 or Windows-1250."))
    dry_run = forms.BooleanField(label=_("Only check, change nothing"), required=False)
