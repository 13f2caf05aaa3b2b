"""The short mark a value's flag shows beside it (a unit's or a group's), the same on every page."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import pgettext_lazy

from obserwatorium.indicators.models import Flag

FLAG_MARKS: dict[str, Promise] = {
    Flag.DEMO: pgettext_lazy("flag mark", "demo"),
    Flag.PROVISIONAL: pgettext_lazy("flag mark", "prov."),
    Flag.ESTIMATED: pgettext_lazy("flag mark", "est."),
    Flag.CONFIDENTIAL: pgettext_lazy("flag mark", "conf."),
}


def flag_mark(flag: str | None, value: float | None = 0.0) -> SafeString | str:
    """The mark of a non-final flag beside a shown value, as HTML; nothing for a final or a missing value."""
    if value is None or flag not in FLAG_MARKS:
        return ""
    return format_html(' <abbr class="flag flag-{}" title="{}">{}</abbr>', flag, Flag(flag).label, FLAG_MARKS[flag])
