"""Values of an import shown to people: numbers in the active language, flags by their names."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from obserwatorium.indicators.models import Flag
from obserwatorium.numbers import format_number


def format_value(value: float | None) -> str:
    """A number in the active language (`1 234,5` in Polish, `1234.5` in English); an em dash for none."""
    language = (get_language() or "pl")[:2]
    # Unrounded: a preview shows what will be stored. No English grouping: "1,000" reads as 1.0 under the
    # decimal-comma rule that Polish files need.
    return format_number(value, decimals=None, language=language, grouping=language == "pl")


FLAG_NAMES: dict[str, Promise] = {
    Flag.FINAL: _("final"), Flag.PROVISIONAL: _("provisional"), Flag.ESTIMATED: _("estimated"),
    Flag.CONFIDENTIAL: _("confidential"), Flag.DEMO: _("demonstration"),
}


def flag_name(flag: str | None) -> str:
    """The flag's name in the active language."""
    return str(FLAG_NAMES.get(flag or "", flag or ""))


LAYOUT_NAMES = {"long": _("long"), "wide": _("wide")}
