"""Forms of a meeting's workspace (agenda, decision, attendance) and of the list of meetings across forums."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from obserwatorium.cooperation.meeting_selectors import MeetingFilters
from obserwatorium.cooperation.meetings import AttendanceStatus, Decision
from obserwatorium.cooperation.models import Forum, Meeting
from obserwatorium.indicators.models import Domain
from obserwatorium.territory.models import Unit
from obserwatorium.vocabulary import YEAR

MAX_AGENDA_ITEMS = 60


class AgendaForm(forms.Form):
    items = forms.CharField(
        label=_("Agenda items"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One item per line, in the order of the meeting; an empty agenda removes every item."))

    def clean_items(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if len(lines) > MAX_AGENDA_ITEMS:
            raise forms.ValidationError(_("At most %(n)d items, please: %(given)d were given.") % {
                "n": MAX_AGENDA_ITEMS, "given": len(lines)})
        return lines


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "effect", "action", "action_plan", "follow_up", "due_on"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}),
                   "due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("action", "action_plan"):
            field = self.fields[name]
            field.queryset = field.queryset.filter(archived_at__isnull=True)  # type: ignore[attr-defined]
        self.fields["action"].label_from_instance = lambda a: f"{a.code} {a}"  # type: ignore[attr-defined]


ATTENDANCE_CHOICES = [("", _("not recorded")), *AttendanceStatus.choices]


class AttendanceForm(forms.Form):
    """One choice per member gmina and member institution of the forum (and whoever else has a mark)."""

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        forum = meeting.forum
        marks = {(("unit", a.unit_id) if a.unit_id else ("partner", a.partner_id)): a.status
                 for a in meeting.attendance.all()}
        units = Unit.objects.filter(pk__in={*forum.member_units.values_list("pk", flat=True),
                                            *(pk for kind, pk in marks if kind == "unit")}).order_by("name")
        partners = forum.member_institutions.model.objects.filter(
            pk__in={*forum.member_institutions.values_list("pk", flat=True),
                    *(pk for kind, pk in marks if kind == "partner")}).order_by("name")
        self.groups: dict[str, list[str]] = {"unit": [], "partner": []}
        for kind, records in (("unit", units), ("partner", partners)):
            for record in records:
                name = f"{kind}-{record.pk}"
                self.fields[name] = forms.ChoiceField(label=str(record), choices=ATTENDANCE_CHOICES, required=False,
                                                      initial=marks.get((kind, record.pk), ""))
                self.groups[kind].append(name)

    def unit_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.groups["unit"]]

    def partner_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.groups["partner"]]

    def marks(self) -> dict[tuple[str, int], str]:
        return {(name.split("-")[0], int(name.split("-")[1])): value for name, value in self.cleaned_data.items()}


WHEN_CHOICES = [("", _("all")), ("upcoming", _("upcoming")), ("past", _("past"))]


class MeetingFilterForm(forms.Form):
    forum = forms.ChoiceField(label=_("Forum"), required=False)
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    year = forms.RegexField(label=_("Year"), required=False, regex=YEAR.validator_pattern, max_length=4,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}))
    unit = forms.ChoiceField(label=_("Gmina present"), required=False)
    when = forms.ChoiceField(label=_("When"), required=False, choices=WHEN_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forum"].choices = [("", _("all")), *((f.slug, f.name) for f in Forum.objects.public())]
        self.fields["domain"].choices = [("", _("all")), *((d.code, d.name)
                                                            for d in Domain.objects.filter(strategic=True))]
        self.fields["unit"].choices = [("", _("all")), *((u.teryt, u.name)
                                                          for u in Unit.objects.members().current().order_by("name"))]

    def filters(self) -> MeetingFilters:
        if not self.is_valid():
            return MeetingFilters()
        data = self.cleaned_data
        return MeetingFilters(forum=data["forum"], domain=data["domain"], unit=data["unit"], when=data["when"],
                              year=int(data["year"]) if data["year"] else None)
