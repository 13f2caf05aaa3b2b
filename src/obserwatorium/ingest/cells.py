"""How the cells of an import file are read: numbers with decimal commas, periods, flags, unit codes, headers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl
import yaml

from obserwatorium.vocabulary import MAX_YEAR, MIN_YEAR, fold

VOCABULARY_FILE = Path(__file__).resolve().parent / "vocabulary.yaml"

# Periods the observatory stores: YYYY, YYYY-Qn, YYYY-MM; years outside the vocabulary's are typing errors.
_YEAR = re.compile(r"^(\d{4})(?:[.,]0+)?$")
_QUARTER = (re.compile(r"^(\d{4})\s*[-/ ]?\s*[Qq]\s*([1-4])$"), re.compile(r"^[Qq]\s*([1-4])\s*[-/ ]?\s*(\d{4})$"))
_MONTH = (re.compile(r"^(\d{4})[-/.](\d{1,2})$"), re.compile(r"^(\d{1,2})[-/.](\d{4})$"))

# A dot thousands mark needs a comma decimal part or two groups ("1.234" alone is one point two three four);
# likewise a comma thousands mark needs a dot decimal part or two groups ("1,5" is one and a half).
_DOT_THOUSANDS = r"^[+-]?\d{1,3}(\.\d{3})+,\d*$|^[+-]?\d{1,3}(\.\d{3}){2,}$"
_COMMA_THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+\.\d*$|^[+-]?\d{1,3}(,\d{3}){2,}$"
_UNIT_MARK = re.compile(r"\[[^\]]*\]|\([^)]*\)")


@cache
def vocabulary() -> dict:
    """The header words, flag names and no-value markers of vocabulary.yaml."""
    with VOCABULARY_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def normalize_header(text: str) -> str:
    """A header as compared with the vocabulary: folded, units in brackets removed, punctuation as spaces."""
    folded = fold(_UNIT_MARK.sub(" ", text.strip().strip('"')))
    return " ".join(re.sub(r"[_\-./:;|]+", " ", folded).split())


def header_tokens(text: str) -> list[str]:
    """The parts of a header such as `ogółem;2010;[osoba]` (BDL) or `2010 [osoba]`."""
    return [token for token in re.split(r"[;|\s]+", _UNIT_MARK.sub(" ", text)) if token]


def header_units(text: str) -> list[str]:
    """Units of measure written in square brackets in a header, e.g. `[osoba]`."""
    return re.findall(r"\[([^\]]*)\]", text)


def parse_period(text: str) -> str | None:
    """`2020`, `2020-Q1`/`Q1 2020`/`2020Q1`, `2020-03`/`03.2020` → `2020`, `2020-Q1`, `2020-03`; else None."""
    text = text.strip()
    if match := _YEAR.match(text):
        year = int(match[1])
        return f"{year}" if MIN_YEAR <= year <= MAX_YEAR else None
    for pattern, year_group in ((_QUARTER[0], 1), (_QUARTER[1], 2)):
        if match := pattern.match(text):
            year, quarter = int(match[year_group]), match[3 - year_group]
            return f"{year}-Q{quarter}" if MIN_YEAR <= year <= MAX_YEAR else None
    for pattern, year_group in ((_MONTH[0], 1), (_MONTH[1], 2)):
        if match := pattern.match(text):
            year, month = int(match[year_group]), int(match[3 - year_group])
            return f"{year}-{month:02d}" if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 else None
    return None


def period_in_header(text: str) -> str | None:
    """The one period a wide-format header names (`2010`, `ogółem;2010;[osoba]`, `2020-Q1`), else None."""
    whole = parse_period(_UNIT_MARK.sub(" ", text))
    if whole:
        return whole
    found = {period for token in header_tokens(text) if (period := parse_period(token))}
    return found.pop() if len(found) == 1 else None


@cache
def _flag_words() -> dict[str, str]:
    return {fold(word): flag for flag, words in vocabulary()["flags"].items() for word in [flag, *words]}


def parse_flag(text: str) -> str | None:
    """A flag code from its code, English or Polish name or SDMX letter (any case); None when unknown."""
    return _flag_words().get(" ".join(fold(text).split()))


def is_no_value(text: str) -> bool:
    """An empty cell or a Statistics Poland no-value sign (`-`, `.`, `x`)."""
    text = text.strip()
    return not text or text in vocabulary()["no_value_markers"]


@dataclass(frozen=True)
class UnitCode:
    """What a unit cell names: a TERYT code, or a 12-character BDL unit id."""

    kind: str  # "teryt" or "bdl"
    code: str


def parse_unit_code(text: str) -> UnitCode | None:
    """Read a TERYT code or BDL unit id, restoring a leading zero a spreadsheet stripped; None when blank."""
    code = "".join(text.split()).upper()
    if code.endswith(".0") and code[:-2].isdigit():  # a code typed as a number in a spreadsheet
        code = code[:-2]
    if not code:
        return None
    if not code.isdigit():
        return UnitCode("teryt", code)
    if len(code) in (11, 12):
        return UnitCode("bdl", code.zfill(12))
    if len(code) in (6, 7):
        code = code.zfill(7)
        # Statistics Poland writes a powiat as PPPP000 and a voivodeship as WW00000 in 7-digit columns.
        if code.endswith("00000"):
            return UnitCode("teryt", code[:2])
        if code.endswith("000"):
            return UnitCode("teryt", code[:4])
        return UnitCode("teryt", code)
    if len(code) in (1, 3):
        return UnitCode("teryt", code.zfill(len(code) + 1))
    return UnitCode("teryt", code)


def teryt_from_bdl_id(bdl_id: str) -> str:
    """The TERYT code a 12-character BDL unit id encodes: id[2:4] + id[7:9] + id[9:11] + id[11]."""
    if bdl_id[4:] == "00000000":
        return bdl_id[2:4]
    if bdl_id[9:] == "000":
        return bdl_id[2:4] + bdl_id[7:9]
    return bdl_id[2:4] + bdl_id[7:9] + bdl_id[9:11] + bdl_id[11]


def number_expression(column: str) -> pl.Expr:
    """Parse a text column into Float64 (null when not a finite number): decimal commas, spaced thousands."""
    text = (pl.col(column).fill_null("").str.replace_all(r"\s", "")
            .str.replace_all("\u2212", "-", literal=True))
    normalized = (
        pl.when(text.str.contains(_DOT_THOUSANDS))
        .then(text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(text.str.contains(_COMMA_THOUSANDS))
        .then(text.str.replace_all(",", "", literal=True))
        .otherwise(text.str.replace(",", ".", literal=True))
    )
    # Only digits, signs, one decimal point and an exponent: keeps "inf", "nan" and hex out of the cast.
    plain = normalized.str.contains(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
    number = normalized.cast(pl.Float64, strict=False)
    return pl.when(plain & number.is_finite()).then(number).otherwise(None)


def parse_number(text: str) -> float | None:
    """One cell through the same rules as number_expression."""
    return pl.DataFrame({"v": [text]}).select(number_expression("v"))["v"][0]
