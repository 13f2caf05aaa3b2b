"""Reads of territorial units: plain rows from values(), one query per list (for the API and the units list)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db.models import BooleanField, ExpressionWrapper, Q

from obserwatorium.territory.models import Unit

UNIT_FIELDS = ("id", "teryt", "name", "slug", "level", "gmina_type", "parent__teryt", "membership", "member_since",
               "bdl_unit_id", "valid_from", "valid_to", "area_km2", "area_source", "has_boundary")
# Text fields a unit may leave blank: the API says so with null.
OPTIONAL_TEXT = ("gmina_type", "bdl_unit_id", "area_source")


def _unit_row(row: dict[str, Any]) -> dict[str, Any]:
    row["parent"] = row.pop("parent__teryt")
    for field in OPTIONAL_TEXT:
        row[field] = row[field] or None
    return row


def units(*, level: str | None = None, membership: str | None = None, parent_teryt: str | None = None,
          teryt: str | None = None) -> list[dict[str, Any]]:
    """Territorial units (every validity version) as rows, ordered by TERYT code."""
    query = Unit.objects.annotate(
        has_boundary=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField()))
    if level:
        query = query.filter(level=level)
    if membership:
        query = query.filter(membership=membership)
    if parent_teryt:
        query = query.filter(parent__teryt=parent_teryt)
    if teryt:
        query = query.filter(teryt=teryt)
    return [_unit_row(row) for row in query.order_by("teryt", "id").values(*UNIT_FIELDS)]


def unit(teryt: str, *, geometry: bool = False) -> dict[str, Any] | None:
    """The current version of the unit with this code (or its latest one), optionally with its boundary."""
    versions = units(teryt=teryt)
    if not versions:
        return None
    current = [row for row in versions if row["valid_to"] is None]
    row = current[0] if current else max(versions, key=lambda r: r["valid_to"])
    row["boundary"] = None
    if geometry and row["has_boundary"]:
        row["boundary"] = Unit.objects.filter(pk=row["id"]).values_list("boundary", flat=True).first()
    return row


def unit_ids_by_teryt(codes: Sequence[str]) -> dict[str, list[int]]:
    """Every unit id (all validity versions) for each known TERYT code."""
    found: dict[str, list[int]] = {}
    for teryt, pk in Unit.objects.filter(teryt__in=list(codes)).values_list("teryt", "id"):
        found.setdefault(teryt, []).append(pk)
    return found


class ListedGmina(NamedTuple):
    """A member gmina as the units list orders and filters it, before it reads the units of one page."""

    pk: int
    name: str
    gmina_type: str
    powiat_teryt: str  # "" without a powiat
    powiat: str


def member_listing() -> list[ListedGmina]:
    """Every current member gmina as a short row (no boundary, no object), in ONE query, by TERYT code."""
    rows = Unit.objects.members().current().order_by("teryt").values_list(
        "pk", "name", "gmina_type", "parent__teryt", "parent__name")
    return [ListedGmina(pk, name, kind, powiat_teryt or "", powiat or "")
            for pk, name, kind, powiat_teryt, powiat in rows]


def units_in_order(ids: Sequence[int]) -> list[Unit]:
    """The units with these ids, in this order, each with its parent, in ONE query (none without ids); their
    boundaries are not read (a list does not draw them)."""
    if not ids:
        return []
    found = Unit.objects.filter(pk__in=list(ids)).select_related("parent").defer("boundary", "parent__boundary")
    by_id = {unit.pk: unit for unit in found}
    return [by_id[pk] for pk in ids if pk in by_id]
