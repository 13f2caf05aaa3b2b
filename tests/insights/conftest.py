"""The analytics definitions of the Kraków preset, loaded once into the session database with derived values."""

from __future__ import annotations

import pytest

from obserwatorium.insights.services import recompute_derived
from obserwatorium.presets.files import preset_dir
from obserwatorium.presets.pipeline import load_preset


@pytest.fixture(scope="session", autouse=True)
def insights_preset(django_db_setup, django_db_blocker):
    """Derived indicators, indices, peer groups and illustrative targets, then every derived value."""
    with django_db_blocker.unblock():
        load_preset(path=preset_dir("krakow"), only=("insights",))
        recompute_derived()
