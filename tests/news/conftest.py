from tests.registry_fixtures import registry_preset, world  # noqa: F401
