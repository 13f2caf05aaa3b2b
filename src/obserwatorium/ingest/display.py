"""Values of an import shown to people: numbers in the active language, flags by their names."""

from __future__ import annotations

from babel.numbers import format_decimal
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from obserwatorium.indicators.models import Flag

# Every significant digit a double holds: a preview must show the value exactly as it will be stored.
NUMBER_FORMAT = "#,##0.###############"


def format_value(value: float | None) -> str:
    """A number in the active language (`1 234,5` in Polish, `1,234.5` in English); an em dash for none."""
    if value is None:
        return "—"
    return format_decimal(value, format=NUMBER_FORMAT, locale=to_locale(get_language() or "pl"))


FLAG_NAMES = {
    Flag.FINAL: _("final"), Flag.PROVISIONAL: _("provisional"), Flag.ESTIMATED: _("estimated"),
    Flag.CONFIDENTIAL: _("confidential"), Flag.DEMO: _("demonstration"),
}


def flag_name(flag: str | None) -> str:
    """The flag's name in the active language."""
    return str(FLAG_NAMES.get(flag, flag or ""))
