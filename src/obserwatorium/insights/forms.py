"""Query parameters of the analytics pages and downloads, bounded and validated like the API's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.validators import RegexValidator
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from obserwatorium.indicators.models import Indicator
from obserwatorium.insights.groups import Group, available_groups, resolve_group
from obserwatorium.insights.models import CompositeIndex
from obserwatorium.insights.selectors import periods
from obserwatorium.territory.models import Unit
from obserwatorium.vocabulary import DOMAIN_CODE, GROUP_KEY, INDEX_CODE, INDICATOR_CODE, TERYT, YEAR, Term

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _field(label: StrOrPromise, term: Term) -> forms.CharField:
    """An optional text parameter of the form `term` defines."""
    return forms.CharField(label=label, required=False, max_length=term.max_length,
                           validators=[RegexValidator(term.validator_pattern)])


class AnalyticsQuery(forms.Form):
    indicator = _field(_("Indicator"), INDICATOR_CODE)
    index = _field(_("Index"), INDEX_CODE)
    period = _field(_("Year"), YEAR)
    group = _field(_("Group"), GROUP_KEY)
    units = forms.MultipleChoiceField(label=_("Units"), required=False, choices=())
    unit = _field(_("Unit"), TERYT)
    domain = _field(_("Domain"), DOMAIN_CODE)
    ties = forms.ChoiceField(label=_("Ties"), required=False, initial="competition",
                             choices=[("competition", _("competition (1224)")), ("dense", _("dense (1223)"))])

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        if data is not None and "units" in data:  # the gminy are read only to check the chosen ones (2,477 nationally)
            gminy = Unit.objects.current().gminy().order_by("name")
            self.fields["units"].choices = list(gminy.values_list("teryt", "name"))

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

    def groups(self) -> list[Group]:
        """Every group a user can pick, built once for the request (the page lists them and resolves one)."""
        if not hasattr(self, "_groups"):
            self._groups = available_groups()
        return self._groups

    def chosen_group(self) -> Group:
        data = self.valid()
        found = resolve_group(data["group"] or ("custom" if data["units"] else None), data["units"], self.groups())
        if found is None:
            raise Http404("no such group")
        return found

    def period_for(self, indicator: Indicator) -> str | None:
        return self.valid()["period"] or next((p for p in reversed(periods(indicator)) if p.isdigit()), None)
