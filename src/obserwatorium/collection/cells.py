"""The cells of a request grid: what was typed, what it means, and what needs the editor's confirmation.

A value needs confirmation and a comment before it is submitted when it lies outside the indicator's allowed
range (Indicator.min_value/max_value) or differs from the previous year's value by more than CHANGE_LIMIT (50 %)
of that value. The previous year's value is the one typed in the same grid when the request asks for that year
too, else the stored observation; a previous value of zero has no relative change and asks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from obserwatorium.collection import number_input
from obserwatorium.indicators.models import Indicator
from obserwatorium.numbers import format_number

CHANGE_LIMIT = 0.5

Key = tuple[int, str]  # (indicator id, period)


@dataclass
class CellInput:
    """What the form sent for one cell."""

    text: str = ""
    no_data: bool = False
    comment: str = ""
    confirmed: bool = False


@dataclass
class CellCheck:
    """One cell read: its value, the error that refuses it, the warnings that need a confirmation."""

    value: float | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.warnings)


def _refusal(reason: str) -> str:
    return {
        number_input.DOT: _("a dot is not used in numbers here; write the decimal part after a comma, e.g. "
                            "1 234,5"),
        number_input.COMMAS: _("more than one decimal comma"),
        number_input.EXPONENT: _("an exponent (such as 1e5) is not accepted; write the number in full"),
        number_input.GROUPING: _("thousands are separated by a space in groups of three digits, e.g. 1 234 567"),
        number_input.DIGITS: _("more than 15 significant digits"),
    }.get(reason, _("not a number; write it like 1 234,5"))


def cell_label(indicator: Indicator, period: str) -> str:
    """How a message names a cell: its row (the indicator) and column (the year)."""
    return _("Row %(row)s, column %(column)s") % {"row": indicator.name, "column": period}


def _number(value: float, indicator: Indicator, language: str) -> str:
    return format_number(value, language=language, decimals=max(indicator.decimals, 3), trim=True)


def check_cell(*, indicator: Indicator, cell: CellInput, previous: float | None, language: str) -> CellCheck:
    """Read one cell: the parsed value, or the error; and the warnings that need a confirmation."""
    try:
        parsed: Decimal | None = number_input.parse_number(cell.text)
    except number_input.NumberRefused as refused:
        return CellCheck(error=_refusal(refused.reason))
    if parsed is not None and cell.no_data:
        return CellCheck(error=_("a value and \"no data\" at once; keep one of them"))
    if parsed is None:
        return CellCheck()
    value = float(parsed)
    warnings = []
    low, high = indicator.min_value, indicator.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        warnings.append(_("%(value)s is outside the allowed range %(range)s") % {
            "value": _number(value, indicator, language), "range": allowed_range(indicator, language)})
    if previous is not None and previous != 0 and abs(value - previous) > CHANGE_LIMIT * abs(previous):
        change = (value - previous) / abs(previous) * 100
        warnings.append(_("%(value)s differs from last year's %(previous)s by %(change)s %%") % {
            "value": _number(value, indicator, language), "previous": _number(previous, indicator, language),
            "change": format_number(change, language=language, decimals=0, signed=True)})
    return CellCheck(value=value, warnings=warnings)


def allowed_range(indicator: Indicator, language: str) -> str:
    """The indicator's allowed range in words ("0–100", "≥ 0"), empty when it has none."""
    low, high = indicator.min_value, indicator.max_value
    if low is not None and high is not None:
        return f"{_number(low, indicator, language)}–{_number(high, indicator, language)}"
    if low is not None:
        return f"≥ {_number(low, indicator, language)}"
    if high is not None:
        return f"≤ {_number(high, indicator, language)}"
    return ""
