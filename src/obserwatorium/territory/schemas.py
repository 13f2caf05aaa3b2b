"""Response schemas of the unit endpoints (they also document them in OpenAPI).

Plain pydantic models, not ninja.Schema: the selectors hand over dicts (see indicators/schemas.py for why).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel as Schema
from pydantic import Field


class UnitOut(Schema):
    teryt: str = Field(description="TERYT code; units whose code changed over time share it, see the validity dates.")
    name: str
    slug: str
    level: str = Field(description="gmina, powiat, voivodeship or metropolis.")
    gmina_type: str | None = Field(description="urban, rural or urban-rural (gminy only).")
    parent: str | None = Field(description="TERYT code of the parent unit.")
    membership: str = Field(description="member, partner or none.")
    member_since: date | None
    bdl_unit_id: str | None = Field(description="Unit id in Statistics Poland's Local Data Bank.")
    valid_from: date | None
    valid_to: date | None = Field(description="Empty while the unit is current.")
    area_km2: float | None
    area_source: str | None
    has_boundary: bool = Field(description="Whether /api/units/{teryt}?geometry=true returns a boundary.")


class UnitDetailOut(UnitOut):
    boundary: dict[str, Any] | None = Field(
        None, description="GeoJSON geometry (WGS84) when requested with geometry=true and known.")
