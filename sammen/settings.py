"""Settings for Sammen om Byen, read from the environment.

One module for every environment: development, CI and production differ only in environment
variables (see README, "Configuration"). Readers in sammen.env refuse values they cannot parse.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sammen.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

# A development key is only acceptable while DEBUG is on; production must provide its own.
_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105 (refused below unless DEBUG)
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else None)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set to a secret value when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The public address of the site, used in e-mails and feeds where there is no request.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The name of the municipality running this installation, shown in the header and e-mails.
MUNICIPALITY_NAME = env_str("MUNICIPALITY_NAME", "Københavns Kommune")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    "sammen.core",
    "sammen.accounts",
    "sammen.participation",
    "sammen.knowledge",
    "sammen.ideas",
    "sammen.events",
    "sammen.campaigns",
    "sammen.reporting",
    "sammen.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sammen.core.middleware.StaffPagesMiddleware",
    # Last, as django-axes asks: turns a lockout into the lockout page (sammen.accounts.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sammen.urls"
WSGI_APPLICATION = "sammen.wsgi.application"
ASGI_APPLICATION = "sammen.asgi.application"

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
                "sammen.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {"default": env_database("DATABASE_URL", "sqlite:///var/db.sqlite3", base_dir=BASE_DIR)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database lives in var/, which a fresh clone does not have yet.
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids lock upgrades failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Staff log in with a username or an e-mail address (sammen.accounts.backends); django-axes comes
# first so that a locked-out account or address is refused before its password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "sammen.accounts.backends.UsernameOrEmailBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "participation_staff:dashboard"
LOGOUT_REDIRECT_URL = "participation:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Two-factor authentication (TOTP, django-otp) for every staff account. Only the demo (`make run`)
# switches it off, and `check --deploy` warns whenever it is off (accounts.W001).
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Sammen om Byen")
# Wrong codes count towards the axes lockout below; django-otp's own growing delay would also
# refuse a right code typed seconds after a wrong one, with no way to tell the user why.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# How long an invitation link stays valid; it can be used once (sammen.accounts.invitations).
STAFF_INVITATION_DAYS = env_int("STAFF_INVITATION_DAYS", 7, minimum=1)

# Lockout after repeated failures (django-axes): passwords and second-factor codes both count,
# per account and, separately, per IP address. The lockout page is in the design system.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Failures are forgotten only after the whole login, second factor included (sammen.accounts.views):
# resetting after the password would let someone who knows it guess codes without end.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "sammen.accounts.views.lockout"
# One account, whether its username or its e-mail address was typed.
AXES_USERNAME_CALLABLE = "sammen.accounts.backends.lockout_username"
# axes logs usernames, which may be e-mail addresses: personal data stays out of the logs.
AXES_VERBOSE = False
# Behind the TLS proxy the client's address is the last one the proxy added; otherwise only the
# connection's address counts, so a forged X-Forwarded-For header cannot dodge the lockout.
if env_bool("BEHIND_TLS_PROXY", not DEBUG):
    AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1, minimum=1)
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Single sign-on by OpenID Connect (mozilla-django-oidc), on only when OIDC_ISSUER, OIDC_CLIENT_ID
# and OIDC_CLIENT_SECRET are set. The endpoints come from the issuer's discovery document, fetched
# at the first SSO login (so the site starts while the provider is down); each can be set instead.
# See sammen.accounts.oidc and the README, "Staff accounts, two-factor and single sign-on".
OIDC_ISSUER = env_str("OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_ENABLED = bool(OIDC_ISSUER and OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET)
if not OIDC_ENABLED and (OIDC_ISSUER or OIDC_RP_CLIENT_ID or OIDC_RP_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "Single sign-on needs all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET."
    )
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
# Which claim names the account: "email" (matched to the user's e-mail address) or another claim
# such as "preferred_username" (matched to the username).
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "email")
# Off: only invited (existing, active) accounts may log in. On: the first login creates the account.
OIDC_CREATE_USER = env_bool("OIDC_CREATE_USERS", False)
# When set, every login replaces the user's departments and roles with those its groups map to:
# OIDC_GROUP_MAP="sg-tmf=dept:TMF,sg-koord=role:coordinator,sg-tmf-konsulent=role:consultant:TMF".
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "")
OIDC_GROUP_MAP = env_str("OIDC_GROUP_MAP", "")
# An SSO login counts as the second factor when the ID token's `amr` says the provider used one
# ("mfa" or "otp"), or always when the provider is trusted to enforce it (e.g. Entra ID conditional
# access). Otherwise the user is asked for a TOTP code after the provider's login.
OIDC_TRUST_PROVIDER_MFA = env_bool("OIDC_TRUST_PROVIDER_MFA", False)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("sammen.accounts.oidc.OIDCBackend")

# Language and time: Danish at the root, English under /en/; stored in UTC, shown in Copenhagen time.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sammen" / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The design system and htmx, copied from node_modules by scripts/build_assets.py (not committed).
STATICFILES_DIRS = [BASE_DIR / "sammen" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
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

# Cache: per process in development; production with several workers should share one
# (CACHE_URL=redis://host:6379/0, or db:// for the database table made by `createcachetable`).
_cache_url = env_str("CACHE_URL", "locmem://")
if _cache_url.startswith("redis://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url == "db://":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "sammen_cache",
        }
    }
elif _cache_url == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must be locmem://, db:// or redis://…, not {_cache_url!r}."
    )

# Background work: Django's Tasks framework on the database, so one machine needs no broker and
# several machines can share the queue. Run the worker with `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "email"],
    }
}

# E-mail: printed to the console in development, SMTP in production (Django 6.1 MAILERS).
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "sammen.core.mail.ReadableConsoleBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mail_options: dict = {}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _mail_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25, minimum=1),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 30, minimum=1),
    }
    if _mail_options["use_tls"] and _mail_options["use_ssl"]:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
elif EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    _mail_options = {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))}
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Sammen om Byen <noreply@sammenombyen.kk.dk>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where citizens write with questions and accessibility problems (shown on the accessibility statement
# and privacy notice); a mailbox people read, unlike DEFAULT_FROM_EMAIL.
CONTACT_EMAIL = env_str("CONTACT_EMAIL", "sammenombyen@kk.dk")

# Ideas: deadlines in Danish working days (sammen/core/workdays.py) from the confirmation of the
# citizen's e-mail address; a handover must be accepted or returned within its own deadline.
IDEAS_ACKNOWLEDGE_WORKING_DAYS = env_int("IDEAS_ACKNOWLEDGE_WORKING_DAYS", 2, minimum=1)
IDEAS_ANSWER_WORKING_DAYS = env_int("IDEAS_ANSWER_WORKING_DAYS", 20, minimum=1)
IDEAS_HANDOVER_WORKING_DAYS = env_int("IDEAS_HANDOVER_WORKING_DAYS", 2, minimum=1)
IDEAS_CONFIRMATION_HOURS = env_int("IDEAS_CONFIRMATION_HOURS", 72, minimum=1)
# Personal data in closed ideas is anonymised this many months after closing (issue §5).
IDEAS_RETENTION_MONTHS = env_int("IDEAS_RETENTION_MONTHS", 24, minimum=1)
# The two-question satisfaction survey goes out this many days after an idea is closed.
IDEAS_SURVEY_AFTER_DAYS = env_int("IDEAS_SURVEY_AFTER_DAYS", 28, minimum=1)

# The city's hearing portal (OS2agora JSON:API), imported by `manage.py import_hearings`.
OS2AGORA_BASE_URL = env_str("OS2AGORA_BASE_URL", "https://blivhoert.kk.dk")
OS2AGORA_PUBLIC_URL = env_str("OS2AGORA_PUBLIC_URL", OS2AGORA_BASE_URL)

# Security. Production sits behind TLS; these make `check --deploy` silent and are off in DEBUG.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", not DEBUG) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

# Logging: to stdout, without request bodies or query strings (they may hold e-mail addresses).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # WeasyPrint and fontTools log every step of a PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# In development, static files come straight from the apps' folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
