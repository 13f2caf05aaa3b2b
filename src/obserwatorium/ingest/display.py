"""Values of an import shown to people: numbers in the active language, flags by their names."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from django.utils.functional import Promise
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from obserwatorium.indicators.models import Flag


def format_value(value: float | None) -> str:
    """A number in the active language (`1 234,5` in Polish, `1234.5` in English); an em dash for none."""
    if value is None:
        return "—"
    language = get_language() or "pl"
    # The shortest decimal that reads back as the same double, unrounded: a preview shows what will be stored.
    # No English grouping: "1,000" reads as 1.0 under the decimal-comma rule that Polish files need.
    pattern = "#,##0.###" if language.startswith("pl") else "0.###"
    return format_decimal(Decimal(repr(float(value))), format=pattern, decimal_quantization=False,
                          locale=to_locale(language))


FLAG_NAMES: dict[str, Promise] = {
    Flag.FINAL: _("final"), Flag.PROVISIONAL: _("provisional"), Flag.ESTIMATED: _("estimated"),
    Flag.CONFIDENTIAL: _("confidential"), Flag.DEMO: _("demonstration"),
}


def flag_name(flag: str | None) -> str:
    """The flag's name in the active language."""
    return str(FLAG_NAMES.get(flag or "", flag or ""))


LAYOUT_NAMES = {"long": _("long"), "wide": _("wide")}
