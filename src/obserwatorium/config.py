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
    Setting("OBS_MAX_UPLOAD_MB", "100",
            "Largest request body in MB, an uploaded file included; a larger one is refused with 413 before "
            "it is read, by `serve` and by the application."),
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


def max_upload_bytes() -> int:
    """The request body limit in bytes, from OBS_MAX_UPLOAD_MB (fractions of a megabyte allowed)."""
    try:
        megabytes = float(get("OBS_MAX_UPLOAD_MB"))
    except ValueError:
        raise ValueError(f"OBS_MAX_UPLOAD_MB must be a number of megabytes, not {get('OBS_MAX_UPLOAD_MB')!r}") from None
    return max(1, int(megabytes * 1024 * 1024))


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
