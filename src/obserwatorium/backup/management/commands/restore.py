"""`obserwatorium restore FILE [--force]`: replace the database and uploaded files with a backup's content."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from obserwatorium.backup.archive import DamagedArchive
from obserwatorium.backup.services import RestoreRefused, restore_backup


class Command(BaseCommand):
    help = ("Restore a backup made by `obserwatorium backup` into this installation's database (SQLite or "
            "PostgreSQL, whichever made it) and upload folders. Refuses a target that holds data unless "
            "--force, and a backup whose migrations differ from the code's.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to restore")
        parser.add_argument("--force", action="store_true",
                            help="replace everything in a target that already holds data")

    def handle(self, *args, file: str, force: bool, **options):
        path = Path(file).expanduser()
        if not path.is_file():
            raise CommandError(f"{path} does not exist")
        try:
            summary = restore_backup(path=path, force=force)
        except (RestoreRefused, DamagedArchive) as error:
            raise CommandError(f"restore refused, nothing changed: {error}") from None
        self.stdout.write(f"restored {summary.tables} tables, {summary.rows} rows and {summary.files} files "
                          f"from {path}")
