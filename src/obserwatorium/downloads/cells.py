"""One cell's text in every format: formula neutralisation (OWASP "CSV injection") and how numbers are spelled.

A text cell that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) gets a
leading apostrophe; a plain number (negative ones included) stays as it is.
"""

from __future__ import annotations

import math
import re
from typing import Any

# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(text: str) -> str:
    """Text made safe for spreadsheets: a would-be formula gets a leading apostrophe; numbers are kept."""
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def finite(value: Any) -> Any:
    """The value, or None for NaN and the infinities (which JSON and spreadsheets cannot hold)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def repr_number(value: float) -> str:
    """A float in the shortest round-trip form, '.0' kept on whole numbers (a float column reads back as float)."""
    return repr(value) if math.isfinite(value) else ""


def trimmed_number(value: float) -> str:
    """A float with '.' as the decimal mark, whole numbers without '.0', the shortest exact form otherwise."""
    if not math.isfinite(value):
        return ""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
