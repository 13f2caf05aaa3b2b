from tests.collection.fixtures import asked  # noqa: F401
from tests.registry_fixtures import registry_preset, world  # noqa: F401
