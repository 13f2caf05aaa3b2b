"""Forms of the cooperation pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from obserwatorium.cooperation.models import Meeting, Programme, ProjectStatus
from obserwatorium.indicators.models import Domain
from obserwatorium.territory.models import Unit

# The agenda, the decisions and the attendance have forms of their own (cooperation.meeting_forms).
MEETING_FIELDS = ["starts_at", "ends_at", "place", "online", "online_url", "minutes", "participants", "published"]


class MeetingForm(forms.ModelForm):
    online_url = forms.URLField(label=_("online meeting address"), required=False, assume_scheme="https")

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }


class ProjectFilterForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"), required=False,
                                  choices=[("", _("all"))] + list(Programme.choices))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("all"))] + list(ProjectStatus.choices))
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    unit = forms.ChoiceField(label=_("Gmina"), required=False)
    search = forms.CharField(label=_("Name contains"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("all"))] + [
            (d.code, d.name) for d in Domain.objects.filter(strategic=True)]
        self.fields["unit"].choices = [("", _("all"))] + [
            (u.teryt, u.name) for u in Unit.objects.members().current().order_by("name")]
