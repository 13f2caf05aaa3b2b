from tests.registry_fixtures import world  # noqa: F401
