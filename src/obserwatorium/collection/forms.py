"""Forms of the data-request pages (the grid itself is read cell by cell in views.read_cells)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from obserwatorium.indicators.models import Indicator
from obserwatorium.territory.models import Unit


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(label=_("Note to the gminy"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"), queryset=Indicator.objects.select_related("domain"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."))
    periods = forms.CharField(label=_("Years"), max_length=80, help_text=_("Separated by commas, e.g. 2023, 2024."))
    gminy = forms.ModelMultipleChoiceField(
        label=_("Gminy"), queryset=Unit.objects.members().current().order_by("name"),
        widget=forms.CheckboxSelectMultiple, help_text=_("By default every member gmina."))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"},
                                                                            format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        gminy = self.fields["gminy"]
        assert isinstance(gminy, forms.ModelMultipleChoiceField)  # declared above
        self.initial.setdefault("gminy", list(gminy.queryset.values_list("pk", flat=True)))

    def clean_periods(self) -> list[str]:
        years = [part for part in re.split(r"[\s,;]+", self.cleaned_data["periods"]) if part]
        if not years or not all(re.fullmatch(r"\d{4}", year) for year in years):
            raise forms.ValidationError(_("Years of four digits separated by commas, e.g. 2023, 2024."))
        return years


class ReopenForm(forms.Form):
    comment = forms.CharField(label=_("Comment to the gmina"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What the gmina should check or change; the editor sees it."))
