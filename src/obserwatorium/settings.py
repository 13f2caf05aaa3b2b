"""Django settings: every value comes from the OBS_* settings declared in config.py."""

from __future__ import annotations

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
    "timeout": 20,
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
    DATABASES["default"]["CONN_MAX_AGE"] = 0

SECRET_KEY = config.get("OBS_SECRET_KEY")
if not SECRET_KEY:
    if _database_url and not DEBUG:
        raise ImproperlyConfigured("OBS_SECRET_KEY is required when OBS_DATABASE_URL is set (production).")
    SECRET_KEY = config.stored_secret_key(DATA_DIR)

ALLOWED_HOSTS = [h.strip() for h in config.get("OBS_ALLOWED_HOSTS").split(",") if h.strip()]

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
    "obserwatorium.reports",
    "obserwatorium.insights",
    "obserwatorium.access",
    "obserwatorium.history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "obserwatorium.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so its refusal page knows the visitor and the language; still before any view reads the body.
    "obserwatorium.web.request_limit.RequestBodyLimitMiddleware",
]

ROOT_URLCONF = "obserwatorium.urls"
WSGI_APPLICATION = "obserwatorium.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# One body limit for every path: `serve` (waitress), the middleware and Django's own parsers.
MAX_REQUEST_BODY = config.max_upload_bytes()
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY
FILE_UPLOAD_MAX_MEMORY_SIZE = min(10 * 1024 * 1024, MAX_REQUEST_BODY)
LOGIN_URL = "/admin/login/"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = config.flag("OBS_SECURE_COOKIES")
CSRF_COOKIE_SECURE = config.flag("OBS_SECURE_COOKIES")
WHITENOISE_USE_FINDERS = True

OBS_BDL_API_KEY = config.get("OBS_BDL_API_KEY")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
