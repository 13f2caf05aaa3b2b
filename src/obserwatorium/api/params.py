"""Query parameters of the observatory API: bounded, validated, and explained in clear 422 messages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import AfterValidator, JsonValue, field_validator

from obserwatorium.indicators.models import Flag
from obserwatorium.indicators.periods import period_bounds
from obserwatorium.territory.models import Level, Membership
from obserwatorium.vocabulary import DOMAIN_CODE, INDICATOR_CODE, MAX_YEAR, MIN_YEAR, PERIOD, TERYT, Term, quoted

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


class UnitFilters(Schema):
    level: Level | None = Field(None, description="Only units of this level.")
    membership: Membership | None = Field(None, description="Only units with this membership status.")
    parent: str | None = Field(None, json_schema_extra={"pattern": TERYT.pattern, "maxLength": TERYT.max_length},
                               description=f"TERYT code of the parent unit ({TERYT.rule}).")

    _parent = field_validator("parent")(check_teryt)


class IndicatorFilters(Schema):
    domain: str | None = Field(None, json_schema_extra={"pattern": DOMAIN_CODE.pattern,
                                                        "maxLength": DOMAIN_CODE.max_length},
                               description="Domain code, e.g. `economy`.")
    headline: bool | None = Field(None, description="Only headline indicators (true) or only the others (false).")
    q: str | None = Field(None, max_length=MAX_SEARCH,
                          description="Words to find in the code or the Polish or English name "
                                      "(case and diacritics ignored).")

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str | None) -> str | None:
        return DOMAIN_CODE.check(value) if value else None

    @field_validator("q")
    @classmethod
    def _search(cls, value: str | None) -> str | None:
        if value and any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF for ch in value):
            raise ValueError("the search text may not contain control characters")
        return value.strip() or None if value else None


class ObservationFilters(Schema):
    indicator: list[str] = Field(
        default_factory=list,
        description=f"Indicator code(s): repeat the parameter or separate by commas; at most {MAX_INDICATORS}.",
    )
    unit: list[str] = Field(
        default_factory=list,
        description=f"TERYT code(s) of units: repeat or separate by commas; at most {MAX_UNITS}. "
                    "Omit for every unit.",
    )
    period_from: str | None = Field(None, json_schema_extra=PERIOD_SCHEMA,
                                    description=f"First period, inclusive ({PERIOD.rule}).")
    period_to: str | None = Field(None, json_schema_extra=PERIOD_SCHEMA,
                                  description=f"Last period, inclusive ({PERIOD.rule}); a year includes its "
                                              "quarters and months.")
    flag: list[Flag] = Field(default_factory=list, description="Only values with these flag(s).")

    _indicators = field_validator("indicator", mode="before")(indicator_codes)
    _units = field_validator("unit", mode="before")(teryt_codes)

    @field_validator("flag", mode="before")
    @classmethod
    def _flags(cls, value: list[str] | str | None) -> list[str]:
        return split_codes(value)

    _period_from = field_validator("period_from")(check_period)
    _period_to = field_validator("period_to")(check_period)

    def check_range(self) -> None:
        """A range that ends before it starts is a mistake worth naming, not an empty answer."""
        if not (self.period_from and self.period_to):
            return
        if period_bounds(self.period_from)[0] > period_bounds(self.period_to)[1]:
            raise ValidationError([{"type": "period_range", "loc": ["query", "period_from"],
                                    "msg": f"period_from {self.period_from} is after period_to {self.period_to}"}])


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(1000, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}.")


class RevisionFilters(Schema):
    indicator: list[str] = Field(default_factory=list, description="Indicator code(s).")
    unit: list[str] = Field(default_factory=list, description="TERYT code(s) of units.")
    period: str | None = Field(None, json_schema_extra=PERIOD_SCHEMA,
                               description=f"One period ({PERIOD.rule}).")

    _indicators = field_validator("indicator", mode="before")(indicator_codes)
    _units = field_validator("unit", mode="before")(teryt_codes)
    _period = field_validator("period")(check_period)
