"""`obserwatorium geo import FILE`: official boundaries (PRG shapefile or GeoJSON) into the territorial units."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from obserwatorium.territory.geo.readers import BoundaryFileError
from obserwatorium.territory.services import DEFAULT_SIMPLIFY_METRES, import_boundaries

LISTED = 15


class Command(BaseCommand):
    help = ("Import boundaries: `geo import FILE` reads a PRG shapefile (.shp or .zip, EPSG:2180, TERYT in "
            "JPT_KOD_JE) or GeoJSON (WGS84, property teryt, JPT_KOD_JE or kod).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import"], help="what to do: import boundaries")
        parser.add_argument("file", type=Path, help="a PRG shapefile (.shp beside its .dbf/.shx/.prj, or a .zip) "
                                                    "or a GeoJSON file")
        parser.add_argument("--simplify", type=float, default=DEFAULT_SIMPLIFY_METRES, metavar="METRES",
                            help="simplification tolerance in metres, shared borders kept shared; 0 keeps every "
                                 f"vertex (default {DEFAULT_SIMPLIFY_METRES:g})")
        parser.add_argument("--dry-run", action="store_true", help="report what would be stored; store nothing")

    def handle(self, *args, action, file, simplify, dry_run, **options):
        if simplify < 0:
            raise CommandError("--simplify must be 0 or more metres")
        try:
            report = import_boundaries(path=file, simplify_metres=simplify, dry_run=dry_run)
        except BoundaryFileError as exc:
            raise CommandError(str(exc)) from exc
        out = self.stdout
        verb = "would store" if dry_run else "stored"
        out.write(f"{file.name}: {report.features} features; {verb} {len(report.matched)} boundaries "
                  f"({report.vertices_before} vertices simplified to {report.vertices_after}).")
        for note in report.notes:
            out.write(f"Note: {note}")
        if report.unmatched:
            listed = ", ".join(f"{code} {name}".strip() for code, name in report.unmatched[:LISTED])
            more = f" and {len(report.unmatched) - LISTED} more" if len(report.unmatched) > LISTED else ""
            out.write(f"Features matching no unit in the territory table: {len(report.unmatched)}: {listed}{more}")
        for skipped in report.skipped:
            out.write(f"Skipped {skipped}")
        if report.without_boundary:
            names = ", ".join(f"{u.name} ({u.teryt})" for u in report.without_boundary)
            out.write(f"Units left without a boundary: {names}")
