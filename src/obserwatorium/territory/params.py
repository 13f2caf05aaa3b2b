"""Query parameters of the units API (the shared rules and limits are in `api/params.py`)."""

from __future__ import annotations

from ninja import Field, Schema
from pydantic import field_validator

from obserwatorium.api.params import check_teryt
from obserwatorium.territory.models import Level, Membership
from obserwatorium.vocabulary import TERYT


class UnitFilters(Schema):
    level: Level | None = Field(None, description="Only units of this level.")
    membership: Membership | None = Field(None, description="Only units with this membership status.")
    parent: str | None = Field(None, json_schema_extra={"pattern": TERYT.pattern, "maxLength": TERYT.max_length},
                               description=f"TERYT code of the parent unit ({TERYT.rule}).")

    _parent = field_validator("parent")(check_teryt)
