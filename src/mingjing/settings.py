"""One env-driven settings module. See docs/deployment.md for every variable."""

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from mingjing.env import database_from_url, env_bool, env_int, env_list, env_str, sqlite_database

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
DATA_DIR = Path(env_str("MINGJING_DATA_DIR") or BASE_DIR / "var")

DEBUG = env_bool("MINGJING_DEBUG", False)
# The demo court as `make run` serves it: debug off (Chinese error pages, no URL list), on
# this machine only, over plain HTTP (no secure cookies, no HTTPS redirect, no HSTS).
DEMO = env_bool("MINGJING_DEMO", False)
_LOCAL = DEBUG or DEMO
# True only in the test suite's own settings module (tests/settings.py): nothing at run time
# (no environment variable, not pytest being importable) turns it on in this module.
TESTING = False

SECRET_KEY = env_str("MINGJING_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "MINGJING_SECRET_KEY (或 MINGJING_SECRET_KEY_FILE) 未设置; 生产环境必须配置。"
        )
    # Debug without a key: a random one for this process only (sessions end at restart).
    SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = env_list(
    "MINGJING_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if _LOCAL else []
)
CSRF_TRUSTED_ORIGINS = env_list("MINGJING_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "mingjing.accounts",
    "mingjing.org",
    "mingjing.cases",
    "mingjing.security",
    "mingjing.records",
    "mingjing.declarations",
    "mingjing.oversight",
    "mingjing.reporting",
    "mingjing.registers",
    "mingjing.notify",
    "mingjing.imports",
    "mingjing.web",
    "mingjing.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mingjing.web.middleware.SecurityHeadersMiddleware",
    # Static files (collected into STATIC_ROOT) served by the application itself, debug or
    # not: the same under runserver, the demo and a production server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whatever fails below this reaches an /api/ client as JSON (with the headers above).
    "mingjing.api.middleware.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mingjing.accounts.middleware.IdleExpiryMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Notes writes, so that reads after them come from the primary (mingjing/dbrouter.py).
    "mingjing.dbrouter.primary_after_write",
    "mingjing.security.middleware.ActorMiddleware",
    "mingjing.security.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mingjing.urls"
WSGI_APPLICATION = "mingjing.wsgi.application"

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
                "mingjing.web.context_processors.navigation",
                "mingjing.notify.context_processors.unread_notifications",
            ],
        },
    },
]

_database_url = env_str("MINGJING_DATABASE_URL")
DATABASES = {
    "default": database_from_url(_database_url)
    if _database_url
    else sqlite_database(DATA_DIR / "mingjing.sqlite3")
}
# A PostgreSQL streaming replica for the report pages' reads (mingjing/dbrouter.py): writes,
# the audit chain, sessions and accounts stay on the primary. Unset: everything on default.
_replica_url = env_str("MINGJING_REPLICA_DATABASE_URL")
if _replica_url:
    if not _database_url:
        raise ImproperlyConfigured(
            "MINGJING_REPLICA_DATABASE_URL 需要同时设置 MINGJING_DATABASE_URL。"
        )
    DATABASES["replica"] = database_from_url(_replica_url, "MINGJING_REPLICA_DATABASE_URL")
MINGJING_REPLICA_READS = bool(_replica_url)
# After a write, the session reads from the primary for this long (replication lag).
MINGJING_REPLICA_PIN_SECONDS = env_int("MINGJING_REPLICA_PIN_SECONDS", 10)
DATABASE_ROUTERS = ["mingjing.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sealing (security/crypto.py): `aes` (AES-256-GCM, SHA-256) or `sm` (国密 SM4-GCM, SM3).
MINGJING_CRYPTO = env_str("MINGJING_CRYPTO") or "aes"
# The master key file (security/masterkey.py), read when a key is needed, never cached.
MINGJING_MASTER_KEY_FILE = env_str("MINGJING_MASTER_KEY_FILE")

MINGJING_LOCKOUT_ATTEMPTS = env_int("MINGJING_LOCKOUT_ATTEMPTS", 5)
MINGJING_LOCKOUT_MINUTES = env_int("MINGJING_LOCKOUT_MINUTES", 15)
MINGJING_TOTP_ISSUER = env_str("MINGJING_TOTP_ISSUER", "明镜 Mingjing")
MINGJING_API_TOKEN_DAYS = env_int("MINGJING_API_TOKEN_DAYS", 90)

# Idle expiry: a session dies after this much quiet. It is renewed (saved with a new expiry)
# by accounts.middleware.IdleExpiryMiddleware at most once a MINGJING_SESSION_RENEW_SECONDS,
# not on every request: a plain GET writes nothing.
SESSION_COOKIE_AGE = env_int("MINGJING_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False
MINGJING_SESSION_RENEW_SECONDS = env_int("MINGJING_SESSION_RENEW_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

_secure_default = not _LOCAL
SESSION_COOKIE_SECURE = env_bool("MINGJING_SECURE_COOKIES", _secure_default)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("MINGJING_SSL_REDIRECT", _secure_default)
SECURE_HSTS_SECONDS = env_int("MINGJING_HSTS_SECONDS", 0 if _LOCAL else 31536000)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# An intranet has no public preload list and its subdomains are not ours to promise for.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
if env_bool("MINGJING_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = env_str("MINGJING_TIME_ZONE", "Asia/Shanghai")
# The TrueType CJK font embedded in PDFs ("path" or "path:face"); empty: Debian's (mingjing.pdf).
PDF_FONT = env_str("MINGJING_PDF_FONT", "")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
MEDIA_ROOT = DATA_DIR / "media"
# In development WhiteNoise also finds files where they are written (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Django's English CSRF page replaced by a Chinese one (JSON under /api/).
CSRF_FAILURE_VIEW = "mingjing.web.views.csrf_failure"

# Email (notify/services.py) is off unless MINGJING_EMAIL_HOST names an SMTP relay.
EMAIL_HOST = env_str("MINGJING_EMAIL_HOST") or ""
EMAIL_PORT = env_int("MINGJING_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("MINGJING_EMAIL_USER") or ""
EMAIL_HOST_PASSWORD = env_str("MINGJING_EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("MINGJING_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("MINGJING_EMAIL_FROM") or "webmaster@localhost"
# Makes the links in emails absolute, e.g. https://mingjing.court.intranet
MINGJING_BASE_URL = (env_str("MINGJING_BASE_URL") or "").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MINGJING_LOG_LEVEL", "WARNING")},
}
