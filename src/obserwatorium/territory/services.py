"""Writes to the territory: every function is keyword-only, verb-first and one transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.db import transaction

from obserwatorium.dataversion.services import bump_data_version
from obserwatorium.territory.geo.readers import Feature, read_boundaries
from obserwatorium.territory.geo.shapes import vertex_count, web_boundaries
from obserwatorium.territory.models import Level, Unit

DEFAULT_SIMPLIFY_METRES = 100.0


@dataclass
class BoundaryReport:
    features: int
    matched: list[Unit] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (code, name) of features matching no unit
    skipped: list[str] = field(default_factory=list)
    without_boundary: list[Unit] = field(default_factory=list)
    vertices_before: int = 0
    vertices_after: int = 0
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False


def _match(code: str, units: dict[str, Unit], by_six: dict[str, list[Unit]]) -> Unit | None:
    """The current unit with this TERYT code; a 6-digit gmina code (without the type digit) if it is unambiguous."""
    digits = code.strip()
    if digits in units:
        return units[digits]
    candidates = by_six.get(digits, []) if len(digits) == 6 else []
    return candidates[0] if len(candidates) == 1 else None


def import_boundaries(*, path: Path, simplify_metres: float = DEFAULT_SIMPLIFY_METRES,
                      dry_run: bool = False) -> BoundaryReport:
    """Store simplified WGS84 boundaries of the units a PRG shapefile or GeoJSON file describes, all or nothing."""
    units = {u.teryt: u for u in Unit.objects.current()}
    by_six: dict[str, list[Unit]] = defaultdict(list)
    for unit in units.values():
        if unit.level == Level.GMINA:
            by_six[unit.teryt[:6]].append(unit)
    source = read_boundaries(path, wanted=lambda code: _match(code, units, by_six) is not None)
    report = BoundaryReport(features=len(source.features) + len(source.ignored) + len(source.skipped),
                            skipped=source.skipped, notes=source.notes, unmatched=source.ignored, dry_run=dry_run)
    parts: dict[int, list[Feature]] = defaultdict(list)
    for feature in source.features:
        matched = _match(feature.code, units, by_six)
        if matched is not None:  # read_boundaries kept only the features that match
            parts[matched.pk].append(feature)
    by_pk = {u.pk: u for u in units.values()}
    # Each level tiles the map on its own (gminy, powiaty…): simplify each as one coverage.
    levels: dict[str, list[int]] = defaultdict(list)
    for pk in parts:
        levels[by_pk[pk].level].append(pk)
    boundaries: dict[int, dict] = {}
    for pks in levels.values():
        geometries = [shapely.union_all([f.geometry for f in parts[pk]]) for pk in pks]
        report.vertices_before += vertex_count(geometries)
        shapes = web_boundaries(geometries, source=source.crs, tolerance_metres=simplify_metres)
        report.vertices_after += _count(shapes)
        boundaries.update(zip(pks, shapes, strict=True))
    report.matched = sorted((by_pk[pk] for pk in boundaries), key=lambda u: u.teryt)
    if not dry_run:
        _store_boundaries(boundaries=boundaries)
    report.without_boundary = list(Unit.objects.current().filter(level__in=list(levels), boundary__isnull=True)
                                   .exclude(pk__in=list(boundaries)).order_by("teryt"))
    return report


def _count(shapes: list[dict]) -> int:
    def walk(coordinates) -> int:
        return 1 if isinstance(coordinates[0], float) else sum(walk(c) for c in coordinates)

    return sum(walk(s["coordinates"]) for s in shapes)


@transaction.atomic
def _store_boundaries(*, boundaries: dict[int, dict]) -> None:
    for pk, geometry in boundaries.items():
        Unit.objects.filter(pk=pk).update(boundary=geometry)
    if boundaries:
        bump_data_version()  # QuerySet.update sends no model signal
