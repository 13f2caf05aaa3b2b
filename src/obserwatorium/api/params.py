"""Query parameters of the observatory API: bounded, validated, and explained in clear 422 messages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import AfterValidator, JsonValue

from obserwatorium.vocabulary import INDICATOR_CODE, MAX_YEAR, MIN_YEAR, PERIOD, TERYT, Term, quoted

MAX_INDICATORS = 100
MAX_UNITS = 500
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 10_000
MAX_SEARCH = 100

# Record ids are 64-bit: a larger number cannot name a row and overflows the database driver.
MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1


def _in_years(value: date) -> date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"{value.isoformat()} is outside the years {MIN_YEAR}–{MAX_YEAR}")
    return value


RecordId = Annotated[int, Field(ge=1, le=MAX_ID, description="Id of a record.")]
Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
Number = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
Day = Annotated[date, AfterValidator(_in_years), Field(description=f"A date in the years {MIN_YEAR}–{MAX_YEAR}.")]
Moment = Annotated[datetime, AfterValidator(_in_years),
                   Field(description=f"A date and time in the years {MIN_YEAR}–{MAX_YEAR}.")]

# The period fields declare the form in the schema; the validator checks it, so a bad value gets the rule in words.
PERIOD_SCHEMA: dict[str, JsonValue] = {"pattern": PERIOD.pattern, "maxLength": PERIOD.max_length}


def split_codes(values: list[str] | str | None) -> list[str]:
    """Repeated parameters and comma-separated lists both work; blanks are dropped, order kept, no repeats."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    codes: list[str] = []
    for value in values:
        for code in str(value).split(","):
            code = code.strip()
            if code and code not in codes:
                codes.append(code)
    return codes


def check_codes(codes: list[str], *, term: Term, limit: int) -> list[str]:
    """Refuse too many codes or a malformed one, naming it."""
    if len(codes) > limit:
        raise ValueError(f"at most {limit} {term.name}s per request, got {len(codes)}")
    for code in codes:
        term.check(code)
    return codes


def indicator_codes(value: list[str] | str | None) -> list[str]:
    return check_codes(split_codes(value), term=INDICATOR_CODE, limit=MAX_INDICATORS)


def teryt_codes(value: list[str] | str | None) -> list[str]:
    return check_codes(split_codes(value), term=TERYT, limit=MAX_UNITS)


def check_period(value: str | None) -> str | None:
    return PERIOD.check(value) if value else None


def check_teryt(value: str | None) -> str | None:
    return TERYT.check(value) if value else None


def check_path_code(value: str, *, name: str, term: Term) -> str:
    """A code taken from the URL path, or a 422 explaining its form."""
    if not term.matches(value):
        raise ValidationError([{"type": "value_error", "loc": ["path", name],
                                "msg": f"{quoted(value)} is not a valid {name} ({term.rule})"}])
    return value


def unknown_codes(*, name: str, what: str, codes: list[str]) -> ValidationError:
    """A 422 naming every code that is well formed but not in the database."""
    listed = ", ".join(codes)
    return ValidationError([{"type": "unknown_code", "loc": ["query", name], "msg": f"unknown {what}: {listed}"}])


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(1000, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}.")
