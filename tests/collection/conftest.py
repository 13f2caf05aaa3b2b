"""The registry facts and the `world` of the registry tests, loaded for the database tests of this folder only: its
pure tests (the number input) and the served-site browser tests need no test database of their own."""

import pytest

from obserwatorium.presets.files import preset_dir
from obserwatorium.presets.pipeline import load_preset
from tests.collection.fixtures import asked  # noqa: F401
from tests.registry_fixtures import world  # noqa: F401


@pytest.fixture(scope="session")
def registry_facts(django_db_setup, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        load_preset(path=preset_dir("krakow"), only=("cooperation", "strategy"))


@pytest.fixture(autouse=True)
def _registry_facts_for_database_tests(request) -> None:
    if request.node.get_closest_marker("django_db") is not None:
        request.getfixturevalue("registry_facts")
