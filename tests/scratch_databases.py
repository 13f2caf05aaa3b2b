"""Fresh databases beside the test database, for tests that need real commits on separate connections.

SQLite: an empty data folder. PostgreSQL: a new database on the server the tests use (or on TEST_POSTGRES_URL,
default postgres://postgres@127.0.0.1:5432/postgres, when the suite runs on SQLite), dropped afterwards; the
test is skipped cleanly when no server answers.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[1]
_counter = itertools.count()


def postgres_server_url() -> str:
    """An address of the PostgreSQL server the tests may create databases on."""
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        return (f"postgres://{settings.get('USER') or 'postgres'}@{settings.get('HOST') or '127.0.0.1'}:"
                f"{settings.get('PORT') or 5432}/postgres")
    return os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def create_postgres_database() -> str:
    """Create an empty database; return its URL (skips the test when the server cannot be reached)."""
    import psycopg

    server = postgres_server_url()
    name = f"obs_scratch_{os.getpid()}_{next(_counter)}"
    try:
        with psycopg.connect(server, autocommit=True, connect_timeout=5) as admin:
            admin.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL not reachable at {server}: {error}")
    return urlunsplit(urlsplit(server)._replace(path=f"/{name}"))


def drop_postgres_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(postgres_server_url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        admin.execute(f"DROP DATABASE IF EXISTS {name}")


@pytest.fixture
def scratch_environment(tmp_path) -> Iterator:
    """A function giving the environment of a fresh database of an engine ('sqlite' or 'postgresql')."""
    created: list[str] = []

    def environment(engine: str) -> dict[str, str]:
        data_dir = tmp_path / f"data-{len(created)}-{engine}"
        env = {**os.environ, "OBS_DATA_DIR": str(data_dir), "OBS_SECRET_KEY": "test-only"}
        env.pop("OBS_DATABASE_URL", None)
        if engine == "postgresql":
            env["OBS_DATABASE_URL"] = create_postgres_database()
            created.append(env["OBS_DATABASE_URL"])
        else:
            created.append("")
        return env

    yield environment
    for url in created:
        if url:
            drop_postgres_database(url)


def run_module(module: str, *args: str, env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess:
    """Run `python -m module args` from the repository root in the given environment."""
    return subprocess.run([sys.executable, "-m", module, *args], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
