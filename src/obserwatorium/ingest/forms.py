"""The upload form: a file, the indicator of files that name none, the default flag and the provenance."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from obserwatorium.indicators.models import Flag
from obserwatorium.indicators.selectors import catalogue
from obserwatorium.ingest.display import FLAG_NAMES

# The site's one request body limit (OBS_MAX_UPLOAD_MB), checked again here to name the file.
MAX_UPLOAD_MB = settings.MAX_REQUEST_BODY // (1024 * 1024)


def _indicator_choices() -> list:
    groups: dict[str, list[tuple[str, str]]] = {}
    for indicator in catalogue():
        groups.setdefault(indicator.domain.name, []).append((indicator.code, f"{indicator.name} ({indicator.code})"))
    return [("", _("— the file names the indicator —")), *groups.items()]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or Windows-1250, separated by semicolons or commas), XLSX, XLS or ODS; long "
                    "(one value per row) or wide (one column per year, as Statistics Poland exports it); at most "
                    "%(size)s MB.") % {"size": MAX_UPLOAD_MB},
    )
    indicator = forms.ChoiceField(
        label=_("Indicator"), required=False,
        help_text=_("Needed when the file has no indicator column, e.g. a table exported from the Local Data "
                    "Bank."),
    )
    flag = forms.ChoiceField(
        label=_("Flag of rows without one"), initial=Flag.FINAL,
        choices=[(flag, name) for flag, name in FLAG_NAMES.items() if flag != Flag.DEMO],
    )
    source = forms.CharField(
        label=_("Source"), required=False, max_length=500,
        help_text=_("Producer and title of the data, e.g. “GUS BDL, table RYNE_1944, downloaded 2025-06-16”."),
    )
    url = forms.URLField(label=_("Source address"), required=False, max_length=500, assume_scheme="https",
                         help_text=_("Where the data was retrieved from, e.g. https://bdl.stat.gov.pl/…"))
    retrieved = forms.DateField(label=_("Retrieved on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                help_text=_("The day the data was downloaded (YYYY-MM-DD)."))
    licence = forms.CharField(label=_("Licence"), required=False, max_length=200,
                              help_text=_("The data's licence, e.g. CC-BY-4.0."))
    sheet = forms.CharField(label=_("Sheet"), required=False, max_length=100,
                            help_text=_("For workbooks: the sheet to read; the first one when empty."))
    skip_empty = forms.BooleanField(
        label=_("Skip empty value cells"), required=False,
        help_text=_("Otherwise an empty value is a problem of its row; a no-value sign (-, ., x) is always skipped."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = _indicator_choices()

    def clean_retrieved(self):
        day = self.cleaned_data["retrieved"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The day of retrieval cannot be in the future."))
        return day

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_REQUEST_BODY:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_MB})
        return upload
