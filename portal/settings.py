"""Settings for the PANDAS Parent Network portal.

Every value that differs between a laptop, CI and production comes from the environment
(see README.md, "Configuration"). Test-only overrides live in tests/conftest.py.
"""

from email.utils import parseaddr
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from portal import crisis_lines, email_providers, limit_rules, security_headers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "portal.admin_site.PortalAdminConfig",  # django.contrib.admin, two-factor for all staff
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",  # allauth's sessions page (/accounts/sessions/) loads it
    "django.contrib.postgres",
    "django.forms",  # Django's widget templates, for the project's form renderer below
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",  # lists a member's sessions, so a suspension or deletion can end them
    "csp",
    "anymail",
    "portal",
    "accounts",
    "articles",
    "community",
    "moderation",
    "alerts",
    "journal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.ControlCharacterMiddleware",
    "portal.middleware.RouteForAccessLogMiddleware",
    "portal.middleware.PermissionsPolicyMiddleware",
    # Before everything that reads the session or cookies: a cached anonymous page skips them.
    "portal.pagecache.PageCacheMiddleware",
    # Inside the page cache, so anonymous pages are stored compressed; after WhiteNoise, which serves
    # its own precompressed files. BREACH: every HTML response is compressed, also those with a CSRF
    # token that reflect input (search, forms with errors): Django masks the token anew in every
    # response and this middleware pads each body with random bytes ("Heal the Breach"), so the
    # compressed length does not leak the token. Anonymous pages carry no token at all.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the session is read: a read-only page reads it from the replica too (only with a replica).
    "portal.db_router.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A member who chose Spanish gets their account pages (/accounts/...) in Spanish; every other page,
    # and every anonymous one (the only ones the page cache stores), stays in English.
    "accounts.middleware.MemberLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE for <html lang>: the language active while the page renders.
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
            "builtins": ["portal.templatetags.portal_tags"],
        },
    },
]
FORM_RENDERER = "portal.forms.PortalFormRenderer"  # {{ field.as_field_group }} draws includes/field.html

# --- Data -----------------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Reuse connections, but check them first: a restarted PostgreSQL costs at most one request.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A PostgreSQL read replica for the read-only pages (portal/db_router.py, docs/scaling.md); absent, one database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **env.db_url_config(DATABASE_REPLICA_URL),
        "CONN_MAX_AGE": DATABASES["default"].get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"MIRROR": "default"},  # a test run has one database unless it makes its own replica
    }
    DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
# After a member's write their browser reads from the primary this long: more than the replica's lag.
REPLICA_STICKY_SECONDS = env.int("REPLICA_STICKY_SECONDS", default=10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.OutageTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {
                # A Redis outage must not turn pages into 500s: reads miss, writes are dropped.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# Whole anonymous pages kept in the cache (portal/pagecache.py). Tests turn it off except where
# they test it, so feature tests see each view's own behaviour and queries.
PAGE_CACHE_ENABLED = True

# Sessions are stored in the database; the cache only speeds them up.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Celery ---------------------------------------------------------------------------------
# Late acks (a task lost with its worker runs again), one task prefetched (a slow batch does not
# hold others back), no results kept (nobody reads them): every send is recorded in the database.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL) or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL and not env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    # Publishing must never hang a request: fail fast and let the outbox sweeper publish later.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 1,  # kombu's connection retries, which would otherwise block a publish for seconds
    "interval_start": 0,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_BEAT_SCHEDULE: dict = {}  # filled from each app's schedule.py (portal/celery.py)
CELERY_TIMEZONE = "UTC"

# Daily alert digests go out at this hour (UTC).
ALERTS_DIGEST_HOUR = env.int("ALERTS_DIGEST_HOUR", default=16)

# --- Mail -----------------------------------------------------------------------------------

EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    globals().update(env.email_url("EMAIL_URL"))  # EMAIL_BACKEND, EMAIL_HOST, ...
else:
    EMAIL_BACKEND = "portal.mail.ConsoleAndFileBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="PANDAS Parent Network <alerts@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people write to a person (account trouble, corrections): shown on the about page, the account
# pages and in account emails. Defaults to the sender's address.
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="") or parseaddr(DEFAULT_FROM_EMAIL)[1]
EMAIL_TIMEOUT = 10

# An email provider's HTTP API instead of SMTP, through django-anymail: EMAIL_PROVIDER names it, and
# its own variables (below) hold its keys. SMTP (EMAIL_URL) stays the default. WEBHOOK_SECRET
# ("user:password") guards the tracking and inbound webhooks at /email/anymail/<provider>/...
EMAIL_PROVIDERS = email_providers.BACKENDS  # portal/email_providers.py
EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="smtp").strip().lower()
if EMAIL_PROVIDER != "smtp" and EMAIL_PROVIDER not in EMAIL_PROVIDERS:
    raise ImproperlyConfigured(f"EMAIL_PROVIDER must be smtp or one of: {', '.join(sorted(EMAIL_PROVIDERS))}")
WEBHOOK_SECRET = env.str("WEBHOOK_SECRET", default="")
ANYMAIL: dict = {"WEBHOOK_SECRET": WEBHOOK_SECRET} if WEBHOOK_SECRET else {}
if EMAIL_PROVIDER in EMAIL_PROVIDERS:
    EMAIL_BACKEND, provider_settings = EMAIL_PROVIDERS[EMAIL_PROVIDER]
    ANYMAIL.update({name: env.str(var) for name, var in provider_settings.items() if env.str(var, default="")})
# The brand at the start of member emails' subjects (portal.emails.subject_line), allauth's and Django's own.
EMAIL_SUBJECT_PREFIX = "[PANDAS Parent Network] "

# --- Accounts (django-allauth) --------------------------------------------------------------
# Django's and allauth's backends, each loading the user with their staff roles in one query.
AUTHENTICATION_BACKENDS = ["accounts.backends.PasswordBackend", "accounts.backends.AllauthBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
# allauth's forms with the portal's labels (sentence case, no placeholders): accounts/allauth_forms.py.
ACCOUNT_FORMS = {
    name: f"accounts.allauth_forms.{form}"
    for name, form in {
        "signup": "PortalSignupForm", "login": "LoginForm", "add_email": "AddEmailForm",
        "change_password": "ChangePasswordForm", "set_password": "SetPasswordForm",
        "reset_password": "ResetPasswordForm", "reset_password_from_key": "ResetPasswordKeyForm",
        "reauthenticate": "ReauthenticateForm",
    }.items()
}  # fmt: skip
MFA_FORMS = {
    name: f"accounts.allauth_forms.{form}"
    for name, form in {
        "authenticate": "AuthenticateForm", "reauthenticate": "MFAReauthenticateForm",
        "activate_totp": "ActivateTOTPForm",
    }.items()
}  # fmt: skip
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
# Confirming the address in the browser that signed up logs the new member in (allauth only does so
# within that same session, so a link opened elsewhere still asks for the password).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# How long that pending signup (or any unfinished login, such as one waiting for its two-factor code)
# lasts: an hour, not allauth's 15 minutes, because a confirmation email can take a while to arrive and
# to be read. A password alone still opens nothing: the code, or the link sent to the address, is needed.
ACCOUNT_LOGIN_TIMEOUT = 3600
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
# Tell a member by email when their password, email address or two-factor set-up changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Failed logins: 10 a minute and 30 an hour per IP, 5 in 5 minutes per (IP, address) — the key is
# made per (IP, address) by accounts.adapter — and ACTION_LIMITS["login_failed_account"] per address.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,30/h/ip,5/5m/key"}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
USERSESSIONS_TRACK_ACTIVITY = False  # record sessions at login only: no write per request
MFA_TOTP_ISSUER = "PANDAS Parent Network"
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# --- Moderation -----------------------------------------------------------------------------
MODERATION_HOLD_FIRST_POSTS = env.int("MODERATION_HOLD_FIRST_POSTS", default=2)
# How often a person may repeat each write (portal/limit_rules.py; the README's limits table lists them).
MODERATION_RATE_LIMITS = limit_rules.POSTING
ACTION_LIMITS = limit_rules.ACTIONS
MODERATION_AUTO_HIDE_FLAGS = 3
# A burst of replies within this many seconds makes one notification email (a debounce, not a long ETA).
COMMUNITY_EMAIL_DELAY_SECONDS = env.int("COMMUNITY_EMAIL_DELAY_SECONDS", default=60)

# --- Journal ---------------------------------------------------------------------------------
# The private journal is encrypted at rest, field by field (journal/crypto.py), with the Fernet keys
# of JOURNAL_KEY, comma-separated: the first encrypts, every one decrypts. To rotate, put a new key
# first, run `python manage.py rotate_journal_key`, then remove the old key.

JOURNAL_KEYS = env.list("JOURNAL_KEY", default=[])
if not JOURNAL_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "JOURNAL_KEY must be set when DEBUG is off: it encrypts the journal. Generate one with: "
            'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        )
    JOURNAL_KEYS = ["ZGV2ZWxvcG1lbnQta2V5LW9ubHktZm9yLWRlYnVnIS0="]  # development only (DEBUG)
for _key in JOURNAL_KEYS:
    try:
        Fernet(_key)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "JOURNAL_KEY holds a value that is not a Fernet key (32 url-safe base64-encoded bytes)."
        ) from None

# --- Crisis help ------------------------------------------------------------------------------
# The lines shown by "Need help now?", per country; CRISIS_COUNTRY's come first.
CRISIS_COUNTRY = env("CRISIS_COUNTRY", default="US")
CRISIS_RESOURCES = crisis_lines.BY_COUNTRY  # portal/crisis_lines.py
# Every other country: a directory of free, confidential helplines.
CRISIS_DIRECTORY_URL = "https://findahelpline.com/"

# --- Internationalisation -------------------------------------------------------------------
# Pages are in English. Spanish is offered to alert subscribers, chosen per subscription (their emails and
# pages render under translation.override(subscription.language)), and to members for their account pages
# and account emails (User.language; accounts.middleware and accounts.adapter). No LocaleMiddleware: a page
# never varies by browser. Catalogs: locale/es and alerts/locale/es (`make messages` updates and compiles).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Security -------------------------------------------------------------------------------
# Headers at the level of an HTTP Observatory A+: HSTS, nosniff, a strict referrer policy, a
# self-only CSP and a Permissions-Policy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
PERMISSIONS_POLICY = security_headers.PERMISSIONS_POLICY  # no browser feature: portal/security_headers.py
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

if not DEBUG:
    if TRUSTED_PROXY_COUNT > 0:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = security_headers.CONTENT_SECURITY_POLICY  # self-only: portal/security_headers.py

# --- Logging --------------------------------------------------------------------------------
# Never log a secret, an email address or a post body: log ids and outcomes only.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "django_redis": {"level": "ERROR"}},
}
