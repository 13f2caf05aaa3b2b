"""Numbers as each language writes them (Babel/CLDR), for pages, reports and the CLI, and the matching d3 locale
for charts. No Django: the caller names the language.

Rounding is half away from zero on the value's exact binary value, as d3-format (JavaScript's toFixed) rounds
in the charts, so a table and its chart show the same figure.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

MISSING = "—"


@lru_cache(maxsize=64)
def _pattern(decimals: int, trim: bool, grouping: bool) -> NumberPattern:
    # Parsed once: a page formats hundreds of numbers and parsing dominates Babel's cost.
    fraction = ("#" if trim else "0") * decimals
    return parse_pattern(("#,##0" if grouping else "0") + ("." + fraction if fraction else ""))


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def _exact(value: float | Decimal | int) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value) if isinstance(value, int) else Decimal(float(value))


def format_number(value: float | Decimal | int | None, *, language: str = "pl", decimals: int | None = 0,
                  trim: bool = False, signed: bool = False, grouping: bool = True) -> str:
    """`value` with the language's separators ("1 234,5" in Polish, "1,234.5" in English); "—" if None.

    `decimals` places (rounded), or with `trim` at most that many (no padding zeros: "72,03", "1"); `decimals=None`
    keeps every digit the value has, unrounded (the shortest form that reads back as the same number).
    `signed` puts "+" before a positive result; `grouping=False` leaves out the thousands separator.
    """
    if value is None or value != value:  # None or NaN
        return MISSING
    if decimals is None:
        exact = Decimal(repr(float(value))) if not isinstance(value, Decimal | int) else Decimal(value)
        return _pattern(3, True, grouping).apply(exact, _locale(language), decimal_quantization=False)
    number = _exact(value)
    if number.is_finite():
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        if number == 0:
            number = abs(number)  # no "-0,0"
    text = _pattern(decimals, trim, grouping).apply(number, _locale(language))
    return ("+" + text) if signed and number > 0 else text


def number_formatter(*, language: str = "pl", decimals: int = 0, trim: bool = False) -> Callable[[float | None], str]:
    """`format_number` with these settings, bound once: the same text for every value, at a fraction of the cost
    (for a table of thousands of rows). The locale's symbols are looked up here, not per value."""
    symbols = _symbols(language)
    places = Decimal(1).scaleb(-decimals)
    spec = f",.{decimals}f"
    plain = symbols == (",", ".", "-")

    def formatted(value: float | None) -> str:
        if value is None or value != value:  # None or NaN
            return MISSING
        number = _exact(value)
        if not number.is_finite():
            return format_number(value, language=language, decimals=decimals, trim=trim)
        number = number.quantize(places, rounding=ROUND_HALF_UP)
        if number == 0:
            number = abs(number)  # no "-0,0"
        text = format(number, spec)
        if trim and decimals:
            text = text.rstrip("0").rstrip(".")
        if plain:
            return text
        group, decimal, minus = symbols
        return text.translate({ord(","): group, ord("."): decimal, ord("-"): minus})

    return formatted


@lru_cache(maxsize=8)
def _symbols(language: str) -> tuple[str, str, str]:
    """(group, decimal, minus) of `language`, as Babel writes them."""
    locale = _locale(language)
    found = locale.number_symbols["latn"] if "latn" in locale.number_symbols else locale.number_symbols
    return found["group"], found["decimal"], found["minusSign"]


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
