"""The `obserwatorium` command: Django management commands with the project's settings."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run `obserwatorium COMMAND ...` (see `obserwatorium help`)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obserwatorium.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["obserwatorium", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
