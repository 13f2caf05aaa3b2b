"""The `obserwatorium` command: Django management commands with the project's settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Commands that work on a database that is not set up (they set it up, or do not touch it).
WITHOUT_DATABASE = frozenset({
    "setup", "migrate", "makemigrations", "showmigrations", "sqlmigrate", "squashmigrations", "translations",
    "assets", "restore", "collectstatic", "compilemessages", "makemessages", "check", "help", "version", "test",
})


def database_problem() -> str | None:
    """One line saying what to run when the database is missing, unreachable or not migrated; None when ready."""
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and not name.startswith(":memory:") and not Path(name).exists():
        # Connecting would create an empty database file: say what to run instead.
        return f"no database at {name}: run `obserwatorium setup` first (`make setup` in the checkout)"
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"cannot open the database {name} ({detail}): check OBS_DATABASE_URL / OBS_DATA_DIR"
    if pending and not executor.loader.applied_migrations:
        return f"the database {name} is not set up: run `obserwatorium setup` first (`make setup` in the checkout)"
    if pending:
        return f"the database {name} has {len(pending)} unapplied migrations: run `obserwatorium migrate`"
    return None


def main(argv: list[str] | None = None) -> None:
    """Run `obserwatorium COMMAND ...` (see `obserwatorium help`)."""
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
    import django
    from django.core.management import execute_from_command_line

    command = args[0] if args else "help"
    asks_help = any(arg in ("-h", "--help") for arg in args)
    if not command.startswith("-") and command not in WITHOUT_DATABASE and not asks_help:
        django.setup()
        problem = database_problem()
        if problem:
            print(f"obserwatorium {command}: {problem}", file=sys.stderr)
            raise SystemExit(2)
    execute_from_command_line(["obserwatorium", *args])


if __name__ == "__main__":
    main()
