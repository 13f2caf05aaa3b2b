"""Django settings: every value comes from the OBS_* settings declared in config.py."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from obserwatorium import config

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()
DEBUG = config.flag("OBS_DEBUG")

_database_url = config.get("OBS_DATABASE_URL")
_SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": config.seconds("OBS_DB_LOCK_TIMEOUT"),
}
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "obserwatorium.sqlite3"),
            "TEST": {"NAME": str(DATA_DIR / "test_obserwatorium.sqlite3")},
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = dict(_SQLITE_OPTIONS)
    # Kept between requests (per thread), as PostgreSQL's are: opening one runs its pragmas, and closing the last
    # one removes the WAL files that the next opening makes again, which cost 2 ms, more than a stored answer.
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    # SQLite creates the file with the process umask (0644: readable by every local user) and gives its -wal
    # and -shm files the same mode. An existing file is tightened here; a new one on its first connection
    # (web.apps), not created in advance: a command on a database that is not set up must create none.
    if DATABASES["default"]["NAME"] != ":memory:":
        config.owner_only_file(Path(DATABASES["default"]["NAME"]), create=False)
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"]["OPTIONS"] = config.postgresql_options(DATABASES["default"].get("OPTIONS", {}))

# Streaming replicas of the primary (docs/deployment.md, "Several machines"): replica1, replica2, ... read by
# obserwatorium.replicas. In the test suite each one mirrors the test database, so the suite runs unchanged.
OBS_REPLICA_DATABASES: tuple[str, ...] = ()
OBS_REPLICA_LAG_SECONDS = config.number("OBS_REPLICA_LAG_SECONDS", minimum=1)
for _index, _replica_url in enumerate(config.items("OBS_DATABASE_REPLICA_URLS"), start=1):
    _replica = dj_database_url.parse(_replica_url, conn_max_age=60)
    if not (DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
            and _replica["ENGINE"].startswith("django.db.backends.postgresql")):
        raise ImproperlyConfigured("OBS_DATABASE_REPLICA_URLS needs PostgreSQL: a PostgreSQL OBS_DATABASE_URL "
                                   "and postgres:// replica URLs.")
    _replica["OPTIONS"] = config.postgresql_options(_replica.get("OPTIONS", {}))
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{_index}"] = _replica
    OBS_REPLICA_DATABASES += (f"replica{_index}",)
if OBS_REPLICA_DATABASES:
    DATABASE_ROUTERS = ["obserwatorium.replicas.ReplicaRouter"]

# The cache every app server shares (Redis), or Django's default: a cache in each process's memory. The figures
# the pages compute (dataversion.memo: one per indicator, per (indicator, period), a few KB each) are kept apart
# from the API's stored answers (hundreds of KB each), so that neither pushes the other out.
# Each process's own memory, bounded in bytes (Django's local-memory cache counts 300 entries, whatever they weigh).
CACHES = {
    "default": {"BACKEND": "obserwatorium.process_cache.SizedLocMemCache", "LOCATION": "obs-default",
                "OPTIONS": {"MAX_BYTES": config.number("OBS_API_CACHE_MB", minimum=1) << 20}},
    "figures": {"BACKEND": "obserwatorium.process_cache.SizedLocMemCache", "LOCATION": "obs-figures",
                "OPTIONS": {"MAX_BYTES": config.number("OBS_FIGURES_CACHE_MB", minimum=1) << 20}},
}
_cache_url = config.get("OBS_CACHE_URL").strip()
if _cache_url:
    if not _cache_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("OBS_CACHE_URL must be a Redis URL: redis://, rediss:// or unix://.")
    CACHES = {
        "default": {
            "BACKEND": "obserwatorium.shared_cache.SharedRedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": config.get("OBS_CACHE_KEY_PREFIX"),
            # A Redis that does not answer costs a request at most this long, and then is left alone a while.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    CACHES["figures"] = CACHES["default"]  # one Redis, one key prefix: the app servers share the figures too

SECRET_KEY = config.get("OBS_SECRET_KEY")
if not SECRET_KEY:
    if _database_url and not DEBUG:
        raise ImproperlyConfigured("OBS_SECRET_KEY is required when OBS_DATABASE_URL is set (production).")
    SECRET_KEY = config.stored_secret_key(DATA_DIR)

ALLOWED_HOSTS = config.items("OBS_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "obserwatorium.territory",
    "obserwatorium.indicators",
    "obserwatorium.ingest",
    "obserwatorium.web",
    "obserwatorium.api",
    "obserwatorium.strategy",
    "obserwatorium.cooperation",
    "obserwatorium.events",
    "obserwatorium.news",
    "obserwatorium.insights",
    "obserwatorium.access",
    "obserwatorium.registry",
    "obserwatorium.history",
    "obserwatorium.presets",
    "axes",
    "obserwatorium.backup",
    "obserwatorium.reports",
    "obserwatorium.search",
    "obserwatorium.browse",
    "obserwatorium.collection",
    "obserwatorium.notifications",
    "obserwatorium.workspace",
    "obserwatorium.dataversion",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "obserwatorium.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the compression and the session: a stored API answer for a visitor without a session goes out as it
    # was compressed the first time, after one read of the data version.
    "obserwatorium.api.caching.StoredAnswerMiddleware",
    # After whitenoise (static files come with their own .br and .gz), outside every middleware that sets or
    # reads the body, so that what it compresses is the final answer.
    "obserwatorium.web.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "obserwatorium.web.errors.PageErrorMiddleware",
    "obserwatorium.web.middleware.IdleSessionMiddleware",
    "obserwatorium.web.middleware.AccessDeniedLogMiddleware",
    # Before any view reads the body; after the session and locale, so its refusal page knows the visitor and
    # the language.
    "obserwatorium.web.request_limit.RequestBodyLimitMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
    # A page's figures computed from every member's values are read under one reading of the figures versions
    # (dataversion.memo).
    "obserwatorium.dataversion.memo.PinnedVersionMiddleware",
    # Innermost: answers API reads from the cache of encoded bodies (by data version), after the session,
    # language and sign-in are known, inside every header-setting middleware.
    "obserwatorium.api.caching.APICacheMiddleware",
]
if OBS_REPLICA_DATABASES:
    # Before the session is read and after static files are answered: every read of the request, the session's
    # included, goes where the request reads, and the session's own save counts as a write.
    MIDDLEWARE.insert(MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
                      "obserwatorium.replicas.ReplicaMiddleware")

ROOT_URLCONF = "obserwatorium.urls"
WSGI_APPLICATION = "obserwatorium.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The package's templates/ holds corrections of Django's own templates (admin/search_form.html).
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "obserwatorium.web.context.site",
            ],
        },
    }
]

# Sign-in abuse: django-axes counts failed sign-ins through the authentication backend and Django's
# user_login_failed signal, so every login view (the administration's and the site's) is covered.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = config.number("OBS_LOGIN_FAILURE_LIMIT", minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=config.number("OBS_LOGIN_COOLOFF_MINUTES", minimum=1))
# Per account and, separately, per address (its failures summed over every account it tried).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "obserwatorium.web.security.lockout_response"
# The client address is REMOTE_ADDR only: behind a proxy, `obserwatorium serve` sets it from the trusted proxy's
# X-Forwarded-For; a header read here could be forged by any client.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_SENSITIVE_PARAMETERS = ["password"]

# Sliding idle timeout: IdleSessionMiddleware ends a session unused for this long and renews the expiry.
SESSION_ENGINE = "obserwatorium.web.sessions"  # a save on a locked database is "busy" (503), not "lost" (400)
SESSION_IDLE_SECONDS = config.number("OBS_SESSION_IDLE_MINUTES", minimum=1) * 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = config.get("OBS_LANGUAGE")
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [DATA_DIR / "assets"]
for _folder in (STATIC_ROOT, DATA_DIR / "assets"):
    _folder.mkdir(exist_ok=True)
# Uploads live in the data folder (0700) and reach users only through web.files.media_file, which checks the
# record; files 0600. Pending import uploads stay outside the media folder altogether.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
PRIVATE_ROOT = DATA_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "obserwatorium.web.files.UploadStorage"},
    # Hashed names with .br and .gz files (`obserwatorium assets`), which whitenoise caches for ten years.
    "staticfiles": {"BACKEND": "obserwatorium.web.static_storage.StaticStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# One body limit for every path: `serve` (waitress), the middleware and Django's own parsers.
MAX_REQUEST_BODY = config.max_upload_bytes()
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY
FILE_UPLOAD_MAX_MEMORY_SIZE = min(10 * 1024 * 1024, MAX_REQUEST_BODY)
LOGIN_URL = "web:sign-in"
CSRF_FAILURE_VIEW = "obserwatorium.web.errors.csrf_failure"
FORMAT_MODULE_PATH = ["obserwatorium.web.formats"]

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# HTTPS, directly or behind a TLS-terminating proxy (docs/deployment.md). Behind a proxy the request reaches the
# site as plain HTTP; without the proxy's word (X-Forwarded-Proto) every POST fails CSRF's Origin check.
HTTPS = config.flag("OBS_HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS or config.flag("OBS_SECURE_COOKIES")
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = config.number("OBS_HSTS_SECONDS") if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0 and config.flag("OBS_HSTS_PRELOAD")
if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
    # Preloading is a separate, hard-to-undo commitment taken with OBS_HSTS_PRELOAD; leaving it off is a decision.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
BEHIND_PROXY = config.flag("OBS_BEHIND_PROXY")
TRUSTED_PROXY = config.get("OBS_TRUSTED_PROXY").strip()
if BEHIND_PROXY:
    # `obserwatorium serve` drops X-Forwarded-* headers from anyone but TRUSTED_PROXY, so this cannot be forged.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = config.items("OBS_CSRF_TRUSTED_ORIGINS")
# The plain names (a link kept from an old page, the favicon) are served from the apps' folders, briefly cached;
# the collected folder keeps only the hashed copies, the ones that are compressed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# E-mail (events.notifications): SMTP from OBS_EMAIL_*, or files in OBS_DATA_DIR/mail by default.
_email = config.email_settings(DATA_DIR)
EMAIL_BACKEND = str(_email["EMAIL_BACKEND"])
DEFAULT_FROM_EMAIL = SERVER_EMAIL = str(_email["DEFAULT_FROM_EMAIL"])
EMAIL_TIMEOUT = _email["EMAIL_TIMEOUT"]
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))

OBS_BDL_API_KEY = config.get("OBS_BDL_API_KEY")
OBS_API_CACHE_SECONDS = config.number("OBS_API_CACHE_SECONDS")
OBS_FIGURES_CACHE_SECONDS = config.number("OBS_FIGURES_CACHE_SECONDS")
OBS_EVENT_FEED_ALLOWED_HOSTS = config.items("OBS_EVENT_FEED_ALLOWED_HOSTS")
OBS_IMPORT_MAX_CELLS = int(config.get("OBS_IMPORT_MAX_CELLS"))
OBS_IMPORT_MAX_INFLATED_MB = int(config.get("OBS_IMPORT_MAX_INFLATED_MB"))
OBS_IMPORT_MAX_RATIO = int(config.get("OBS_IMPORT_MAX_RATIO"))
OBS_IMPORT_MEMORY_MB = int(config.get("OBS_IMPORT_MEMORY_MB"))
OBS_IMPORT_SECONDS = int(config.get("OBS_IMPORT_SECONDS"))
OBS_IMPORT_APPLY_CHUNK = int(config.get("OBS_IMPORT_APPLY_CHUNK"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # Failed sign-ins, lockouts and refused requests (web.security); INFO so that every one is kept.
        "obserwatorium.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
