"""Which territorial unit a BDL unit id denotes: confirmed by the territory table, the mapping table or /units;
never guessed from the code alone."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from obserwatorium.ingest.bdl.payloads import BDL_ID, is_gmina_id, teryt_from_bdl_id
from obserwatorium.ingest.models import BdlUnit, Confirmation
from obserwatorium.territory.models import Unit

OUTSIDE = "outside"  # the code's TERYT is not in the territory table
UNCONFIRMED = "unconfirmed"  # the TERYT is ours, but nothing confirms that this id denotes that unit
MALFORMED = "malformed"  # not a 12-digit BDL id


@dataclass(frozen=True)
class Confirmed:
    bdl_unit_id: str
    unit: Unit
    name: str
    confirmed_by: str


@dataclass(frozen=True)
class Unmapped:
    bdl_unit_id: str
    name: str
    reason: str
    teryt: str = ""
    note: str = ""

    def describe(self) -> str:
        """One line for the report."""
        teryt = f" (TERYT {self.teryt})" if self.teryt else ""
        return f"{self.bdl_unit_id} {self.name}{teryt}: {self.note or self.reason}"


def comparable_name(name: str) -> str:
    """A unit name reduced for comparison: no type suffix like ' (2)', case and spacing ignored."""
    name = re.sub(r"\s*\(\d\)\s*$", "", name)
    name = re.sub(r"\s*-\s*", "-", name)
    return " ".join(name.casefold().split())


class UnitResolver:
    """Maps BDL ids to the gminy in scope; remembers confirmations not yet kept in the mapping table."""

    def __init__(self, scope: Iterable[Unit]) -> None:
        self.by_teryt = {unit.teryt: unit for unit in scope}
        self.confirmed: dict[str, Confirmed] = {}
        for unit in self.by_teryt.values():
            if unit.bdl_unit_id:
                self.confirmed[unit.bdl_unit_id] = Confirmed(unit.bdl_unit_id, unit, unit.name, Confirmation.TERRITORY)
        stored = BdlUnit.objects.filter(unit__in=list(self.by_teryt.values())).select_related("unit")
        self.recorded = set()
        for row in stored:
            self.confirmed[row.bdl_unit_id] = Confirmed(row.bdl_unit_id, row.unit, row.name, row.confirmed_by)
            self.recorded.add(row.bdl_unit_id)
        self.used: set[str] = set()
        self.conflicts: dict[str, Unmapped] = {}

    def confirm_from_lookup(self, units: Iterable[dict]) -> None:
        """Accept ids that /units lists with the TERYT code and the name of a gmina in scope."""
        for item in units:
            bdl_id, name = item["id"], item["name"]
            if item.get("level") != 6 or not is_gmina_id(bdl_id):
                continue
            if bdl_id in self.confirmed:
                self.used.add(bdl_id)
                continue
            unit = self.by_teryt.get(teryt_from_bdl_id(bdl_id))
            if unit is None:
                continue
            if comparable_name(name) == comparable_name(unit.name):
                self.confirmed[bdl_id] = Confirmed(bdl_id, unit, name, Confirmation.UNITS_LOOKUP)
                self.used.add(bdl_id)
            else:
                self.conflicts[bdl_id] = Unmapped(
                    bdl_id, name, UNCONFIRMED, unit.teryt,
                    f"its TERYT code is that of {unit.name}, but /units names it {name!r}; confirm it in the "
                    "admin (BDL unit ids) if it is the same gmina")

    def resolve(self, bdl_id: str, name: str) -> Unit | Unmapped | None:
        """The unit this id denotes; None for parts of gminy (town or rural area); Unmapped otherwise."""
        if bdl_id in self.confirmed:
            self.used.add(bdl_id)
            return self.confirmed[bdl_id].unit
        if not BDL_ID.match(bdl_id):
            return Unmapped(bdl_id, name, MALFORMED, note="not a 12-digit BDL unit id")
        if not is_gmina_id(bdl_id):
            return None
        teryt = teryt_from_bdl_id(bdl_id)
        if bdl_id in self.conflicts:
            return self.conflicts[bdl_id]
        unit = self.by_teryt.get(teryt)
        if unit is None:
            return Unmapped(bdl_id, name, OUTSIDE, teryt, "not in the territory table")
        recorded = f"; its recorded BDL id is {unit.bdl_unit_id}" if unit.bdl_unit_id else ""
        return Unmapped(bdl_id, name, UNCONFIRMED, teryt,
                        f"its TERYT code is that of {unit.name}{recorded}, but neither the territory table, the "
                        "mapping table nor /units confirms this id; values skipped")

    def unrecorded(self) -> list[Confirmed]:
        """Confirmed ids in use that the mapping table does not hold yet."""
        return [self.confirmed[i] for i in sorted(self.used - self.recorded)]

    def mark_recorded(self, entries: Iterable[Confirmed]) -> None:
        self.recorded.update(entry.bdl_unit_id for entry in entries)
