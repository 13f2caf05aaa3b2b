"""The words of the observatory, each defined once: TERYT codes, indicator and other codes, group keys, periods,
colours, and the one text fold. No Django import: models, API parameters, pages, ingest and analytics use it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# The years the observatory speaks of; a year outside them is a typing mistake (years 0 or 10000 cannot even be
# dates). Every year, date and period of the API, the pages and the imports is checked against them.
MIN_YEAR = 1900
MAX_YEAR = 2100
# The years MIN_YEAR–MAX_YEAR as a regular expression (tests hold the two equal).
_YEAR_BODY = "19[0-9]{2}|20[0-9]{2}|2100"
_SLUG_CHARS = "[A-Za-z0-9_-]"  # Django's SlugField: ASCII letters, digits, hyphen and underscore


@dataclass(frozen=True)
class Term:
    """A kind of code: its regular expression, its longest length and its rule in words for error messages."""

    name: str
    body: str  # the expression without anchors; only ASCII classes, so every regex engine reads it alike
    max_length: int
    rule: str
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(self.body, re.ASCII))

    @property
    def pattern(self) -> str:
        """Anchored for JSON Schema and pydantic, whose `$` is the end of the text."""
        return f"^(?:{self.body})$"

    @property
    def validator_pattern(self) -> str:
        """Anchored for Python's `re.search` (Django's RegexValidator): `$` there also matches before a newline."""
        return rf"^(?:{self.body})\Z"

    def matches(self, value: object) -> bool:
        """Whether `value` is a text of this form."""
        return (isinstance(value, str) and len(value) <= self.max_length
                and self.regex.fullmatch(value) is not None)

    def check(self, value: str) -> str:
        """The value itself, or ValueError naming the value and the rule."""
        if not self.matches(value):
            raise ValueError(f"{quoted(value)} is not a valid {self.name} ({self.rule})")
        return value


def slug_term(name: str, max_length: int) -> Term:
    """A code kept in a Django SlugField of `max_length` characters."""
    return Term(name, f"{_SLUG_CHARS}{{1,{max_length}}}", max_length,
                f"letters, digits, '-' or '_', at most {max_length} characters")


# 7 digits: a gmina (with the type digit); 4: a powiat; 2: a voivodeship; an upper-case code: the metropolis (MK)
# and other groupings. 16 characters is the width of Unit.teryt.
TERYT = Term("TERYT code", "[0-9]{2}|[0-9]{4}|[0-9]{7}|[A-Z][A-Z0-9_-]{0,15}", 16,
             "2, 4 or 7 digits (voivodeship, powiat, gmina) or an upper-case code such as MK, at most 16 characters")
INDICATOR_CODE = slug_term("indicator code", 80)
DOMAIN_CODE = slug_term("domain code", 40)
INDEX_CODE = slug_term("index code", 80)
PEER_GROUP_CODE = slug_term("peer group code", 80)
YEAR = Term("year", _YEAR_BODY, 4, f"a year {MIN_YEAR}–{MAX_YEAR}")
PERIOD = Term("period", f"(?:{_YEAR_BODY})(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?", 7,
              f"YYYY, YYYY-Qn or YYYY-MM, years {MIN_YEAR}–{MAX_YEAR}")
GROUP_KEY = Term("group", f"members|gminy|custom|type:[a-z-]{{1,20}}|powiat:[0-9]{{4}}|group:{PEER_GROUP_CODE.body}",
                 len("group:") + PEER_GROUP_CODE.max_length,
                 "members, gminy, custom, type:TYPE, powiat:TERYT (4 digits) or group:CODE")
COLOUR = Term("colour", "#(?:[0-9a-fA-F]{3}){1,2}", 7, "#RGB or #RRGGBB")


def list_term(term: Term, limit: int) -> Term:
    """A comma-separated list of 1 to `limit` codes of `term`, as one query parameter."""
    return Term(f"list of {term.name}s", f"(?:{term.body})(?:,(?:{term.body})){{0,{limit - 1}}}",
                limit * (term.max_length + 1) - 1, f"1 to {limit} codes separated by commas, each {term.rule}")


def is_teryt(value: object) -> bool:
    """Whether `value` is a TERYT code a unit can have."""
    return TERYT.matches(value)


def is_indicator_code(value: object) -> bool:
    """Whether `value` is a well-formed indicator code."""
    return INDICATOR_CODE.matches(value)


def is_group_key(value: object) -> bool:
    """Whether `value` names a kind of group of units."""
    return GROUP_KEY.matches(value)


def is_period(value: object) -> bool:
    """Whether `value` is a period the observatory stores (YYYY, YYYY-Qn, YYYY-MM within the years)."""
    return PERIOD.matches(value)


def is_year(value: object) -> bool:
    """Whether `value` is a year within the observatory's years, written with four digits."""
    return YEAR.matches(value)


def is_colour(value: object) -> bool:
    """Whether `value` is a colour as #RGB or #RRGGBB."""
    return COLOUR.matches(value)


def parse_period(period: str) -> tuple[int, int, int]:
    """(year, first month, last month) of a period; ValueError when it is not one (see PERIOD)."""
    PERIOD.check(period)
    year = int(period[:4])
    if len(period) == 4:
        return year, 1, 12
    if period[5] == "Q":
        quarter = int(period[6])
        return year, 3 * quarter - 2, 3 * quarter
    month = int(period[5:])
    return year, month, month


# Marks that are invisible on screen but break comparisons: byte-order mark, zero-width space, direction marks,
# soft hyphen. Files from spreadsheets and text pasted into a search box both carry them.
_INVISIBLE = frozenset("\ufeff\u200b\u200e\u200f\u00ad")


def fold(text: str) -> str:
    """Text for tolerant comparison: case, Polish and other diacritics (ł → l) and invisible marks ignored."""
    # Compatibility forms first (so "ℌ" folds to "h"), then case, then once more, since case folding may
    # compose again ("İ" → "i̇"); combining marks and invisible characters go last.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch not in _INVISIBLE
                   ).replace("ł", "l")


def quoted(value: str) -> str:
    """A submitted value quoted for an error message, cut short so the message stays readable."""
    return repr(value if len(value) <= 40 else value[:40] + "…")
