"""The analytics definitions of the Kraków preset, loaded once into the session database with derived values."""

from __future__ import annotations

import pytest

from obserwatorium.insights.loader import load_insights_definitions
from obserwatorium.insights.services import recompute_derived


@pytest.fixture(scope="session", autouse=True)
def insights_preset(django_db_setup, django_db_blocker):
    """Derived indicators, indices, peer groups and illustrative targets, then every derived value."""
    with django_db_blocker.unblock():
        load_insights_definitions(name="krakow")
        recompute_derived()
