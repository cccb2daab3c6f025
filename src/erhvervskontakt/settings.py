"""Settings for Erhvervskontakt, driven by the environment.

Development defaults are safe and need nothing (SQLite beside the project, debug on);
production (``DEBUG=false``) fails loudly when a setting it needs is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """A setting from the environment, or from the file named by ``NAME_FILE`` (secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return default if value is None or value == "" else int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-not-secret-erhvervskontakt"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address e-mails link to (``notifications.links.site_url``). Set SITE_URL in production.
# Left empty it is derived from where the server runs: within a request from the request's
# own scheme and host (which ALLOWED_HOSTS vouches for); elsewhere (the worker's sweep) from
# SITE_BIND, the address `manage.py serve --bind` listens on and hands to its children; else
# from PORT. So a server on another port never mails links to a port nobody listens on.
SITE_URL = (env("SITE_URL", "") or "").rstrip("/")
SITE_BIND = env("SITE_BIND", "") or f"127.0.0.1:{env('PORT', '8000') or '8000'}"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "erhvervskontakt.common",
    "erhvervskontakt.accounts",
    "erhvervskontakt.calendar",
    "erhvervskontakt.catalogue",
    "erhvervskontakt.businesses",
    "erhvervskontakt.cases",
    "erhvervskontakt.api",
    "erhvervskontakt.web",
    "erhvervskontakt.portal",
    "erhvervskontakt.workbench",
    "erhvervskontakt.public",
    "erhvervskontakt.demo",
    "erhvervskontakt.notifications",
    "erhvervskontakt.measures",
    "erhvervskontakt.surveys",
    "erhvervskontakt.inspections",
    "erhvervskontakt.audit",
    "erhvervskontakt.identity",
    "erhvervskontakt.estimates",
    "erhvervskontakt.integrations",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the API docs from static files (no CDN, no inline script: CSP)
]

MIDDLEWARE = [
    "erhvervskontakt.common.middleware.RequestIdMiddleware",
    "erhvervskontakt.web.security.ContentSecurityPolicyMiddleware",
    "erhvervskontakt.common.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "erhvervskontakt.web.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "erhvervskontakt.notifications.middleware.SiteOriginMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "erhvervskontakt.common.middleware.RefuseNulCharactersMiddleware",
    "erhvervskontakt.web.readlog.AdminReadLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "erhvervskontakt.urls"
WSGI_APPLICATION = "erhvervskontakt.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "erhvervskontakt.workbench.context_processors.unread_messages",
            ],
        },
    },
]

# Database: SQLite beside the project unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction, so two writers queue on the busy timeout instead of failing
    # with "database is locked" when a read lock cannot be upgraded.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file too: concurrency tests need real WAL locking, not a shared memory DB.
    # One file per test run (its process id, inherited by the processes it starts through
    # the environment), so two runs on one checkout never share a database.
    os.environ.setdefault("TEST_DB_NAME", f"test-{os.getpid()}")
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / "var" / f"{os.environ['TEST_DB_NAME']}.sqlite3")
    }
    (BASE_DIR / "var").mkdir(exist_ok=True)
elif env("TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DB_NAME")}

# Login per area: the portal has its own login page; the staff workbench sends to this one,
# which offers the municipality's Entra ID where OIDC_* is set (docs/decisions/0005, 0011).
WORKBENCH_LOGIN_URL = env("WORKBENCH_LOGIN_URL", "workbench:login")

# API tokens (accounts.ApiToken): how long a new one lasts unless given, and how many requests
# one may send per minute unless the token says otherwise (0: no default limit).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 365)
API_TOKEN_RATE_PER_MINUTE = env_int("API_TOKEN_RATE_PER_MINUTE", 600)

# Answer promises learned from the history (estimates; docs/decisions/0012): the share of
# cases a promise is meant to hold for, the rolling window it learns from, the recent months
# that may lengthen it when times rise (0: off), the drift correction's step, its step while
# the matured promises' misses cluster (0: never faster) and how unlikely a cluster must be, the
# own answers from which a thin type's group curve is stretched to its median (0: never), and
# how long an answer waits before it refreshes the promises (that window's answers refresh once).
PROMISE_CONFIDENCE = float(env("PROMISE_CONFIDENCE", "0.9") or "0.9")
PROMISE_WINDOW_MONTHS = env_int("PROMISE_WINDOW_MONTHS", 12)
PROMISE_RECENT_MONTHS = env_int("PROMISE_RECENT_MONTHS", 3)
PROMISE_DRIFT_STEP = float(env("PROMISE_DRIFT_STEP", "0.01") or "0.01")
PROMISE_DRIFT_FAST_STEP = float(env("PROMISE_DRIFT_FAST_STEP", "0.03") or "0")
PROMISE_DRIFT_CHANGE_LEVEL = float(env("PROMISE_DRIFT_CHANGE_LEVEL", "0.05") or "0.05")
PROMISE_GROUP_SCALE_MIN_EVENTS = env_int("PROMISE_GROUP_SCALE_MIN_EVENTS", 10)
PROMISE_REFRESH_DEBOUNCE_SECONDS = env_int("PROMISE_REFRESH_DEBOUNCE_SECONDS", 60)

# Real logins (identity.config is the one place that reads these; docs/decisions/0011).
# Businesses: MitID Erhverv through NemLog-in (OIOSAML 3). With SAML_IDP_METADATA set the
# portal uses that IdP and no other; with nothing set and DEBUG on, the demo's local test IdP
# (started by `manage.py serve` beside the server).
SAML_SP_ENTITY_ID = env("SAML_SP_ENTITY_ID", "") or ""
SAML_SP_KEY_FILE = env("SAML_SP_KEY_FILE", "") or ""
SAML_SP_CERT_FILE = env("SAML_SP_CERT_FILE", "") or ""
SAML_SP_ENCRYPTION_KEY_FILE = env("SAML_SP_ENCRYPTION_KEY_FILE", "") or ""
SAML_SP_ENCRYPTION_CERT_FILE = env("SAML_SP_ENCRYPTION_CERT_FILE", "") or ""
SAML_IDP_METADATA = env("SAML_IDP_METADATA", "") or ""
SAML_REQUIRED_LOA = env("SAML_REQUIRED_LOA", "Substantial") or "Substantial"
SAML_REQUIRED_PRIVILEGE = env("SAML_REQUIRED_PRIVILEGE", "") or ""
SAML_LOCAL_TEST_IDP = env_bool("SAML_LOCAL_TEST_IDP", True)
SAML_LOCAL_TEST_IDP_PORT = env_int("SAML_LOCAL_TEST_IDP_PORT", 8089)
# The SAML state cookie (outstanding requests) travels on NemLog-in's cross-site POST back to
# us, so it is SameSite=None (and Secure) in production; the demo's IdP is on the same site.
SAML_SESSION_COOKIE_NAME = "saml_session"
SAML_SESSION_COOKIE_SAMESITE = "Lax" if DEBUG else "None"
# Local passwords for business users: on in the demo, off in production unless set.
PORTAL_PASSWORD_LOGIN = env_bool("PORTAL_PASSWORD_LOGIN", DEBUG)
# Staff: the municipality's Entra ID (OpenID Connect). OIDC_ROLE_MAP is JSON {"app role":
# "administrator" | "head_of_unit" | "coordinator" | "caseworker:<department code>"}.
OIDC_ISSUER = env("OIDC_ISSUER", "") or ""
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID", "") or ""
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", "") or ""
OIDC_TENANT_ID = env("OIDC_TENANT_ID", "") or ""
OIDC_ROLE_MAP = env("OIDC_ROLE_MAP", "") or "{}"
OIDC_BREAK_GLASS_USERS = env_list("OIDC_BREAK_GLASS_USERS")

# Cache (login rate limits, cached pages): shared by all workers. A file cache needs no
# service on one machine; set CACHE_URL=redis://… when the web tier runs on several.
if env("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("CACHE_URL"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / "var" / "cache"),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "erhvervskontakt" / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or BASE_DIR / "var" / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT") or BASE_DIR / "var" / "media")
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

# Uploads: documents for a case. Type is checked by content, not by name.
DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 25 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Security headers and cookies, the same in development and tests as in production (so the
# browser suite proves the pages work under them); only what needs HTTPS waits for DEBUG off.
# No script reads a cookie: htmx posts forms that carry {% csrf_token %}, so the CSRF cookie
# is HttpOnly too.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp, web/security.py): everything from our own origin, no
# inline script or style (templates load static files; htmx's own indicator style is off in
# the page's htmx-config), no plugins, never framed. A view may set a stricter one.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    # TLS ends at the proxy, which says so in X-Forwarded-Proto; plain HTTP is redirected,
    # except the load balancer's health check.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # HSTS: a year, subdomains included. Preload is on (the header only consents; the domain
    # is on browsers' lists only once submitted); SECURE_HSTS_PRELOAD=false takes it out.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Background work: django-tasks (the API that became Django 6's ``django.tasks``). The database
# backend is the default and needs no broker (``manage.py worker`` runs the queue and the
# sweep); ``TASKS_BACKEND=rq`` puts the queue in Redis (RQ) for scale.
TASKS_BACKEND = env("TASKS_BACKEND", "database")
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 300}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'rq'.")

# E-mail: SMTP when EMAIL_HOST is set; in development otherwise files in var/mail (a file per
# message), so nothing leaves the machine. Production must name its SMTP server.
EMAIL_HOST = env("EMAIL_HOST", "") or ""
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = env("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH") or str(BASE_DIR / "var" / "mail")
if not DEBUG and EMAIL_BACKEND.endswith("filebased.EmailBackend"):
    raise ImproperlyConfigured("Set EMAIL_HOST (or EMAIL_BACKEND) when DEBUG is off.")
# The one sender of every e-mail: its From, its Message-ID's domain, the calendar files' ids
# and the address the footer names all come from here.
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Erhvervskontakt <erhvervskontakt@kommune.example>")
SERVER_EMAIL = env("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Notifications: when the worker sweeps for due reminders, and how a failed send is retried.
NOTIFICATIONS_SWEEP_SECONDS = env_int("NOTIFICATIONS_SWEEP_SECONDS", 300)
NOTIFICATIONS_DIGEST_HOUR = env_int("NOTIFICATIONS_DIGEST_HOUR", 7)
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 10)
NOTIFICATIONS_RETRY_SECONDS = env_int("NOTIFICATIONS_RETRY_SECONDS", 60)
NOTIFICATIONS_LEASE_SECONDS = env_int("NOTIFICATIONS_LEASE_SECONDS", 300)
NOTIFICATIONS_SURVEY_WINDOW_DAYS = env_int("NOTIFICATIONS_SURVEY_WINDOW_DAYS", 30)

# The events feed and webhooks (integrations; docs/decisions/0013). The feed serves an event
# once it is older than the settle margin, which must be longer than any transaction that
# writes events (twice the longest, plus clock skew between the servers): so no event
# committed late with a lower id is ever passed over. Webhooks go to https addresses on
# public networks only; loopback (http too) only where WEBHOOKS_ALLOW_LOOPBACK is on (tests,
# development), private networks only where WEBHOOKS_ALLOWED_NETWORKS names them (CIDR).
WEBHOOKS_FEED_SETTLE_SECONDS = env_int("WEBHOOKS_FEED_SETTLE_SECONDS", 60)
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 10)
WEBHOOKS_RETRY_SECONDS = env_int("WEBHOOKS_RETRY_SECONDS", 60)
WEBHOOKS_LEASE_SECONDS = env_int("WEBHOOKS_LEASE_SECONDS", 120)
WEBHOOKS_TIMEOUT_SECONDS = env_int("WEBHOOKS_TIMEOUT_SECONDS", 10)
WEBHOOKS_MAX_RESPONSE_BYTES = env_int("WEBHOOKS_MAX_RESPONSE_BYTES", 64 * 1024)
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", False)
WEBHOOKS_ALLOWED_NETWORKS = env_list("WEBHOOKS_ALLOWED_NETWORKS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "erhvervskontakt.common.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # The database worker polls every second and says so each time; keep its warnings.
        "django_tasks_db": {"level": env("TASKS_LOG_LEVEL", "WARNING")},
    },
}

# The dashboard's covering indexes (INCLUDE) are PostgreSQL's; SQLite builds the same indexes
# without the carried columns, which is what we want there (decision 8).
SILENCED_SYSTEM_CHECKS = ["models.W040"]
if not DEBUG and not SECURE_HSTS_PRELOAD:
    # Preload turned off on purpose (SECURE_HSTS_PRELOAD=false): not a warning any more.
    SILENCED_SYSTEM_CHECKS += ["security.W021"]
