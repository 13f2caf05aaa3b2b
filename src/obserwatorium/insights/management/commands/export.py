"""`obserwatorium export DIR|FILE.zip`: the whole database as a Frictionless Data Package."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from obserwatorium.insights.bulk import export_database


class Command(BaseCommand):
    help = "Export every table of the observatory as a Frictionless Data Package (a folder, or a .zip file)."

    def add_arguments(self, parser):
        parser.add_argument("target", help="a folder to create, or a file name ending in .zip")

    def handle(self, *args, target: str, **options):
        path = Path(target).expanduser()
        if path.suffix.lower() != ".zip" and path.exists() and any(path.iterdir()):
            raise CommandError(f"{path} is not empty; choose a new folder or a .zip file")
        written = export_database(path)
        self.stdout.write(f"exported to {written}")
