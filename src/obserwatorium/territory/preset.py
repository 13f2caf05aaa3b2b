"""Load a preset's territorial units (units.csv); idempotent."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from obserwatorium.territory.models import Unit


class UnitRow(BaseModel):
    """A row of units.csv."""

    model_config = ConfigDict(extra="forbid")
    teryt: str
    name: str
    slug: str
    level: str
    gmina_type: str
    parent: str
    membership: str
    member_since: date | None = None
    bdl_unit_id: str
    grid_row: int | None = None
    grid_col: int | None = None
    area_km2: float | None = None
    area_source: str

    @field_validator("member_since", "grid_row", "grid_col", "area_km2", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value


def _blank_none(value: str) -> str | None:
    return value if value != "" else None


def load_units(*, preset: str, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Create or update the preset's units, parents listed before their children; count them."""
    units: dict[str, Unit] = {}
    for row in rows:
        parent = units.get(row["parent"]) if row["parent"] else None
        unit, _ = Unit.objects.update_or_create(
            teryt=row["teryt"], valid_to=None,
            defaults={
                "name": row["name"], "slug": row["slug"], "level": row["level"],
                "gmina_type": row["gmina_type"], "parent": parent, "membership": row["membership"],
                "member_since": date.fromisoformat(row["member_since"]) if row["member_since"] else None,
                "bdl_unit_id": row["bdl_unit_id"],
                "grid_row": _blank_none(row["grid_row"]), "grid_col": _blank_none(row["grid_col"]),
                "area_km2": _blank_none(row["area_km2"]), "area_source": row["area_source"],
            },
        )
        units[unit.teryt] = unit
    return {"units": len(units)}
