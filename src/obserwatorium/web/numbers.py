"""Numbers as each language writes them (Babel/CLDR), for tables, and the matching d3 locale for charts."""

from __future__ import annotations

from babel import Locale
from babel.numbers import format_decimal

MISSING = "—"


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def format_number(value: float | None, *, decimals: int = 0, language: str = "pl", signed: bool = False) -> str:
    """`value` rounded to `decimals` places with the language's separators ("1 234,5" in Polish); "—" if None."""
    if value is None:
        return MISSING
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0,0"
    text = format_decimal(rounded, format=_pattern(decimals), locale=language)
    return ("+" + text) if signed and rounded > 0 else text


def format_stated(value: float | None, *, language: str = "pl") -> str:
    """A figure as its source states it (up to three decimals, no padding zeros), e.g. "72,03"; "—" if None."""
    return MISSING if value is None else format_decimal(value, locale=language)


def d3_locale(language: str) -> dict:
    """The number locale of Vega (d3-format) matching Babel's symbols for `language`."""
    locale = Locale.parse(language)
    symbols = locale.number_symbols["latn"] if "latn" in locale.number_symbols else locale.number_symbols
    return {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [3],
        "currency": ["", "\u00a0zł"] if language == "pl" else ["PLN\u00a0", ""],
        "minus": symbols["minusSign"],
    }
