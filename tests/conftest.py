"""Shared fixtures: the Kraków preset with demo data loaded once per test session, and the shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database starts with the Kraków preset and its demo data, as `make run` serves it."""
    with django_db_blocker.unblock():
        call_command("preset", "load", "krakow", verbosity=0)
        call_command("preset", "demo", "krakow", verbosity=0)


@pytest.fixture
def shared_data():
    """Path to a file of ../shared/data; the test is skipped cleanly when the folder is absent."""

    def locate(relative: str) -> Path:
        path = SHARED_DATA / relative
        if not path.exists():
            pytest.skip(f"shared data not present: {path}")
        return path

    return locate
