"""Settings for the community consultation portal.

One module, driven by environment variables. Every variable read here has a one-line
comment with its meaning and its default; the README lists them for deployers.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# DEBUG: development mode with detailed error pages. Default: off.
DEBUG = env_bool("DEBUG", False)

# SECRET_KEY: signs sessions and tokens. Required when DEBUG is off; a fixed
# development key is used only with DEBUG on (and in the test suite).
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or os.environ.get("PORTAL_TESTING"):
        SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdefghijklmnop"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

# ALLOWED_HOSTS: comma-separated host names served. Default: localhost only.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

# CSRF_TRUSTED_ORIGINS: comma-separated origins (with scheme) allowed to POST. Default: none.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before Wagtail and allauth: its catalogue overrides theirs (locale_overrides/apps.py).
    "locale_overrides",
    "accounts",
    "home",
    "consultations",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.PortalUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.api.v2",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # django-csp: its system checks and template tags (the policy: "Security" below).
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every response, the admin's own under /admin/ (home/csp.py).
    "home.csp.PortalCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A NUL byte or control character in the path, a query or a form: 400 (home/input_guard.py).
    "home.input_guard.HostileInputMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff with publish, export or roster rights set up two-factor authentication first.
    "accounts.middleware.StaffTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so it sees the session, the user, messages and CSRF use (home/page_cache.py).
    "home.page_cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# DATABASE_URL: e.g. postgres://user@host:5432/name. Default: SQLite file db.sqlite3
# in the project folder, so a newcomer needs no database server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers and one writer without "database is locked" for a small site.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

# DATABASE_REPLICA_URL: a read replica (PostgreSQL streaming replication), e.g.
# postgres://reader@replica:5432/portal. When set, the reads of listings, the tracker and
# search go there (portal/db_router.py); every write, and every read inside a transaction,
# goes to the default database. Default: none (everything on DATABASE_URL).
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL or os.environ.get("PORTAL_TESTING"):
    # In the test suite the replica is the default database itself (Django's test mirror),
    # so that the router can be tested; it is used only where a test turns it on.
    DATABASES["replica"] = (
        dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
        if DATABASE_REPLICA_URL
        else dict(DATABASES["default"])
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]
# Whether the router sends listing reads to "replica" (on when DATABASE_REPLICA_URL is set).
PORTAL_REPLICA_READS = bool(DATABASE_REPLICA_URL)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL: e.g. redis://127.0.0.1:6379/0. When set, the cache (and with it allauth's
# rate limits) lives in Redis and is shared by all processes. Default: a local memory
# cache, correct for one process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, one client per connection pool (home/redis_cache.py).
            "BACKEND": "home.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }

# PORTAL_PAGE_CACHE_SECONDS: how long whole responses are kept for anonymous visitors
# (home/page_cache.py); publishing makes them stale at once, so this bounds only how old
# residents' figures (seats left, turnout, support counts) may be. 0 turns it off.
# Default: 30.
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "30"))

# A CDN or caching proxy in front (Wagtail's frontend cache), purged on the same events
# as the page cache. FRONTEND_CACHE_PURGE_URL: Varnish or Squid answering HTTP PURGE, e.g.
# http://127.0.0.1:6081. CLOUDFLARE_BEARER_TOKEN with CLOUDFLARE_ZONEID: Cloudflare.
# FRONTEND_CACHE_HOSTNAMES: comma-separated host names the proxy serves (default: all).
# Default: none.
WAGTAILFRONTENDCACHE = {}
if os.environ.get("FRONTEND_CACHE_PURGE_URL"):
    WAGTAILFRONTENDCACHE["proxy"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": os.environ["FRONTEND_CACHE_PURGE_URL"],
    }
if os.environ.get("CLOUDFLARE_BEARER_TOKEN"):
    WAGTAILFRONTENDCACHE["cloudflare"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": os.environ["CLOUDFLARE_BEARER_TOKEN"],
        "ZONEID": os.environ.get("CLOUDFLARE_ZONEID", ""),
    }
if os.environ.get("FRONTEND_CACHE_HOSTNAMES"):
    for backend in WAGTAILFRONTENDCACHE.values():
        backend["HOSTNAMES"] = env_list("FRONTEND_CACHE_HOSTNAMES")

# SESSION_ENGINE: where sessions live. "django.contrib.sessions.backends.cached_db" keeps
# them in the database (shared by every host, kept across a Redis restart) and reads them
# from the cache, which saves a query on every signed-in request; it needs a cache every
# process shares. Default: cached_db when REDIS_URL is set, otherwise the database.
SESSION_ENGINE = os.environ.get(
    "SESSION_ENGINE",
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db",
)

AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Resident accounts (django-allauth) ---------------------------------------------
# Residents sign in with an email address or a mobile number (allauth's phone support; the
# adapter stores the number on the user and sends codes through home/sms.py). Either may be
# left out, not both. Email stays "optional" to verify: allauth only makes it mandatory when
# every account has one. Taking part still needs a verified email, a verified phone number or
# a roster link (consultations.permissions.is_verified_resident).
ACCOUNT_ADAPTER = "accounts.adapter.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email", "phone", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
# "Send me a sign-in code": by SMS for a phone number, by mail for an address.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Codes by text message are six digits: easy to read and type on any phone.
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, spelt out so that reviewers see them: they rely on the cache.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.ResidentSignupForm"
ACCOUNT_FORMS = {
    "signup": "accounts.signup_forms.PortalSignupForm",
    # An empty "send me a code" form is a message, not allauth's AttributeError.
    "request_login_code": "accounts.signup_forms.PortalRequestLoginCodeForm",
}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
LOGIN_URL = "account_login"
# Staff sign in to the Wagtail admin through allauth's login too (portal/urls.py sends
# /admin/login/ there), so the admin has the same rate limits as the residents' login.
WAGTAILADMIN_LOGIN_URL = "account_login"
# A signed-in resident sent to the login by the admin sees the form (to sign in as staff),
# not a redirect back to the admin (which would loop).
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False

# --- Two-factor authentication for staff (allauth.mfa) -------------------------------------
# Any account may add an authenticator app (TOTP) and recovery codes at /accounts/2fa/;
# once added, allauth asks for a code at every sign-in. PORTAL_STAFF_MFA_REQUIRED (off by
# default and in the demo) makes it compulsory for staff who publish, export or keep a
# roster (`permissions.must_use_two_factor`) before they use the admin.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "社区协商平台")
PORTAL_STAFF_MFA_REQUIRED = env_bool("PORTAL_STAFF_MFA_REQUIRED", False)
# PORTAL_TRUSTED_PROXY_COUNT: how many reverse proxies in front of the portal append to
# X-Forwarded-For (1 behind the documented nginx; 0 when the portal faces clients). Per-IP
# limits (sign-in, signup, suggestions, roster) then see the real client, not the proxy.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "0"))
LOGIN_REDIRECT_URL = "/"

# --- Languages and time ---------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format across the site and the exports (portal/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
USE_TZ = True
# TIME_ZONE: zone in which dates and times are shown and deadlines fall. Default: Asia/Shanghai.
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")

# --- Static and media files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or os.environ.get("PORTAL_TESTING")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Media on S3-compatible object storage (django-storages), shared by every web host:
# AWS_STORAGE_BUCKET_NAME names the bucket and turns it on; AWS_S3_ENDPOINT_URL for a
# non-Amazon service (MinIO, Ceph, Aliyun OSS, Tencent COS), AWS_S3_REGION_NAME,
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the host's role), AWS_S3_CUSTOM_DOMAIN for
# a CDN in front. Public media only: residents' attachments stay in
# PORTAL_PRIVATE_MEDIA_ROOT. Default: none (files in MEDIA_ROOT).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Public images and documents: plain URLs, no signatures that expire in pages
            # kept by the page cache; an upload never replaces another file of that name.
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
# MEDIA_ROOT: where uploaded images, documents and attachments are stored. Default: media/.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# PORTAL_PRIVATE_MEDIA_ROOT: residents' attachments, fetched only through permission-checked
# views; keep it outside MEDIA_ROOT so no web server serves it. Default: private-media/.
PORTAL_PRIVATE_MEDIA_ROOT = Path(
    os.environ.get("PORTAL_PRIVATE_MEDIA_ROOT", BASE_DIR / "private-media")
)
# Uploads larger than this are refused before they reach a form (bytes).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Mail -------------------------------------------------------------------------------
# EMAIL_URL-style pieces: EMAIL_HOST set means SMTP; otherwise mail is printed to the
# console (development), so a newcomer can read verification links in the terminal.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
# EMAIL_BACKEND: the backend that delivers (set it to another one to replace SMTP). Every
# sender, allauth and Wagtail included, queues its mail (home/mail.py): Django's
# EMAIL_BACKEND is the queue, PORTAL_DELIVERY_EMAIL_BACKEND what the task hands it to.
PORTAL_DELIVERY_EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_BACKEND = "home.mail.QueuedEmailBackend"
# EMAIL_PORT: SMTP port. Default: 587.
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
# EMAIL_HOST_USER / EMAIL_HOST_PASSWORD: SMTP credentials. Default: none.
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
# EMAIL_USE_TLS: STARTTLS on the SMTP connection. Default: on.
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# DEFAULT_FROM_EMAIL: sender of all portal mail. Default: noreply@localhost.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_USE_HTML = False

# --- Text messages (SMS) ----------------------------------------------------------------
# SMS_BACKEND: dotted path of the SMS backend (home/sms.py). Default: the HTTP gateway when
# SMS_GATEWAY_URL is set, otherwise the console (development: codes appear in the terminal).
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_BACKEND = os.environ.get(
    "SMS_BACKEND", "home.sms.HttpGatewayBackend" if SMS_GATEWAY_URL else "home.sms.ConsoleBackend"
)
# SMS_GATEWAY_TOKEN: bearer token for the gateway. Default: none.
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
# SMS_SENDER: sender name or number the gateway shows. Default: empty (the gateway's own).
SMS_SENDER = os.environ.get("SMS_SENDER", "")
# PHONENUMBER_DEFAULT_REGION: how numbers without a country code are read. Default: CN.
PHONENUMBER_DEFAULT_REGION = os.environ.get("PHONENUMBER_DEFAULT_REGION", "CN")

# --- Background tasks -------------------------------------------------------------------
# Mail, search indexing and reminders go through Django's tasks framework.
# TASKS_BACKEND: "database" queues tasks in the database for `manage.py db_worker` (no extra
# server; failed mail is retried); "immediate" runs them at once in the web process.
# "rq" queues them in Redis (django-tasks-rq) for `manage.py rqworker default --job-class
# django_tasks_rq.backend.Job`: faster under load, for more than one machine.
# Default: "database", or "immediate" with DEBUG on so that `make run` needs no worker.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
if os.environ.get("PORTAL_TESTING"):
    # Tests run tasks at once so that their mail lands in the test outbox.
    TASKS_BACKEND = "immediate"
    SMS_BACKEND = "home.sms.LocmemBackend"
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "rq": "django_tasks_rq.RQBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database', 'immediate' or 'rq'.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
# TASKS_REDIS_URL: the Redis of the "rq" queue. Default: REDIS_URL.
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", REDIS_URL)
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL or "redis://127.0.0.1:6379/0"}}
if TASKS_BACKEND == "rq":
    if not TASKS_REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND 'rq' needs TASKS_REDIS_URL or REDIS_URL.")
    INSTALLED_APPS.append("django_rq")  # the `rqworker` command

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "社区协商平台"
# PORTAL_BASE_URL: the public base URL (scheme, host, port) every absolute address is built
# from: mails, text messages, feeds, sitemap, API, QR codes, print views, Wagtail's admin
# mails (home/links.py). `manage.py portal_sync_site` puts the default Site on it.
# Default: WAGTAILADMIN_BASE_URL if set (older deployments), else http://127.0.0.1:8000.
PORTAL_BASE_URL = (
    os.environ.get("PORTAL_BASE_URL")
    or os.environ.get("WAGTAILADMIN_BASE_URL")
    or "http://127.0.0.1:8000"
).rstrip("/")
if os.environ.get("PORTAL_TESTING"):
    # The test client's host, where the test Site lives.
    PORTAL_BASE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
# SEARCH_BACKEND: "database" (PostgreSQL or SQLite full text, no extra server) or
# "elasticsearch8" / "elasticsearch7" / "opensearch2" (Wagtail's backends, for search
# across a province). SEARCH_URL: the cluster, e.g. http://search:9200; SEARCH_INDEX: the
# index name prefix; SEARCH_ANALYZER: the analyzer of Chinese text, a plugin the cluster
# has: "ik_max_word" (analysis-ik, the default) or "smartcn" (analysis-smartcn).
# Default: "database".
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "database")
if SEARCH_BACKEND == "database":
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
elif SEARCH_BACKEND in ("elasticsearch7", "elasticsearch8", "opensearch2"):
    _analyzer = os.environ.get("SEARCH_ANALYZER", "ik_max_word")
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": f"wagtail.search.backends.{SEARCH_BACKEND}",
            "URLS": env_list("SEARCH_URL", "http://127.0.0.1:9200"),
            "INDEX": os.environ.get("SEARCH_INDEX", "portal"),
            "TIMEOUT": 5,
            # Chinese has no spaces between words: the plugin's analyzer cuts text and
            # queries into words, instead of Wagtail's default (English) analyzers.
            "INDEX_SETTINGS": {
                "settings": {
                    "analysis": {
                        "analyzer": {
                            "default": {"type": _analyzer},
                            "default_search": {"type": _analyzer},
                        }
                    }
                }
            },
        }
    }
else:
    raise ImproperlyConfigured(
        "SEARCH_BACKEND must be 'database', 'elasticsearch7', 'elasticsearch8' or 'opensearch2'."
    )
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods", "txt", "csv"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: the admin would load every staff member's picture from gravatar.com (a
# remote asset that leaks a hash of the address, and a broken image on a closed network);
# Wagtail shows its own default avatar or the one uploaded in the account settings.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Slugs are ASCII: Chinese titles become pinyin (home/slugs.py), short enough to print
# under a QR code; percent-encoded unicode slugs are not typeable.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAILAPI_BASE_URL = PORTAL_BASE_URL
# allauth builds its links with this scheme (the adapter uses PORTAL_BASE_URL itself).
ACCOUNT_DEFAULT_HTTP_PROTOCOL = PORTAL_BASE_URL.split("://", 1)[0]
WAGTAILAPI_LIMIT_MAX = 100
REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# Wagtail's live preview shows pages in a same-origin frame, so DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [
    "security.W019",
    # allauth warns that no login method is a required signup field: email and phone are
    # both optional on purpose, and the signup form requires one of them.
    "account.W001",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Django's default, spelt out: a page opened from ours cannot reach back into it.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp, home/csp.py). The site's templates have no inline
# script, style or event handler: everything comes from the portal's origin; images also
# as data: URLs; QR codes are inline SVG (part of the page, not an image source).
# With media on S3 (AWS_STORAGE_BUCKET_NAME) images come from the bucket's host or
# AWS_S3_CUSTOM_DOMAIN as well.
_media_origins = []
if AWS_STORAGE_BUCKET_NAME:
    if os.environ.get("AWS_S3_CUSTOM_DOMAIN"):
        _media_origins = [f"https://{os.environ['AWS_S3_CUSTOM_DOMAIN']}"]
    elif os.environ.get("AWS_S3_ENDPOINT_URL"):
        from urllib.parse import urlsplit

        _endpoint = urlsplit(os.environ["AWS_S3_ENDPOINT_URL"])
        _media_origins = [
            f"{_endpoint.scheme}://{_endpoint.netloc}",
            f"{_endpoint.scheme}://*.{_endpoint.netloc}",
        ]
    else:
        _media_origins = ["https://*.amazonaws.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_media_origins],
        "media-src": [SELF, *_media_origins],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Under /admin/ these replace the site's directives: Wagtail's admin still uses inline
# styles and scripts, previews uploads as blob: images and frames its own live preview.
PORTAL_ADMIN_CSP_DIRECTIVES = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", *_media_origins],
    "frame-ancestors": [SELF],
}
if not DEBUG:
    # Production runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # SECURE_SSL_REDIRECT: redirect plain HTTP to HTTPS. Default: on (off in the test suite).
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not os.environ.get("PORTAL_TESTING"))
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # SECURE_HSTS_SECONDS: HSTS max-age. Default: one year.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Portal rules -----------------------------------------------------------------------
# PORTAL_RETENTION: how long each kind of personal data is kept, in days; enforced daily by
# `manage.py purge_personal_data` (docs/privacy.md). PORTAL_PERSONAL_DATA_DAYS (env) sets
# the hearing registrants' details, as before.
PORTAL_RETENTION = {
    # Registrants' phone numbers, speech summaries, extra answers: days after the session.
    "hearing_registration_details": int(os.environ.get("PORTAL_PERSONAL_DATA_DAYS", "90")),
    # Roster-link codes sent by SMS: days after they expired.
    "roster_link_challenges": 7,
    # The record of which feedback digest went to whom: days after it was sent.
    "feedback_digests": 365,
    # Notifications (inbox, digest and text records) and the digests sent: days after made.
    "notifications": 365,
    # Accounts never verified and not used since: days after the last sign-in (or signup).
    "unverified_accounts": 365,
}
# PORTAL_SUGGESTION_RATE_LIMITS: allauth-style limits on submitting suggestions.
# Default: 10 an hour per resident, 30 an hour per IP address.
PORTAL_SUGGESTION_RATE_LIMITS = os.environ.get("PORTAL_SUGGESTION_RATE_LIMITS", "10/h/user,30/h/ip")
# PORTAL_ROSTER_LINK_RATE_LIMITS: allauth-style limits on asking to be matched against the
# community roster (each ask may send a text). Default: 5 an hour per account, 20 per IP.
PORTAL_ROSTER_LINK_RATE_LIMITS = os.environ.get(
    "PORTAL_ROSTER_LINK_RATE_LIMITS", "5/h/user,20/h/ip"
)
