"""Reads for importing: what a file's codes may refer to, who may change what, and past imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, QuerySet

from obserwatorium.access.rules import units_editable_for_observations
from obserwatorium.indicators.models import BatchKind, ImportBatch, Indicator
from obserwatorium.territory.models import Unit
from obserwatorium.vocabulary import fold

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


@dataclass(frozen=True)
class IndicatorRef:
    id: int
    code: str
    min_value: float | None
    max_value: float | None


@dataclass
class Reference:
    """The catalogue and territory as the importer sees them."""

    unit_by_teryt: dict[str, int]
    unit_by_bdl_id: dict[str, int]
    units: dict[int, tuple[str, str]]  # id → (TERYT, name)
    editable: set[int] | None  # None: every unit
    indicators: dict[str, IndicatorRef]  # by folded code

    def unit_label(self, pk: int) -> str:
        teryt, name = self.units.get(pk, ("", str(pk)))
        return f"{name} ({teryt})"

    def indicator(self, code: str) -> IndicatorRef | None:
        return self.indicators.get(fold(code.strip()))


def import_reference(*, user: Actor | None = None, office: bool = False) -> Reference:
    """Units by TERYT and BDL id (the current unit, else the latest), indicators, and the units `user` may edit.

    `office` is the command line: the association office, allowed to change every unit.
    """
    unit_by_teryt: dict[str, int] = {}
    unit_by_bdl_id: dict[str, int] = {}
    units_by_id: dict[int, tuple[str, str]] = {}
    # Oldest first and current last, so that the current unit of a TERYT code wins.
    units = Unit.objects.order_by(F("valid_to").asc(nulls_last=True), "pk")
    for pk, teryt, bdl_id, name in units.values_list("pk", "teryt", "bdl_unit_id", "name"):
        unit_by_teryt[teryt.upper()] = pk
        if bdl_id:
            unit_by_bdl_id[bdl_id] = pk
        units_by_id[pk] = (teryt, name)
    editable = None if office else set(units_editable_for_observations(user).values_list("pk", flat=True))
    indicators = {
        fold(code): IndicatorRef(pk, code, low, high)
        for pk, code, low, high in Indicator.objects.values_list("pk", "code", "min_value", "max_value")
    }
    return Reference(unit_by_teryt, unit_by_bdl_id, units_by_id, editable, indicators)


def may_import(user: Actor) -> bool:
    """Whether the user may load observations for at least one unit."""
    return units_editable_for_observations(user).exists()


def recent_uploads(*, limit: int = 10) -> QuerySet[ImportBatch]:
    """The latest file imports, newest first."""
    return ImportBatch.objects.filter(kind=BatchKind.UPLOAD).select_related("user")[:limit]
