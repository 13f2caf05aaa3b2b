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
    Setting("OBS_IMPORT_MAX_CELLS", "10000000",
            "Import: most cells the sheets of a workbook may span (counted from A1 to the farthest cell or the "
            "declared dimension); larger workbooks are refused before they are parsed."),
    Setting("OBS_IMPORT_MAX_INFLATED_MB", "1024",
            "Import: most megabytes the members of an XLSX or ODS file may inflate to (from the zip directory)."),
    Setting("OBS_IMPORT_MAX_RATIO", "200",
            "Import: highest compression ratio of a workbook member larger than 8 MB once inflated."),
    Setting("OBS_IMPORT_MEMORY_MB", "2048",
            "Import: address space, in megabytes, of the worker process that parses an uploaded file."),
    Setting("OBS_IMPORT_SECONDS", "300", "Import: time, in seconds, the worker process may take to parse a file."),
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
