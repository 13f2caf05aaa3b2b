"""Counted phrases in Polish and English: plural forms by Babel's (CLDR) plural rules, numbers as each language
writes them, and stated aggregates said as such ("ponad 80 spotkań", never "80 spotkań")."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from babel import Locale
from babel.numbers import format_compact_decimal, format_decimal

PHRASEBOOK = Path(__file__).with_name("phrasebook.yaml")
LANGUAGES = ("pl", "en")


@cache
def _book() -> dict:
    with PHRASEBOOK.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def plural_category(n: float, *, language: str) -> str:
    """The CLDR plural category of `n` in the language: "one", "few", "many" or "other"."""
    return _locale(language).plural_form(n)


def format_amount(value: float, *, language: str, compact_from: float = 1000) -> str:
    """A number for prose: "2,5 tys." / "2.5 thousand" from `compact_from` up, else "1 234,5" / "1,234.5"."""
    if abs(value) >= compact_from:
        # Polish prose uses the short "tys."/"mln"; English spells "thousand"/"million" out.
        if language == "pl":
            return format_compact_decimal(value, format_type="short", locale=_locale(language), fraction_digits=1)
        return format_compact_decimal(value, format_type="long", locale=_locale(language), fraction_digits=1)
    return format_decimal(value, locale=_locale(language))


def _form(noun: str, language: str, category: str) -> str:
    forms = _book()["nouns"][noun][language]
    return forms.get(category) or forms["other"]


def count(n: float, noun: str, *, language: str, qualifier: str = "exact", compact_from: float = 1000) -> str:
    """`n` with the declared noun in its right form, e.g. count(34, "meeting", language="pl") == "34 spotkania";
    with a stated aggregate's qualifier: count(80, "meeting", language="pl", qualifier="more-than") ==
    "ponad 80 spotkań"."""
    if language not in LANGUAGES:
        raise ValueError(f"no phrases in {language!r}")
    if noun not in _book()["nouns"]:
        raise KeyError(f"no noun {noun!r} in the phrasebook")
    rule = _book()["qualifiers"][qualifier]
    number = format_amount(n, language=language, compact_from=compact_from)
    compacted = abs(n) >= compact_from
    if language == "pl" and (rule["form"] == "genitive" or compacted):
        # "tys."/"mln" and "około" take the genitive plural: "2,5 tys. spotkań", "około 80 spotkań".
        category = "genitive"
    else:
        category = plural_category(n, language=language)
    phrase = _form(noun, language, category)
    return phrase.replace("{n}", rule[language].replace("{n}", number))


def ordinal_list(items: list[str], *, language: str) -> str:
    """Items joined as prose: "A, B i C" / "A, B and C"."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    last = " i " if language == "pl" else (" and " if len(items) == 2 else ", and ")
    return ", ".join(items[:-1]) + last + items[-1]


def qualified_amount(n: float, *, language: str, qualifier: str = "exact", compact_from: float = 1000) -> str:
    """A number with its qualifier and no noun: "około 2,5 tys.", "about 2.5 thousand", "ponad 80"."""
    rule = _book()["qualifiers"][qualifier]
    return rule[language].replace("{n}", format_amount(n, language=language, compact_from=compact_from))
