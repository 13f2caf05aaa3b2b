"""Query parameters of the catalogue, observations and revisions API (shared rules and limits: `api/params.py`)."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.errors import ValidationError
from pydantic import field_validator

from obserwatorium.api.params import (
    MAX_INDICATORS,
    MAX_SEARCH,
    MAX_UNITS,
    PERIOD_SCHEMA,
    check_period,
    indicator_codes,
    split_codes,
    teryt_codes,
)
from obserwatorium.indicators.models import Flag
from obserwatorium.indicators.periods import period_bounds
from obserwatorium.vocabulary import DOMAIN_CODE, PERIOD


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


class RevisionFilters(Schema):
    indicator: list[str] = Field(default_factory=list, description="Indicator code(s).")
    unit: list[str] = Field(default_factory=list, description="TERYT code(s) of units.")
    period: str | None = Field(None, json_schema_extra=PERIOD_SCHEMA,
                               description=f"One period ({PERIOD.rule}).")

    _indicators = field_validator("indicator", mode="before")(indicator_codes)
    _units = field_validator("unit", mode="before")(teryt_codes)
    _period = field_validator("period")(check_period)
