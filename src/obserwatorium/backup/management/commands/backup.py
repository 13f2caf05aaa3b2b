"""`obserwatorium backup FILE`: every table, link, user and uploaded file in one portable zip archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from obserwatorium.backup.services import create_backup


class Command(BaseCommand):
    help = ("Back up the whole observatory (every table of every app, users and permissions, many-to-many "
            "links, sessions, uploaded files) into a new zip archive that restores on SQLite or PostgreSQL.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to create (must not exist)")
        parser.add_argument("--without-sessions", action="store_true",
                            help="leave out the login sessions (restored users sign in again)")

    def handle(self, *args, file: str, without_sessions: bool, **options):
        path = Path(file).expanduser()
        if path.exists():
            raise CommandError(f"{path} exists; choose a new file name")
        summary = create_backup(path=path, sessions=not without_sessions)
        self.stdout.write(f"backed up {summary.tables} tables, {summary.rows} rows and {summary.files} files "
                          f"to {path}")
