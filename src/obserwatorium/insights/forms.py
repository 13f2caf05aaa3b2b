"""Query parameters of the analytics pages and downloads, bounded and validated like the API's."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from obserwatorium.indicators.models import Indicator
from obserwatorium.insights.groups import GROUP_KEY, Group, resolve_group
from obserwatorium.insights.models import CompositeIndex
from obserwatorium.insights.selectors import periods
from obserwatorium.territory.models import Unit

CODE = RegexValidator(r"^[a-z0-9][a-z0-9-]{0,79}$")
YEAR = RegexValidator(r"^(19|20|21)\d{2}$")
TERYT = RegexValidator(r"^\d{7}$")


class AnalyticsQuery(forms.Form):
    indicator = forms.CharField(label=_("Indicator"), required=False, max_length=80, validators=[CODE])
    index = forms.CharField(label=_("Index"), required=False, max_length=80, validators=[CODE])
    period = forms.CharField(label=_("Year"), required=False, max_length=4, validators=[YEAR])
    group = forms.CharField(label=_("Group"), required=False, max_length=100, validators=[RegexValidator(GROUP_KEY)])
    units = forms.MultipleChoiceField(label=_("Units"), required=False, choices=())
    unit = forms.CharField(label=_("Unit"), required=False, max_length=7, validators=[TERYT])
    domain = forms.CharField(label=_("Domain"), required=False, max_length=40, validators=[CODE])
    ties = forms.ChoiceField(label=_("Ties"), required=False, initial="competition",
                             choices=[("competition", _("competition (1224)")), ("dense", _("dense (1223)"))])

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["units"].choices = [(u.teryt, u.name) for u in Unit.objects.current().gminy().order_by("name")]

    def valid(self) -> dict:
        """Cleaned values, or 404 for parameters no page could answer."""
        if not self.is_valid():
            raise Http404("invalid parameters")
        return self.cleaned_data

    def indicator_or_default(self) -> Indicator:
        code = self.valid()["indicator"]
        query = Indicator.objects.select_related("domain", "numerator", "denominator")
        found = query.filter(code=code).first() if code else query.filter(headline=True).first()
        if found is None:
            raise Http404("no such indicator")
        return found

    def index_or_default(self) -> CompositeIndex:
        code = self.valid()["index"]
        found = CompositeIndex.objects.filter(code=code).first() if code else CompositeIndex.objects.first()
        if found is None:
            raise Http404("no such index")
        return found

    def chosen_group(self) -> Group:
        data = self.valid()
        found = resolve_group(data["group"] or ("custom" if data["units"] else None), data["units"])
        if found is None:
            raise Http404("no such group")
        return found

    def period_for(self, indicator: Indicator) -> str | None:
        return self.valid()["period"] or next((p for p in reversed(periods(indicator)) if p.isdigit()), None)
