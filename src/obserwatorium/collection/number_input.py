"""Numbers as a Polish official types them into the request grid: decimal comma, spaces as thousands marks.

No Django: the caller turns a refusal into the message that names the cell. The rules (docs/collection.md):

- accepted: an optional sign ("-", "+" or the minus sign U+2212), digits, optionally grouped in threes by a space,
  a no-break space (U+00A0) or a narrow no-break space (U+202F) — one kind of mark in one number —, and an
  optional decimal comma followed by at least one digit: "1 234,5", "1234,5", "-3", "0,25", "1 234 567";
- refused: a dot anywhere ("1.234,5.6", "1.5": in Polish a dot is a thousands mark to some and a decimal point to
  others, so the grid asks for the comma instead of guessing), two commas ("12,3,4"), groups not of three
  ("12 34"), letters ("abc"), exponents ("1e5": nobody types a statistic that way; it is a slip), more than 15
  significant digits (a float would change them).
"""

from __future__ import annotations

import re
from decimal import Decimal

_SPACES = " \u00a0\u202f"
_NUMBER = re.compile(r"^(?P<sign>[-+\u2212]?)(?P<int>\d+|\d{1,3}(?:(?P<sep>[ \u00a0\u202f])\d{3})(?:(?P=sep)\d{3})*)"
                     r"(?:,(?P<frac>\d+))?$")
MAX_DIGITS = 15


class NumberRefused(ValueError):
    """The text is not a number in the grid's notation; `reason` says why in a few words (English, translated
    by the caller: one of REASONS)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# The reasons a text is refused, as keys the caller translates.
DOT = "dot"
COMMAS = "commas"
EXPONENT = "exponent"
GROUPING = "grouping"
DIGITS = "digits"
NOT_A_NUMBER = "not-a-number"
REASONS = (DOT, COMMAS, EXPONENT, GROUPING, DIGITS, NOT_A_NUMBER)


def parse_number(text: str) -> Decimal | None:
    """The number the text writes, or None when it is blank; NumberRefused when it is not a number."""
    stripped = text.strip(_SPACES + "\t\r\n")
    if not stripped:
        return None
    match = _NUMBER.match(stripped)
    if match is None:
        raise NumberRefused(_reason(stripped))
    digits = (match["int"] + (match["frac"] or "")).translate({ord(c): None for c in _SPACES})
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise NumberRefused(DIGITS)
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    integer = match["int"].translate({ord(c): None for c in _SPACES})
    value: Decimal = Decimal(f"{sign}{integer}.{match['frac']}" if match["frac"] else f"{sign}{integer}")
    return value if value != 0 else abs(value)


def _reason(text: str) -> str:
    if "." in text:
        return DOT
    if text.count(",") > 1:
        return COMMAS
    if re.fullmatch(r"[-+\u2212]?[\d,]+[eE][-+]?\d+", text):
        return EXPONENT
    if re.fullmatch(r"[-+\u2212]?[\d \u00a0\u202f]+(,\d+)?", text):
        return GROUPING
    return NOT_A_NUMBER
