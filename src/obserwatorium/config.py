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
            "Folder for the embedded SQLite database, the stored secret key, uploads and caches; unset, the "
            "checkout's ./var when there is one (as `make run`), else this default."),
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


DATA_MARKERS = ("secret_key", "obserwatorium.sqlite3")


def checkout_dir() -> Path | None:
    """The source checkout the package runs from (an editable install, as `make` makes), or None."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "Makefile").is_file() else None


def _holds_data(folder: Path) -> bool:
    return any((folder / marker).exists() for marker in DATA_MARKERS)


def choose_data_dir(*, configured: str, cwd: Path, checkout: Path | None, home_default: str) -> Path:
    """Where the data lives: the same folder as `make run` when run from the checkout (README, "Settings").

    1. OBS_DATA_DIR when set; 2. `./var` of the current directory when it holds data (a database or the
    stored key, as `make` leaves it); 3. `var` of the package's checkout when it holds data, or when the
    command runs in the checkout itself; 4. ~/.local/share/obserwatorium.
    """
    if configured.strip():
        return Path(configured).expanduser().resolve()
    if _holds_data(cwd / "var"):
        return (cwd / "var").resolve()
    if checkout is not None and (_holds_data(checkout / "var") or cwd.resolve() == checkout.resolve()):
        return (checkout / "var").resolve()
    return Path(home_default).expanduser().resolve()


def data_dir() -> Path:
    """The data folder, created on first use."""
    home_default = next(s.default for s in SETTINGS if s.name == "OBS_DATA_DIR")
    path = choose_data_dir(configured=os.environ.get("OBS_DATA_DIR", ""), cwd=Path.cwd(), checkout=checkout_dir(),
                           home_default=home_default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_secret_key(directory: Path) -> str:
    """Read the secret key kept in the data folder, creating it on first run."""
    key_file = directory / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
