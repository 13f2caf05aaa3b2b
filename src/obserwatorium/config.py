"""Settings read from OBS_* environment variables, declared as a table with help text."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("OBS_DATA_DIR", "~/.local/share/obserwatorium",
            "Folder for the embedded SQLite database, the stored secret key, uploads and caches."),
    Setting("OBS_DATABASE_URL", "",
            "Database URL, e.g. postgres://user@127.0.0.1:5432/obserwatorium; empty = SQLite in OBS_DATA_DIR."),
    Setting("OBS_SECRET_KEY", "",
            "Django secret key; generated and stored in OBS_DATA_DIR for the embedded default, "
            "required when OBS_DATABASE_URL is set and OBS_DEBUG is off."),
    Setting("OBS_DEBUG", "0", "1 turns on debug pages; never in production."),
    Setting("OBS_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the site answers to."),
    Setting("OBS_LANGUAGE", "pl", "Default interface language: pl or en."),
    Setting("OBS_BDL_API_KEY", "", "Optional Statistics Poland BDL API client id (sent as X-ClientId)."),
    Setting("OBS_SECURE_COOKIES", "0", "1 marks session and CSRF cookies Secure (serve over HTTPS)."),
    Setting("OBS_DB_LOCK_TIMEOUT", "20",
            "Seconds a write waits for a lock held by another writer (SQLite busy timeout, PostgreSQL "
            "lock_timeout) before the request is answered 503 with Retry-After."),
    Setting("OBS_DB_STATEMENT_TIMEOUT", "300",
            "PostgreSQL: seconds one SQL statement may run before it is cancelled (statement_timeout); 0 = none."),
    Setting("OBS_DB_IDLE_TRANSACTION_TIMEOUT", "60",
            "PostgreSQL: seconds a session may sit idle inside a transaction before the server ends it and "
            "releases its locks (idle_in_transaction_session_timeout); 0 = none."),
)


def get(name: str) -> str:
    """Return the value of one declared setting from the environment, or its default."""
    for setting in SETTINGS:
        if setting.name == name:
            return os.environ.get(name, setting.default)
    raise KeyError(name)


def flag(name: str) -> bool:
    """Return a declared boolean setting."""
    return get(name).strip().lower() in {"1", "true", "yes", "on"}


def seconds(name: str) -> float:
    """Return a declared duration setting in seconds (never negative)."""
    try:
        value = float(get(name))
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {get(name)!r}") from None
    return max(value, 0.0)


def data_dir() -> Path:
    """The data folder, created on first use."""
    path = Path(get("OBS_DATA_DIR")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_secret_key(directory: Path) -> str:
    """Read the secret key kept in the data folder, creating it on first run."""
    key_file = directory / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def postgresql_options(options: dict) -> dict:
    """Connection OPTIONS for PostgreSQL: lock and statement timeouts, and ending the work of a vanished client.

    A killed client's socket closes, but a backend busy with a statement only notices at its end: the server
    checks the connection every few seconds instead (client_connection_check_interval), keepalives find a
    silent network, and a transaction left idle is ended so its locks cannot outlive their user.
    Options given in OBS_DATABASE_URL come last and win.
    """
    def milliseconds(name: str) -> int:
        return round(seconds(name) * 1000)

    server = (f"-c lock_timeout={milliseconds('OBS_DB_LOCK_TIMEOUT')} "
              f"-c statement_timeout={milliseconds('OBS_DB_STATEMENT_TIMEOUT')} "
              f"-c idle_in_transaction_session_timeout={milliseconds('OBS_DB_IDLE_TRANSACTION_TIMEOUT')} "
              "-c client_connection_check_interval=2000 "
              "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3")
    merged = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,
              **options}
    merged["options"] = f"{server} {options['options']}" if options.get("options") else server
    return merged
