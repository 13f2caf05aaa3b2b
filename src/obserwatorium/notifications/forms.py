"""The e-mail settings form: a box per kind of e-mail (ticked: received) and the language of e-mails."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from obserwatorium.notifications.models import Kind, MailLanguage


class PreferenceForm(forms.Form):
    received = forms.MultipleChoiceField(label=_("I receive these e-mails"), choices=Kind.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=MailLanguage.choices, required=False)
