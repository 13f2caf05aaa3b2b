"""Numbers as each language writes them (Babel/CLDR), for tables, and the matching d3 locale for charts."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, format_decimal, parse_pattern

MISSING = "—"


@lru_cache(maxsize=32)
def _pattern(decimals: int) -> NumberPattern:
    # Parsed once: a page formats hundreds of numbers and parsing dominates Babel's cost.
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def format_number(value: float | None, *, decimals: int = 0, language: str = "pl", signed: bool = False) -> str:
    """`value` rounded to `decimals` places with the language's separators ("1 234,5" in Polish); "—" if None."""
    if value is None:
        return MISSING
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0,0"
    text = _pattern(decimals).apply(rounded, _locale(language))
    return ("+" + text) if signed and rounded > 0 else text


def format_stated(value: float | None, *, language: str = "pl") -> str:
    """A figure as its source states it (up to three decimals, no padding zeros), e.g. "72,03"; "—" if None."""
    return MISSING if value is None else format_decimal(value, locale=_locale(language))


def d3_locale(language: str) -> dict:
    """The number locale of Vega (d3-format) matching Babel's symbols for `language`."""
    locale = _locale(language)
    symbols = locale.number_symbols["latn"] if "latn" in locale.number_symbols else locale.number_symbols
    return {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [3],
        "currency": ["", "\u00a0zł"] if language == "pl" else ["PLN\u00a0", ""],
        "minus": symbols["minusSign"],
    }
