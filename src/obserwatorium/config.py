"""Settings read from OBS_* environment variables, declared as a table with help text."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import date
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
    Setting("OBS_DATABASE_REPLICA_URLS", "",
            "Comma-separated URLs of PostgreSQL streaming replicas of OBS_DATABASE_URL: reads are sent to one of "
            "them, writes (and the reads of a visitor who has just written) to the primary; empty = no replicas."),
    Setting("OBS_REPLICA_LAG_SECONDS", "10",
            "With OBS_DATABASE_REPLICA_URLS: for how many seconds after a write its author's reads go to the "
            "primary (a signed cookie), so a lagging replica never hides a write from its author."),
    Setting("OBS_CACHE_URL", "",
            "Redis URL (redis://[:password@]host:6379/0) of the cache every app server shares (the API's encoded "
            "answers); empty = a cache in each process's memory. While Redis is unreachable the site answers "
            "without the cache."),
    Setting("OBS_CACHE_KEY_PREFIX", "obserwatorium",
            "With OBS_CACHE_URL: the prefix of this site's keys, so several sites can share one Redis database."),
    Setting("OBS_SECRET_KEY", "",
            "Django secret key; generated and stored in OBS_DATA_DIR for the embedded default, "
            "required when OBS_DATABASE_URL is set and OBS_DEBUG is off."),
    Setting("OBS_DEBUG", "0", "1 turns on debug pages; never in production."),
    Setting("OBS_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names the site answers to."),
    Setting("OBS_LANGUAGE", "pl", "Default interface language: pl or en."),
    Setting("OBS_BDL_API_KEY", "", "Optional Statistics Poland BDL API client id (sent as X-ClientId)."),
    Setting("OBS_SECURE_COOKIES", "0", "1 marks session and CSRF cookies Secure (serve over HTTPS)."),
    Setting("OBS_HTTPS", "0",
            "1 when users reach the site only over HTTPS (directly or through a TLS-terminating proxy): "
            "cookies are marked Secure, plain-HTTP requests are redirected to HTTPS and HSTS is sent."),
    Setting("OBS_HSTS_SECONDS", "31536000",
            "With OBS_HTTPS=1: how long browsers keep to HTTPS once told (Strict-Transport-Security, "
            "subdomains included); 0 sends no HSTS header. Start low (e.g. 3600) on a new domain."),
    Setting("OBS_HSTS_PRELOAD", "0",
            "1 adds `preload` to the HSTS header (consent to the browsers' built-in HTTPS list; hard to undo)."),
    Setting("OBS_BEHIND_PROXY", "0",
            "1 when a reverse proxy on OBS_TRUSTED_PROXY forwards the requests: its X-Forwarded-Proto tells "
            "HTTPS from HTTP and its X-Forwarded-For gives the client's address (`obserwatorium serve`)."),
    Setting("OBS_TRUSTED_PROXY", "127.0.0.1",
            "With OBS_BEHIND_PROXY=1: the address of the proxy whose X-Forwarded-* headers are believed; "
            "the same headers from anyone else are dropped."),
    Setting("OBS_LOGIN_FAILURE_LIMIT", "5",
            "Failed sign-ins after which an account, and separately a client address, is locked out."),
    Setting("OBS_LOGIN_COOLOFF_MINUTES", "15",
            "How long a lockout lasts after the last failed sign-in (an administrator can lift it sooner)."),
    Setting("OBS_SESSION_IDLE_MINUTES", "60",
            "A signed-in session ends after this many minutes without a request."),
    Setting("OBS_CSRF_TRUSTED_ORIGINS", "",
            "Comma-separated extra origins (scheme and host, e.g. https://obserwatorium.example.pl) from which "
            "forms may be posted; needed only when the public address differs from the Host the site sees."),
    Setting("OBS_API_CACHE_SECONDS", "600",
            "How long an encoded API answer stays in Django's cache (keyed by the data version, which every "
            "write bumps, so a write makes it obsolete at once); 0 turns the cache off (ETags and 304s stay)."),
    Setting("OBS_FIGURES_CACHE_SECONDS", "600",
            "How long a figure the pages compute from every member's values (a metropolis series, a headline) "
            "stays in Django's cache (keyed by the version of the values, units and catalogue, so such a write makes "
            "it obsolete at once); 0 "
            "computes every figure on every request."),
    Setting("OBS_API_CACHE_MB", "256",
            "Without OBS_CACHE_URL: most megabytes of API answers each app process keeps in its own memory; when "
            "full, the answers read least recently go first."),
    Setting("OBS_FIGURES_CACHE_MB", "256",
            "Without OBS_CACHE_URL: most megabytes of page figures each app process keeps in its own memory; when "
            "full, the figures read least recently go first."),
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
    Setting("OBS_IMPORT_APPLY_CHUNK", "10000",
            "Import, SQLite: rows applied per transaction; a larger write lands in chunks, hidden until a short final "
            "step, so other writers pass between them (PostgreSQL applies in one transaction); 0 = one transaction."),
    Setting("OBS_DB_LOCK_TIMEOUT", "20",
            "Seconds a write waits for a lock held by another writer (SQLite busy timeout, PostgreSQL "
            "lock_timeout) before the request is answered 503 with Retry-After."),
    Setting("OBS_DB_STATEMENT_TIMEOUT", "300",
            "PostgreSQL: seconds one SQL statement may run before it is cancelled (statement_timeout); 0 = none."),
    Setting("OBS_DB_IDLE_TRANSACTION_TIMEOUT", "60",
            "PostgreSQL: seconds a session may sit idle inside a transaction before the server ends it and "
            "releases its locks (idle_in_transaction_session_timeout); 0 = none."),
    Setting("OBS_EMAIL_HOST", "",
            "SMTP server for the site's e-mail (e.g. the decision on a submitted event); empty = each message is "
            "written as a file into OBS_DATA_DIR/mail instead of being sent."),
    Setting("OBS_EMAIL_PORT", "587", "With OBS_EMAIL_HOST: the SMTP port."),
    Setting("OBS_EMAIL_USER", "", "With OBS_EMAIL_HOST: the SMTP user name (empty: no authentication)."),
    Setting("OBS_EMAIL_PASSWORD", "", "With OBS_EMAIL_HOST: the SMTP password."),
    Setting("OBS_EMAIL_SECURITY", "starttls",
            "With OBS_EMAIL_HOST: starttls (STARTTLS, port 587), ssl (implicit TLS, port 465) or none."),
    Setting("OBS_EMAIL_FROM", "Obserwatorium <no-reply@localhost>", "The sender (From) of the site's e-mail."),
    Setting("OBS_EVENT_FEED_ALLOWED_HOSTS", "",
            "Comma-separated host names (or addresses) of gminy's event feeds fetched even though they point into "
            "the local network or loopback; every other feed address must resolve to public addresses only."),
    Setting("OBS_PUBLIC_BODY", "Stowarzyszenie Metropolia Krakowska",
            "The public body running the site: publisher of the open-data catalogue (DCAT) and the body named "
            "in the accessibility statement."),
    Setting("OBS_SITE_URL", "",
            "The site's public address (e.g. https://obserwatorium.example.pl), the base of the catalogue's "
            "stable URIs and of the accessibility statement; empty = the address of each request."),
    Setting("OBS_CONTACT_EMAIL", "",
            "E-mail of the office for questions about the data: the contact point of every catalogued dataset."),
    Setting("OBS_SITE_PUBLISHED", "",
            "Accessibility statement: the date (YYYY-MM-DD) the site was first published."),
    Setting("OBS_SITE_UPDATED", "",
            "Accessibility statement: the date (YYYY-MM-DD) of the site's last significant update."),
    Setting("OBS_ACCESSIBILITY_PREPARED", "",
            "Accessibility statement: the date (YYYY-MM-DD) the statement was prepared."),
    Setting("OBS_ACCESSIBILITY_REVIEWED", "",
            "Accessibility statement: the date (YYYY-MM-DD) the statement was last reviewed (yearly, by 31 March)."),
    Setting("OBS_ACCESSIBILITY_CONTACT", "",
            "Accessibility statement: the person to contact about the site's accessibility."),
    Setting("OBS_ACCESSIBILITY_EMAIL", "", "Accessibility statement: that person's e-mail."),
    Setting("OBS_ACCESSIBILITY_PHONE", "", "Accessibility statement: that person's phone number."),
    Setting("OBS_ACCESSIBILITY_PROCEDURE", "",
            "Accessibility statement: the text of the request and complaint procedure; empty = the procedure of "
            "the digital accessibility act (requests answered within 7 days, complaints, the Ombudsman), in "
            "Polish and English."),
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


def number(name: str, *, minimum: int = 0) -> int:
    """Return a declared whole-number setting; a malformed value stops the start with the setting's name."""
    from django.core.exceptions import ImproperlyConfigured

    try:
        value = int(get(name))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}.")
    return value


def items(name: str) -> list[str]:
    """Return a declared comma-separated setting as a list of non-empty items."""
    return [item.strip() for item in get(name).split(",") if item.strip()]


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


def day(name: str) -> date | None:
    """Return a declared date setting (YYYY-MM-DD), None when empty; a malformed one stops the start, named."""
    from django.core.exceptions import ImproperlyConfigured

    value = get(name).strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a date as YYYY-MM-DD, not {value!r}.") from None


def _decimal(name: str, unit: str) -> float:
    """A declared setting as a decimal number; a malformed value names the setting and its unit."""
    try:
        return float(get(name))
    except ValueError:
        raise ValueError(f"{name} must be a number of {unit}, not {get(name)!r}") from None


def seconds(name: str) -> float:
    """Return a declared duration setting in seconds (never negative)."""
    return max(_decimal(name, "seconds"), 0.0)


def max_upload_bytes() -> int:
    """The request body limit in bytes, from OBS_MAX_UPLOAD_MB (fractions of a megabyte allowed)."""
    return max(1, int(_decimal("OBS_MAX_UPLOAD_MB", "megabytes") * 1024 * 1024))


def email_settings(directory: Path) -> dict[str, object]:
    """Django's e-mail settings: SMTP when OBS_EMAIL_HOST is set, else the file backend into `directory`/mail."""
    from django.core.exceptions import ImproperlyConfigured

    values: dict[str, object] = {"DEFAULT_FROM_EMAIL": get("OBS_EMAIL_FROM"), "EMAIL_TIMEOUT": 20}
    host = get("OBS_EMAIL_HOST").strip()
    if not host:
        return {**values, "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(directory / "mail")}
    security = get("OBS_EMAIL_SECURITY").strip().lower()
    if security not in {"starttls", "ssl", "none"}:
        raise ImproperlyConfigured("OBS_EMAIL_SECURITY must be starttls, ssl or none.")
    return {**values, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": host,
            "EMAIL_PORT": number("OBS_EMAIL_PORT", minimum=1), "EMAIL_HOST_USER": get("OBS_EMAIL_USER"),
            "EMAIL_HOST_PASSWORD": get("OBS_EMAIL_PASSWORD"), "EMAIL_USE_TLS": security == "starttls",
            "EMAIL_USE_SSL": security == "ssl"}


def data_dir() -> Path:
    """The data folder, created on first use readable by its owner only (0700)."""
    home_default = next(s.default for s in SETTINGS if s.name == "OBS_DATA_DIR")
    path = choose_data_dir(configured=os.environ.get("OBS_DATA_DIR", ""), cwd=Path.cwd(), checkout=checkout_dir(),
                           home_default=home_default)
    if not path.exists():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode is narrowed by the umask, never widened; chmod states it exactly
    return path


def owner_only_file(path: Path, *, create: bool = True) -> None:
    """Create the file readable and writable by its owner only (0600), or take group and other access away."""
    if create and path.parent.is_dir() and not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    if path.exists() and path.stat().st_mode & 0o077 and os.access(path, os.W_OK):
        path.chmod(0o600)


def stored_secret_key(directory: Path) -> str:
    """Read the secret key kept in the data folder, creating it on first run (0600 from the start)."""
    key_file = directory / "secret_key"
    if not key_file.exists():
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as stream:
            stream.write(secrets.token_urlsafe(50))
    owner_only_file(key_file)
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
