"""Peerwork settings.

Everything that differs between a laptop demo and a production service comes from the environment:

PEERWORK_SECRET_KEY      required when PEERWORK_DEBUG is off
PEERWORK_DEBUG           "1" for development (default on only when no secret key is given)
PEERWORK_DATABASE_URL    e.g. postgres://user@host:5432/peerwork; SQLite in PEERWORK_DATA_DIR otherwise
PEERWORK_DATA_DIR        where the SQLite file lives (default ./var)
PEERWORK_ALLOWED_HOSTS   comma-separated host names
PEERWORK_DEMO_MODE       "1" shows demo sign-in help (never in production: `check --deploy` refuses it)
PEERWORK_EMAIL_URL       smtp://user:password@host:port (unset: mail kept in PEERWORK_DATA_DIR/mail, never logged)
PEERWORK_AUDIT_KEYS      keys that sign the audit trail's chain heads and checkpoints: "id:secret[,id:secret…]",
                         the first signs, the others still verify (rotation); required when PEERWORK_DEBUG is off
PEERWORK_AUDIT_LANES     how many audit chains ("lanes") each organisation has, so audited actions do not queue
                         behind one lock (default 32; after raising it, run `peerwork audit open-lanes`)
PEERWORK_CACHE_URL       redis://…, memcached://host:port or locmem:// (default: the database, shared by all processes)
PEERWORK_TRUSTED_PROXY_HEADER   e.g. X-Forwarded-For, set by your own reverse proxy (default: none, REMOTE_ADDR)
PEERWORK_TRUSTED_PROXY_COUNT    how many of your own proxies append to that header (default 1 when it is set)
PEERWORK_TASKS_BACKEND   where background jobs queue: unset for the database (run `peerwork worker`), or the
                         dotted path of a broker-backed backend, e.g. django_tasks_rq.RQBackend (docs/operations.md)
PEERWORK_TASKS_REDIS_URL redis://… for the RQ backend
PEERWORK_BASE_URL        the address people reach Peerwork at, for links in e-mails (default http://127.0.0.1:8000)
PEERWORK_SMS_BACKEND     dotted path of an SMS backend (peerwork.notifications.sms); unset: no SMS is sent
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from peerwork.accounts import oidc_config as _oidc_config

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PEERWORK_DATA_DIR", Path.cwd() / "var"))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("PEERWORK_SECRET_KEY", "")
DEBUG = _flag("PEERWORK_DEBUG", default=not SECRET_KEY)
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("Set PEERWORK_SECRET_KEY (a long random string) to run with PEERWORK_DEBUG off.")
    SECRET_KEY = "development-only-not-secret-" + "x" * 40  # noqa: S105

# The audit trail's heads and checkpoints are signed with a key kept outside the database (HMAC-SHA256), so
# someone who can write to the database cannot rewrite history and re-sign it. The first key signs; the
# others still verify, so a key can be rotated. Development derives one from the secret key.
AUDIT_KEYS: dict[str, str] = {}
for _pair in filter(None, (p.strip() for p in os.environ.get("PEERWORK_AUDIT_KEYS", "").split(","))):
    _key_id, _sep, _secret = _pair.partition(":")
    if not _sep or not _key_id or len(_secret) < 32:
        raise RuntimeError("PEERWORK_AUDIT_KEYS: give id:secret pairs, each secret at least 32 characters.")
    AUDIT_KEYS[_key_id] = _secret
if not AUDIT_KEYS:
    if not DEBUG:
        raise RuntimeError("Set PEERWORK_AUDIT_KEYS (id:secret, kept apart from the database) with PEERWORK_DEBUG off.")
    AUDIT_KEYS = {"development": "audit-" + SECRET_KEY}

# Each organisation's audit trail is this many hash chains ("lanes"); an entry goes to the first lane no other
# transaction holds, so audited reads of one organisation never wait on one lock. Peerwork default: 8.
AUDIT_LANES = int(os.environ.get("PEERWORK_AUDIT_LANES", "32"))
if not 1 <= AUDIT_LANES <= 1000:
    raise RuntimeError("PEERWORK_AUDIT_LANES: give a number of lanes from 1 to 1000.")

DEMO_MODE = _flag("PEERWORK_DEMO_MODE")
ALLOWED_HOSTS = [h for h in os.environ.get("PEERWORK_ALLOWED_HOSTS", "").split(",") if h] or (
    ["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",  # background jobs queued in Peerwork's own database (nothing extra to install)
    "ninja",  # its templates and static files: /api/docs is served from here, never from a CDN
    # Peerwork's apps, lowest layer first (docs/architecture.md; tests/test_architecture.py enforces it).
    "peerwork.core",
    "peerwork.audit",
    "peerwork.organisations",
    "peerwork.accounts",
    "peerwork.service",
    "peerwork.readiness",
    "peerwork.cocreation",
    "peerwork.activities",
    "peerwork.privacy",
    "peerwork.evaluation",
    "peerwork.notifications",
    "peerwork.coassessment",
    "peerwork.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "peerwork.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "peerwork.accounts.middleware.LanguageMiddleware",
    "peerwork.accounts.middleware.ActorMiddleware",
    "axes.middleware.AxesMiddleware",
    "peerwork.core.errors.ErrorPagesMiddleware",  # the product's 403/404 (and 500 in demo mode) even with DEBUG on
]

ROOT_URLCONF = "peerwork.urls"
WSGI_APPLICATION = "peerwork.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "peerwork.core.context.shell",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------------------
_db_url = os.environ.get("PEERWORK_DATABASE_URL", "")
if _db_url:
    DATABASES = {"default": dj_database_url.parse(_db_url, conn_max_age=60, conn_health_checks=True)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "peerwork.sqlite3"),
            "OPTIONS": {
                # IMMEDIATE makes every write transaction take the lock up front, so two writers queue
                # instead of failing half-way; WAL lets readers go on while one writes.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Sign-in --------------------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "peerwork.accounts.oidc.OrganisationBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sign-in lockout, for 15 minutes: a user name from one address after five failed attempts, and one address
# after 30 failed attempts across any user names (password spraying). The address is the client's, from the
# trusted proxy header when one is configured (peerwork.core.clientip); failures are kept in the database.
AXES_FAILURE_LIMIT = 5
PEERWORK_ADDRESS_FAILURE_LIMIT = 30
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "peerwork.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "peerwork.accounts.lockout.locked_out"
AXES_CLIENT_IP_CALLABLE = "peerwork.core.clientip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Peerwork"
OTP_STATIC_THROTTLE_FACTOR = 1

# Organisation sign-in (OpenID Connect, mozilla-django-oidc), one provider per organisation: PEERWORK_OIDC is a
# JSON list, described in docs/operations.md and checked by peerwork.accounts.oidc when it is read.
PEERWORK_OIDC = os.environ.get("PEERWORK_OIDC", "")
_oidc_config.parse(PEERWORK_OIDC)  # a mistake stops Peerwork here, naming the provider and the key to fix
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_REDIRECT_FIELD_NAME = "next"
OTP_TOTP_THROTTLE_FACTOR = 1

# Idle timeout: a session ends after 30 minutes without a request. The session row is written only when its
# content changed or its idle stamp is older than SESSION_REFRESH_SECONDS (Peerwork default: a minute;
# ``accounts.middleware.IdleSessionMiddleware``), so a page read within a minute of the last one writes nothing;
# the session then ends between 29 and 30 minutes after the last request, never later.
SESSION_COOKIE_AGE = int(os.environ.get("PEERWORK_IDLE_TIMEOUT_SECONDS", 30 * 60))
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Client address and shared counters ------------------------------------------------------------------
# Behind a reverse proxy, name the header it sets and how many of your own proxies append to it; without this
# every client would share the proxy's address. Never set it when clients reach Peerwork directly.
PEERWORK_TRUSTED_PROXY_HEADER = os.environ.get("PEERWORK_TRUSTED_PROXY_HEADER", "").strip()
PEERWORK_TRUSTED_PROXY_COUNT = int(
    os.environ.get("PEERWORK_TRUSTED_PROXY_COUNT", "") or (1 if PEERWORK_TRUSTED_PROXY_HEADER else 0)
)


def _cache(url: str) -> dict[str, object]:
    """Rate-limit counters must be shared by every server process: the database cache unless told otherwise."""
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("memcached://"):
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": url[12:]}
    if url.startswith("locmem://"):  # one process only: counters are not shared
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url:
        raise RuntimeError("PEERWORK_CACHE_URL must start with redis://, rediss://, memcached:// or locmem://.")
    # The table is created by `migrate` (peerwork.core.apps runs createcachetable after migrating).
    return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "peerwork_cache"}


CACHES = {"default": _cache(os.environ.get("PEERWORK_CACHE_URL", "").strip())}

# --- Security headers -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = _flag("PEERWORK_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers and container health checks probe these over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("PEERWORK_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Languages ------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("nb", _("Norwegian Bokmål")), ("da", _("Danish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["peerwork.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("PEERWORK_TIME_ZONE", "Europe/Oslo")
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ---------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("PEERWORK_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# WhiteNoise's list of files not worth compressing, plus source maps (megabytes that only a developer's browser
# tools fetch): compressing them made every `collectstatic` take several times as long.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv", "woff"),
    *("woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "map"),
]
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- E-mail ---------------------------------------------------------------------------------------------
_email_url = os.environ.get("PEERWORK_EMAIL_URL", "")
if _email_url:
    from urllib.parse import unquote, urlparse

    _e = urlparse(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = _e.hostname or "", _e.port or 587
    EMAIL_HOST_USER, EMAIL_HOST_PASSWORD = unquote(_e.username or ""), unquote(_e.password or "")
    EMAIL_USE_TLS = True
else:
    # No mail server: messages carry sign-in links, so they are never printed or logged. They are kept as
    # files readable only by the server's own user, and `check` warns the operator (peerwork.core.checks).
    EMAIL_BACKEND = "peerwork.core.mail.PrivateFileBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("PEERWORK_FROM_EMAIL", "peerwork@localhost")

# --- Background jobs ------------------------------------------------------------------------------------
# Django's tasks API (the django-tasks backport on 5.2). By default jobs wait in Peerwork's own database and
# `peerwork worker` runs them (started by `./run demo`); a large deployment names a broker-backed backend.
_tasks_backend = os.environ.get("PEERWORK_TASKS_BACKEND", "").strip() or "django_tasks_db.DatabaseBackend"
TASKS: dict[str, dict[str, object]] = {"default": {"BACKEND": _tasks_backend, "QUEUES": ["default"]}}
if _tasks_backend.startswith("django_tasks_rq."):  # installed with Peerwork (docs/operations.md)
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": os.environ.get("PEERWORK_TASKS_REDIS_URL", "redis://localhost:6379/0")}}
# A job that fails is tried again this many times in all (with a growing pause), then shown to
# administrators on the jobs page. Peerwork default: 3.
PEERWORK_JOB_ATTEMPTS = int(os.environ.get("PEERWORK_JOB_ATTEMPTS", "3"))
# A running job whose worker has not been heard of for this long is handed back to the queue.
PEERWORK_WORKER_STALE_SECONDS = int(os.environ.get("PEERWORK_WORKER_STALE_SECONDS", "120"))
# Links in e-mails and text messages start with this address (where people reach Peerwork).
PEERWORK_BASE_URL = os.environ.get("PEERWORK_BASE_URL", "http://127.0.0.1:8000").strip()
PEERWORK_SMS_BACKEND = os.environ.get("PEERWORK_SMS_BACKEND", "").strip()

# --- Logging: no personal data in logs; request paths carry no personal data by design. -----------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PEERWORK_LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
# API limits (docs/operations.md): pages of at most 100 items with a bounded offset, and request bodies of
# at most 1 MB (larger ones get 413 from the API; forms never come near it).
NINJA_PAGINATION_CLASS = "peerwork.core.apitypes.BoundedPagination"
NINJA_PAGINATION_MAX_LIMIT = 100
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
