"""Forms of the events pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from obserwatorium.access import rules
from obserwatorium.events.feed_problems import FeedRefused
from obserwatorium.events.fetching import check_address
from obserwatorium.events.ical_reader import MAX_FEED_BYTES
from obserwatorium.events.models import Category, Event, EventFeed
from obserwatorium.events.recurrence import normalise_rule, parse_local
from obserwatorium.territory.models import Unit

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

# No status or "published" here: moderation is the office's, through events.services.
EVENT_FIELDS = ["title", "description", "category", "starts_at", "ends_at", "unit", "venue", "address", "organiser",
                "url", "free_entry", "image", "image_alt", "rrule", "exdates"]


class ExdatesField(forms.CharField):
    """Exception dates typed one per line (local time, 2026-10-27T18:00 or 2026-10-27 18:00), kept as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        items = [line.strip() for line in (value or "").replace(",", "\n").splitlines() if line.strip()]
        moments = []
        for item in items:
            try:
                moments.append(parse_local(item).isoformat(timespec="minutes"))
            except ValueError:
                raise ValidationError(_("“%(value)s” is not a date and time like 2026-10-27T18:00."),
                                      params={"value": item}, code="exdates") from None
        return sorted(set(moments))


class EventForm(forms.ModelForm):
    url = forms.URLField(label=_("web page"), required=False, assume_scheme="https")
    exdates = ExdatesField(label=_("exception dates"), required=False,
                           help_text=_("Occurrences that do not take place, one per line, in local time "
                                       "(e.g. 2026-10-27 18:00)."))

    class Meta:
        model = Event
        fields = EVENT_FIELDS
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "rrule": forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
            "image": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        }

    def __init__(self, *args, user: Actor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the gminy the user may write events of are offered (the office: every member; an editor: their
        # own, preselected); the write rule still refuses anything else.
        scope = rules.scope_of(user)
        members = Unit.objects.members().current().order_by("name")
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)  # the form field of a foreign key
        unit_field.queryset = members if scope.office else members.filter(pk__in=scope.units)
        own = scope.units
        if self.instance.pk is None and len(own) == 1:
            self.initial["unit"] = self.initial.get("unit") or next(iter(own))

    def clean_rrule(self) -> str:
        text = self.cleaned_data.get("rrule", "")
        return normalise_rule(text) if text.strip() else ""


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the rejection"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000, help_text=_("The gmina's editor reads it in the e-mail."))


class CalendarFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("Gmina"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", _("all"))] + list(Category.choices))
    past = forms.BooleanField(label=_("Include past events"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("all"))] + [
            (u.teryt, u.name) for u in Unit.objects.members().current().order_by("name")]


class EventFeedForm(forms.ModelForm):
    """A gmina's feed: the office chooses any member gmina and whether the feed is trusted; an editor adds their
    own gmina's feed, untrusted (its events arrive unpublished)."""

    url = forms.URLField(label=_("Feed address"), required=False, assume_scheme="https",
                         help_text=_("An http:// or https:// address of an iCalendar (.ics) feed; empty for a feed "
                                     "of uploaded files."))

    class Meta:
        model = EventFeed
        fields = ["unit", "name", "url", "default_category", "trusted", "active"]

    def __init__(self, *args, user: Actor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = rules.scope_of(user)
        members = Unit.objects.members().current().order_by("name")
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)  # the form field of a foreign key
        unit_field.queryset = members if scope.office else members.filter(pk__in=scope.units)
        if self.instance.pk is None and len(scope.units) == 1 and not scope.office:
            self.initial["unit"] = next(iter(scope.units))
        if not scope.office:
            del self.fields["trusted"]

    def clean_url(self) -> str:
        url = self.cleaned_data.get("url", "")
        if url:
            try:
                check_address(url)
            except FeedRefused as refusal:
                raise forms.ValidationError(refusal.problem.message(), code="address") from None
        return url


class FeedUploadForm(forms.Form):
    file = forms.FileField(label=_("iCalendar file (.ics)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(limit)s MB.") % {"limit": MAX_FEED_BYTES // (1024 * 1024)}
