"""Forms of the documents pages: the public list's filters and the office's and coordinators' form of a document
with the upload of its next version."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django import forms
from django.apps import apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obserwatorium.access import rules
from obserwatorium.cooperation.models import Document, DocumentKind, DocumentStatus, Forum, Project
from obserwatorium.indicators.models import Domain
from obserwatorium.territory.models import Unit

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

ALL = [("", _("all"))]
DOCUMENT_FIELDS = ["title_pl", "title_en", "slug", "kind", "status", "summary_pl", "summary_en", "year",
                   "adopted_on", "adopted_precision", "end_year", "domain", "units", "forums", "projects",
                   "action_plans", "url", "published"]


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ALL + list(DocumentKind.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ALL + list(DocumentStatus.choices))
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    unit = forms.ChoiceField(label=_("Gmina"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    search = forms.CharField(label=_("Title contains"), required=False, max_length=100)

    def __init__(self, *args, years: Sequence[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        offered = {"domain": [(d.code, d.name) for d in Domain.objects.filter(strategic=True)],
                   "unit": [(u.teryt, u.name) for u in Unit.objects.gminy().current().order_by("name")],
                   "year": [(str(y), str(y)) for y in years]}
        for name, choices in offered.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [*ALL, *choices]


class DocumentForm(forms.ModelForm):
    """A document's description and, optionally, the file of its next version with a note."""

    file = forms.FileField(label=_("New version of the file"), required=False,
                           help_text=_("Uploaded as the document's next version; the older versions are kept."))
    note = forms.CharField(label=_("Note on the version"), required=False, max_length=500,
                           help_text=_("What changed, e.g. \"adopted text\" or \"corrected annex 2\"."))

    class Meta:
        model = Document
        fields = DOCUMENT_FIELDS
        widgets = {
            "adopted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary_pl": forms.Textarea(attrs={"rows": 4}),
            "summary_en": forms.Textarea(attrs={"rows": 4}),
            "units": forms.CheckboxSelectMultiple,
            "forums": forms.CheckboxSelectMultiple,
            "projects": forms.CheckboxSelectMultiple,
            "action_plans": forms.CheckboxSelectMultiple,
        }

    GROUPS = (
        (_("The document"), ("title_pl", "title_en", "slug", "kind", "status", "summary_pl", "summary_en", "url",
                             "published")),
        (_("Dates and domain"), ("year", "adopted_on", "adopted_precision", "end_year", "domain")),
        (_("What it belongs to"), ("units", "forums", "projects", "action_plans")),
        (_("File"), ("file", "note")),
    )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The form's fields in the fieldsets the page shows."""
        return [(str(legend), [self[name] for name in names]) for legend, names in self.GROUPS]

    def __init__(self, *args, user: Actor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the domains the user may write into (access.rules.choice_limit), plus the document's own.
        domain = self.fields["domain"]
        assert isinstance(domain, forms.ModelChoiceField)  # the form field of a foreign key
        limit = rules.choice_limit(user, Document, "domain") if user is not None else Q(pk__in=[])
        if limit is not None and self.instance.domain_id is not None:
            limit |= Q(pk=self.instance.domain_id)
        base = Domain.objects.filter(strategic=True)
        domain.queryset = base.filter(limit) if limit is not None else base
        scope = rules.scope_of(user)
        if self.instance.pk is None and len(scope.domains) == 1:
            self.initial.setdefault("domain", next(iter(scope.domains)))
        for name, queryset in (("units", Unit.objects.gminy().current().order_by("name")),
                               ("forums", Forum.objects.current()), ("projects", Project.objects.current())):
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset
        plans = self.fields["action_plans"]  # strategy's model (strategy stands above cooperation)
        assert isinstance(plans, forms.ModelMultipleChoiceField)
        plans.queryset = apps.get_model("strategy", "ActionPlan")._default_manager.filter(archived_at__isnull=True)
