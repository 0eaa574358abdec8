"""PeerPath settings.

Every value comes from an environment variable read through the small typed helpers below, which
fail loudly on a bad value. A variable `NAME_FILE` may name a file holding the value (for secrets).
Each variable is documented in docs/settings.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """The variable's text, or the contents of the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        if name in os.environ:
            raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_name}: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, object]:
    """Parse sqlite:///path or postgres://user:pass@host:port/name?sslmode=require."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db
        path = unquote(parsed.path[1:])
        return _sqlite(path or str(BASE_DIR / "peerpath.sqlite3"))
    if parsed.scheme in {"postgres", "postgresql"}:
        if not parsed.path.strip("/"):
            raise ImproperlyConfigured("DATABASE_URL must name a database, e.g. .../peerpath.")
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.strip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
            # A pooler in transaction mode (PgBouncer) gives each transaction any server
            # connection: a cursor kept open across transactions would be lost.
            "DISABLE_SERVER_SIDE_CURSORS": env_bool("DATABASE_TRANSACTION_POOLING", False),
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres://, not {parsed.scheme or url!r}."
    )


def _sqlite(path: str) -> dict[str, object]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # WAL lets readers work while one writer writes; IMMEDIATE avoids mid-transaction
        # lock upgrades.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DEBUG = env_bool("DEBUG", False)

_secret = env_str("SECRET_KEY")
if not _secret:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (see docs/settings.md)."
        )
    _secret = "development-only-not-secret-" + "x" * 40
SECRET_KEY = _secret


def _audit_keys() -> list[str]:
    """The audit chain's keys, current first; older keys verify the segments they signed."""
    keys: list[str] = []
    current = os.environ.get("AUDIT_KEY", "").strip()
    path = os.environ.get("AUDIT_KEY_FILE", "").strip()
    if current and path:
        raise ImproperlyConfigured("Set AUDIT_KEY or AUDIT_KEY_FILE, not both.")
    if current:
        keys.append(current)
    if path:
        try:
            keys += [line.strip() for line in Path(path).read_text().splitlines() if line.strip()]
        except OSError as exc:
            raise ImproperlyConfigured(
                f"AUDIT_KEY_FILE cannot be read: {path} ({exc.strerror})."
            ) from None
    keys += env_list("AUDIT_PREVIOUS_KEYS", [])
    if not keys:
        if not DEBUG:
            raise ImproperlyConfigured(
                "AUDIT_KEY or AUDIT_KEY_FILE must be set when DEBUG is off (see docs/settings.md)."
            )
        keys = ["development-only-audit-key-not-secret-" + "y" * 32]
    for key in keys:
        if len(key) < 32:
            raise ImproperlyConfigured("Each audit key must be at least 32 characters long.")
    return list(dict.fromkeys(keys))


AUDIT_KEYS = _audit_keys()
# How many chains ("lanes") each organization's audit trail is written in. A write locks only its
# lane (the staff member's id modulo this number), so one agency's staff do not queue behind each
# other; each lane is a chain of its own. Changing it later keeps every older event verifiable.
AUDIT_LANES = env_int("AUDIT_LANES", 16, minimum=1, maximum=256)
# Content-Security-Policy: only PeerPath's own files run or style a page; nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Survey results show a group (a team, a role) only when at least this many people in it
# answered; smaller groups are merged into "other".
SURVEY_MIN_GROUP = env_int("SURVEY_MIN_GROUP", 5, minimum=3, maximum=50)
# A candidate not hired is purged this many days after their application closed.
CANDIDATE_RETENTION_DAYS = env_int("CANDIDATE_RETENTION_DAYS", 365, minimum=30, maximum=3650)
# API request bodies above this size are refused with 413 (kilobytes).
API_MAX_BODY_BYTES = env_int("API_MAX_BODY_KB", 512, minimum=16, maximum=2048) * 1024
# Where `peerpath audit checkpoint` writes when no --output is given (a directory).
AUDIT_CHECKPOINT_DIR = env_str("AUDIT_CHECKPOINT_DIR", "") or ""

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "peerpath.core.admin_site.PeerPathAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "ninja",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "peerpath.core",
    "peerpath.clients",
    "peerpath.plans",
    "peerpath.measures",
    "peerpath.encounters",
    "peerpath.meetings",
    "peerpath.directory",
    "peerpath.workforce",
    "peerpath.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "peerpath.core.middleware.RequestContextMiddleware",
    "peerpath.core.api_inputs.ApiInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "peerpath.core.middleware.SessionLimitsMiddleware",
    "peerpath.core.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "peerpath.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peerpath.urls"
WSGI_APPLICATION = "peerpath.wsgi.application"

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
                "peerpath.core.context_processors.shell",
            ],
        },
    }
]

_database_url = env_str("DATABASE_URL") or None
DATABASES = {
    "default": database_from_url(_database_url)
    if _database_url
    else _sqlite(str(BASE_DIR / "peerpath.sqlite3"))
}
_test_database_name = env_str("TEST_DATABASE_NAME")
if _test_database_name:
    DATABASES["default"]["TEST"] = {"NAME": _test_database_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.Staff"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "clients:my_day"
LOGOUT_REDIRECT_URL = "core:login"

# Two-factor sign-in (TOTP). Required for every staff role unless turned off (demo default).
REQUIRE_2FA = env_bool("REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "PeerPath")

# Emergency ("break the glass") access: default minutes before the record closes again; each
# organization's privacy policy may set its own.
# The privacy policy allows 5 to 720 minutes (a database constraint on PrivacyPolicy).
EMERGENCY_ACCESS_MINUTES = env_int("EMERGENCY_ACCESS_MINUTES", 60, minimum=5, maximum=720)

# Lockout after repeated failed sign-ins (django-axes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The same client address the audit trail records (the proxy-aware one).
AXES_CLIENT_IP_CALLABLE = "peerpath.core.middleware.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

# Sessions: idle logoff (renewed on every request) and an absolute limit from sign-in.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 15, minimum=1) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_MAX_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# Renewed by SessionLimitsMiddleware once a minute at most, not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en"
# Each app keeps its own catalog in peerpath/<app>/locale (see `make messages`).
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")) or "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PeerPath <peerpath@localhost>")

# Security headers. In production these are on and `manage.py check --deploy` is clean.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
BEHIND_HTTPS_PROXY = env_bool("BEHIND_HTTPS_PROXY", False)
if BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies of yours stand in front of PeerPath; each appends to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=1, maximum=10)
# The health check is probed over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

NINJA_PAGINATION_PER_PAGE = 50

# Background work (imports): tasks wait in the database until `peerpath worker` runs them.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
        or "django_tasks_db.DatabaseBackend"
    }
}
# Imports: the largest file accepted (megabytes).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 25, minimum=1, maximum=500) * 1024 * 1024
