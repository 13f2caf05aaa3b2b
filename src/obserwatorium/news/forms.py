"""Forms of the news pages: an article's content (and one new attachment), and the list's filter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from obserwatorium.access import rules
from obserwatorium.cooperation.models import Forum, Project
from obserwatorium.indicators.models import Domain
from obserwatorium.news.models import Article, Status
from obserwatorium.territory.models import Unit

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

ARTICLE_FIELDS = ["title", "slug", "language", "lead", "body", "image", "image_alt", "publish_at", "domain", "forum",
                  "project", "unit"]


class ArticleForm(forms.ModelForm):
    attachment = forms.FileField(label=capfirst(_("new attachment")), required=False)
    attachment_title = forms.CharField(label=capfirst(_("title of the new attachment")), max_length=300,
                                       required=False)

    class Meta:
        model = Article
        fields = ARTICLE_FIELDS
        widgets = {
            "publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "lead": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 14}),
        }

    def __init__(self, *args, user: Actor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only what the user may write into (access.rules.choice_limit), plus the article's own current choice.
        for name, model in (("domain", Domain), ("unit", Unit)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # the form field of a foreign key
            limit = rules.choice_limit(user, Article, name) if user is not None else Q(pk__in=[])
            current = getattr(self.instance, f"{name}_id", None)
            if limit is not None and current is not None:
                limit |= Q(pk=current)
            base = model.objects.filter(strategic=True) if model is Domain else Unit.objects.members().current()
            field.queryset = base.filter(limit) if limit is not None else base
        for name, queryset in (("forum", Forum.objects.public()), ("project", Project.objects.public())):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        scope = rules.scope_of(user)
        if self.instance.pk is None and len(scope.units) == 1 and not scope.domains:
            self.initial.setdefault("unit", next(iter(scope.units)))
        if self.instance.pk is None and len(scope.domains) == 1:
            self.initial.setdefault("domain", next(iter(scope.domains)))

    def clean_publish_at(self):
        # Left empty on a published article: it keeps its publication date (empty means "when published").
        value = self.cleaned_data.get("publish_at")
        if value is None and self.instance.status == Status.PUBLISHED:
            return self.instance.publish_at
        return value

    def clean(self):
        data = super().clean()
        if data.get("attachment") and not (data.get("attachment_title") or "").strip():
            self.add_error("attachment_title", _("Give the attachment a title."))
        return data


class NewsFilterForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("all"))] + [
            (d.code, d.name) for d in Domain.objects.filter(strategic=True).order_by("order")]
