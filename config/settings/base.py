"""Settings shared by every environment. Everything configurable is read from the environment (see README)."""

from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_origins,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

# Core Django: https://docs.djangoproject.com/en/5.2/ref/settings/
SECRET_KEY = env_str("SECRET_KEY")  # each environment decides whether a default is acceptable
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "cms",
    "outreach",
    "config",
    "wagtail.api.v2",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.forms",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_headless_preview",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "modelcluster",
    "taggit",
    "rest_framework",
    "phonenumber_field",
    "anymail",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "corsheaders",
]

MIDDLEWARE = [
    "log_request_id.middleware.RequestIDMiddleware",  # an id per request, in every log line and X-Request-ID
    "config.metrics.WebhookMetricsMiddleware",  # outermost but one, so it counts 413s and 403s too
    # Before the rest, so every answer of the paths it covers (errors, 304s, cache hits) carries the CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "config.middleware.RequestSizeLimitMiddleware",  # 413 before a body over the limit is read (config/middleware.py)
    "config.middleware.QueryGuardMiddleware",  # 400 for NUL bytes and out-of-range paging (config/middleware.py)
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",  # django-csp, plus inline scripts for the Wagtail admin
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "cms.caching.APICacheMiddleware",  # ETag, Cache-Control and 304s for /api/v2/ (see cms/caching.py)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a one-time code was entered this session
    # Staff who can see patient data enter a one-time code after login (outreach/admin/two_factor.py).
    "outreach.admin.two_factor.PatientDataTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cms.redirects.PublicRedirectMiddleware",  # Wagtail's redirects, to public pages only (cms/redirects.py)
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres:// in production and tests; SQLite is only the zero-setup default of `make run`).
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# Content languages (README "Languages"): English, the default, at unprefixed paths; Spanish under /es/. Each
# translation is its own page in its locale (Wagtail i18n), made in the admin with wagtail.contrib.simple_translation
# and published only through its own medical review (cms/medical_review.py).
# https://docs.wagtail.org/en/stable/advanced_topics/i18n.html
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "UTC"  # storage and logs; patients' own zones are per contact, the clinic's is a site setting
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Request size limits: bodies and uploads beyond these are refused before being read whole.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Multipart uploads (the CSV import, images, documents) may be larger than a form body, up to this.
REQUEST_MAX_UPLOAD_BYTES = env_int("REQUEST_MAX_UPLOAD_BYTES", 25 * 1024 * 1024, minimum=1024)

# Reverse proxies in front of this server that append to X-Forwarded-For. 0: trust nothing, the client is
# REMOTE_ADDR. One rule (config.throttle.client_ip) serves the admin login lockout and the subscribe throttle.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)

# Admin login throttle: https://django-axes.readthedocs.io/en/latest/4_configuration.html
# Five failures for one username from one address lock that pair out for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.throttle.login_client_ip"
AXES_VERBOSE = False

# Admin sessions end after ADMIN_SESSION_IDLE_MINUTES without a request (each request renews the cookie), and with
# the browser. https://docs.djangoproject.com/en/5.2/topics/http/sessions/#browser-length-sessions-vs-persistent-sessions
SESSION_COOKIE_AGE = env_int("ADMIN_SESSION_IDLE_MINUTES", 30, minimum=5, maximum=24 * 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Two-factor authentication (django-otp, TOTP authenticator apps) for staff who can see patient data; always on in
# production, off by default for `make run` and tests. https://django-otp-official.readthedocs.io/
ADMIN_2FA_REQUIRED = env_bool("ADMIN_2FA_REQUIRED", True)

# Content-Security-Policy for every response that does not set its own (the front-end shell does, see
# config/frontend.py). The Wagtail admin needs inline styles, and inline scripts under /admin/ only
# (config/middleware.py); everywhere else scripts come only from this origin.
# https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", "https://www.youtube.com", "https://player.vimeo.com"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Public origins. PUBLIC_BASE_URL is this server as the internet sees it (webhook signatures, unsubscribe links);
# FRONTEND_BASE_URL is the headless front end that renders pages (article links in the API and in messages).
PUBLIC_BASE_URL = env_url("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
FRONTEND_BASE_URL = env_url("FRONTEND_BASE_URL", PUBLIC_BASE_URL)
# The reference front end (frontend/, see README "Front end"): this server serves it at / unless switched off, e.g.
# when FRONTEND_BASE_URL is another host that serves the same files.
SERVE_FRONTEND = env_bool("SERVE_FRONTEND", True)
# The editor's preview panel frames the front end, which may live on another origin.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"].append(FRONTEND_BASE_URL)

# CORS (django-cors-headers, https://github.com/adamchainz/django-cors-headers): a front end on another origin may
# read the content API and its OpenAPI document, and post to the subscribe endpoint the reference front end uses.
# Only the listed origins, and never with credentials: the API is anonymous and never reads cookies, and a preview is
# authorised by its token alone. ETag is exposed and If-None-Match allowed so revalidation (304) works cross-origin.
CORS_ALLOWED_ORIGINS = env_origins("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/(?:v2/|openapi\.json$|outreach/v1/subscriptions/$)"
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS", "POST")
CORS_ALLOW_HEADERS = ("accept", "content-type", "if-none-match")
CORS_EXPOSE_HEADERS = ("ETag",)
CORS_PREFLIGHT_MAX_AGE = 86400

# Redis: the Celery broker and the shared cache. https://docs.celeryq.dev/en/stable/userguide/configuration.html
REDIS_URL = env_url("REDIS_URL", "redis://127.0.0.1:6379/0", schemes=("redis", "rediss", "unix"))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "clinic",
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}

# Celery (namespace CELERY, read by celery_app.py). JSON only, late acks, one task at a time per process slot:
# a worker that dies mid-task leaves the message for another worker; the outbox row lease prevents a double send.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_timeout": 5, "socket_connect_timeout": 5}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
# Keep each worker thread's database connection across tasks (config/celery_connections.py): Celery's Django fixup
# closes it only every 2 x CELERY_DB_REUSE_MAX task signals; CONN_MAX_AGE and the health checks decide otherwise.
if DATABASES["default"]["CONN_MAX_AGE"]:
    CELERY_DB_REUSE_MAX = 100_000
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "outreach")
OUTREACH_TICK_SECONDS = env_int("OUTREACH_TICK_SECONDS", 30, minimum=1, maximum=3600)
# The outreach dispatch: hands out what is due every OUTREACH_DISPATCH_SECONDS, apart from the slower tick (leases,
# expiry, planning), then each planned row at the moment it falls due until its next run (dispatch.dispatch_until),
# so a planned reminder leaves within a fraction of a second of its due time. Idle, a few indexed queries per
# channel. Both on the control queue (celery_app.py); each expires rather than pile up when no worker takes it.
OUTREACH_DISPATCH_SECONDS = env_int("OUTREACH_DISPATCH_SECONDS", 1, minimum=1, maximum=60)
CELERY_BEAT_SCHEDULE = {
    "outreach-tick": {
        "task": "outreach.tasks.tick",
        "schedule": float(OUTREACH_TICK_SECONDS),
        "options": {"expires": float(OUTREACH_TICK_SECONDS)},
    },
    "outreach-dispatch": {
        "task": "outreach.tasks.dispatch_due",
        "schedule": float(OUTREACH_DISPATCH_SECONDS),
        "options": {"expires": float(max(2, OUTREACH_DISPATCH_SECONDS))},
    },
    "wagtail-publish-scheduled": {"task": "cms.tasks.publish_scheduled", "schedule": 60.0},
    # Daily at 03:17 UTC (off the hour, when clinics are closed): config/tasks.py, README "Retention".
    "retention": {"task": "config.tasks.retention", "schedule": crontab(hour=3, minute=17)},
}

# Wagtail's own background tasks (search index and reference index updates, file deletion) run through
# django-tasks. We run them in-process after the transaction commits: they are small, and a second queue to
# operate would add a failure mode without a benefit at this scale.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}

# Wagtail: https://docs.wagtail.org/en/stable/reference/settings.html
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Clinic CMS")
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME  # the name authenticator apps show for the two-factor code
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILAPI_BASE_URL = PUBLIC_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
WAGTAIL_I18N_ENABLED = True
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "txt"]
# Documents are served only through Wagtail's document view (/documents/<id>/<file>), which applies collection
# privacy; never from MEDIA_URL (the dev server does not serve /media/documents/, and production's proxy must not:
# README "Security model"). https://docs.wagtail.org/en/stable/reference/settings.html#wagtaildocs-serve-method
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no staff email hashes sent to a third party (and none needed in the CSP)
# Rich text in API responses is front-end HTML (cms/rich_text.py); Wagtail's database HTML is never sent.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# Headless preview: the editor's Preview loads FRONTEND_BASE_URL/preview?content_type=...&token=..., and the front end
# fetches the draft from /api/v2/page_preview/ with the same query. https://github.com/torchbox/wagtail-headless-preview
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {"default": FRONTEND_BASE_URL + "/preview"},
    "SERVE_BASE_URL": FRONTEND_BASE_URL,
    "REDIRECT_ON_PREVIEW": False,
    "ENFORCE_TRAILING_SLASH": False,
}
CMS_PREVIEW_TOKEN_MAX_AGE = env_int("CMS_PREVIEW_TOKEN_MAX_AGE", 3600, minimum=60, maximum=7 * 24 * 3600)
# Upper bound on how long a rendered API response stays in the server-side cache; a publish invalidates it at once.
CMS_API_CACHE_SECONDS = env_int("CMS_API_CACHE_SECONDS", 300, minimum=0, maximum=86400)

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",  # unreadable bodies name the field "body"
}

# Outbound messaging providers. "console" logs each message and records it in the outbox, nothing leaves.
SMS_PROVIDER = env_choice("SMS_PROVIDER", ("console", "twilio"), "console")
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER")
TWILIO_MESSAGING_SERVICE_SID = env_str("TWILIO_MESSAGING_SERVICE_SID")
TWILIO_API_BASE_URL = env_url("TWILIO_API_BASE_URL", "https://api.twilio.com")
TWILIO_HTTP_TIMEOUT = env_int("TWILIO_HTTP_TIMEOUT", 10, minimum=1, maximum=120)

EMAIL_PROVIDER = env_choice("EMAIL_PROVIDER", ("console", "postmark", "mailgun"), "console")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Clinic <no-reply@clinic.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ANYMAIL = {
    "POSTMARK_SERVER_TOKEN": env_str("POSTMARK_SERVER_TOKEN"),
    "POSTMARK_API_URL": env_url("POSTMARK_API_URL", "https://api.postmarkapp.com") + "/",
    "MAILGUN_API_KEY": env_str("MAILGUN_API_KEY"),
    "MAILGUN_SENDER_DOMAIN": env_str("MAILGUN_SENDER_DOMAIN"),
    "MAILGUN_API_URL": env_url("MAILGUN_API_URL", "https://api.mailgun.net/v3"),
    "WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET"),
    "REQUESTS_TIMEOUT": env_int("EMAIL_HTTP_TIMEOUT", 10, minimum=1, maximum=120),
}
# Mailgun signs its webhooks with a key of its own (Sending > Webhooks > "HTTP webhook signing key"); without it
# anymail falls back to MAILGUN_API_KEY. https://anymail.dev/en/stable/esps/mailgun/#status-tracking-webhooks
if env_str("MAILGUN_WEBHOOK_SIGNING_KEY"):
    ANYMAIL["MAILGUN_WEBHOOK_SIGNING_KEY"] = env_str("MAILGUN_WEBHOOK_SIGNING_KEY")
EMAIL_BACKEND = {
    "console": "outreach.providers.console.LoggingEmailBackend",
    "postmark": "anymail.backends.postmark.EmailBackend",
    "mailgun": "anymail.backends.mailgun.EmailBackend",
}[EMAIL_PROVIDER]

# Outreach engine. Scheduling lives in the outbox table; these bound how it is claimed, retried and paced.
OUTREACH_PLAN_AHEAD_SECONDS = env_int("OUTREACH_PLAN_AHEAD_SECONDS", 900, minimum=0)
OUTREACH_PLAN_LOOKBACK_SECONDS = env_int("OUTREACH_PLAN_LOOKBACK_SECONDS", 6 * 3600, minimum=0)
OUTREACH_DISPATCH_BATCH = env_int("OUTREACH_DISPATCH_BATCH", 500, minimum=1)
# Rows of an unpaced channel one send task takes (one transaction decides them all, their calls leave together); a
# paced channel's rows go one per task, each waiting for its slot. Threads per worker process for those calls.
OUTREACH_SEND_BATCH = env_int("OUTREACH_SEND_BATCH", 50, minimum=1, maximum=500)
OUTREACH_SEND_CONCURRENCY = env_int("OUTREACH_SEND_CONCURRENCY", 32, minimum=1, maximum=256)
# Rows of a channel claimed and not yet settled (queued or being sent) at most: claims are sized to what the workers
# can take before their leases run out, so nothing waits in the queue past its lease (README "Running at scale").
OUTREACH_MAX_IN_FLIGHT = env_int("OUTREACH_MAX_IN_FLIGHT", 1000, minimum=1)
OUTREACH_LEASE_SECONDS = env_int("OUTREACH_LEASE_SECONDS", 180, minimum=30)
OUTREACH_MAX_ATTEMPTS = env_int("OUTREACH_MAX_ATTEMPTS", 8, minimum=1)
OUTREACH_RETRY_BASE_SECONDS = env_int("OUTREACH_RETRY_BASE_SECONDS", 30, minimum=1)
OUTREACH_RETRY_MAX_SECONDS = env_int("OUTREACH_RETRY_MAX_SECONDS", 1800, minimum=1)
OUTREACH_SMS_VALIDITY_SECONDS = env_int("OUTREACH_SMS_VALIDITY_SECONDS", 4 * 3600, minimum=1, maximum=36000)
OUTREACH_SMS_RATE_PER_SECOND = env_int("OUTREACH_SMS_RATE_PER_SECOND", 0, minimum=0)  # 0: no pacing
OUTREACH_EMAIL_RATE_PER_SECOND = env_int("OUTREACH_EMAIL_RATE_PER_SECOND", 0, minimum=0)
OUTREACH_STAFF_EMAIL = env_str("OUTREACH_STAFF_EMAIL", "front-desk@clinic.example")
OUTREACH_ONCALL_EMAIL = env_str("OUTREACH_ONCALL_EMAIL", "on-call@clinic.example")
# Terms that must never show on a lock screen (SMS bodies, email subjects); empty: the built-in list
# (outreach/sensitive.py). The clinic's own name is always exempt.
OUTREACH_SENSITIVE_TERMS = env_list("OUTREACH_SENSITIVE_TERMS")
# Languages messages are sent in (outreach/languages.py; README "Languages"): ISO 639-1 codes with built-in keyword,
# crisis and footer texts (en, es). The clinic's default among them is chosen in Settings > Clinic.
OUTREACH_LANGUAGES = env_list("OUTREACH_LANGUAGES", ["en", "es"])
_unsupported_languages = sorted(set(OUTREACH_LANGUAGES) - {"en", "es"})
if _unsupported_languages or not OUTREACH_LANGUAGES:
    raise ImproperlyConfigured(
        f"OUTREACH_LANGUAGES must list languages among en, es; got {', '.join(_unsupported_languages) or 'none'}."
    )
# Article follow-ups and digests: how far back announcements count, and the link tracking parameters.
OUTREACH_DIGEST_LOOKBACK_DAYS = env_int("OUTREACH_DIGEST_LOOKBACK_DAYS", 30, minimum=1)
# Subscribe endpoint throttles (per client IP, per address), per hour.
OUTREACH_SUBSCRIBE_PER_IP_HOUR = env_int("OUTREACH_SUBSCRIBE_PER_IP_HOUR", 20, minimum=1)
OUTREACH_SUBSCRIBE_PER_ADDRESS_HOUR = env_int("OUTREACH_SUBSCRIBE_PER_ADDRESS_HOUR", 3, minimum=1)
# Subscription confirmation texts for the whole deployment, per hour: the ceiling on what SMS pumping fraud through
# the public form can cost (outreach/followups/confirmations.py).
OUTREACH_CONFIRMATION_SMS_PER_HOUR = env_int("OUTREACH_CONFIRMATION_SMS_PER_HOUR", 50, minimum=0)
# Destination countries (ISO 3166 alpha-2) the product texts, on every path.
OUTREACH_SMS_ALLOWED_COUNTRIES = [code.upper() for code in env_list("OUTREACH_SMS_ALLOWED_COUNTRIES", ["US", "CA"])]
# Keyed hashes of suppressed addresses (required in production, independent of SECRET_KEY). To rotate it, put the old
# key first in SUPPRESSION_HASH_PREVIOUS_KEYS: suppressions hashed with it keep counting (README "Security model").
SUPPRESSION_HASH_KEY = env_str("SUPPRESSION_HASH_KEY")
SUPPRESSION_HASH_PREVIOUS_KEYS = env_list("SUPPRESSION_HASH_PREVIOUS_KEYS")

# Retention (config/tasks.py, run daily by beat; README "Retention"). The consent ledger is never purged.
RETENTION_MESSAGE_BODY_DAYS = env_int("RETENTION_MESSAGE_BODY_DAYS", 90, minimum=1)
RETENTION_INBOUND_DAYS = env_int("RETENTION_INBOUND_DAYS", 90, minimum=1)
RETENTION_DELIVERY_EVENT_DAYS = env_int("RETENTION_DELIVERY_EVENT_DAYS", 180, minimum=1)
RETENTION_LOGIN_ATTEMPT_DAYS = env_int("RETENTION_LOGIN_ATTEMPT_DAYS", 90, minimum=1)

# Monitoring (README "Monitoring"). /metrics answers only a bearer of METRICS_TOKEN (404 while unset); /healthz
# calls beat stale when the outreach tick has not finished for this long.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# prometheus-client's multiprocess mode (README "Monitoring") fails at import when its directory is missing, e.g. a
# one-off `manage.py` in a fresh container: make it here, before any metric is created.
if env_str("PROMETHEUS_MULTIPROC_DIR"):
    Path(env_str("PROMETHEUS_MULTIPROC_DIR")).mkdir(parents=True, exist_ok=True)
HEALTH_BEAT_MAX_AGE_SECONDS = env_int("HEALTH_BEAT_MAX_AGE_SECONDS", max(300, 5 * OUTREACH_TICK_SECONDS), minimum=10)

# Logging: plain lines, or one JSON object per line with LOG_FORMAT=json. Every line carries the request id
# (django-log-request-id; also sent back as X-Request-ID) and passes config.logs.RedactFilter, which removes the
# signed tokens of link paths and query strings. The same filter sits on the loggers that write request paths (a
# logger's filter runs before any handler, a test's capture included). https://github.com/dabapps/django-log-request-id
LOG_FORMAT = env_choice("LOG_FORMAT", ("plain", "json"), "plain")
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"
LOG_USER_ATTRIBUTE = None
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "log_request_id.filters.RequestIDFilter"},
        "redact": {"()": "config.logs.RedactFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id", "redact"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"filters": ["redact"]},
        "django.server": {"filters": ["redact"]},
        "django.security": {"filters": ["redact"]},
        "django.db.backends": {"level": "WARNING"},
        "twilio.http_client": {"level": "WARNING"},  # logs request URLs and headers at INFO
        "twilio.async_http_client": {"level": "WARNING"},  # the same, eight lines per text sent in a batch
        "django_tasks": {"level": "WARNING"},  # one INFO line per Wagtail index update
    },
}

# Error reports to Sentry, only when SENTRY_DSN is set; events are scrubbed of personal data and tokens before they
# leave (config/sentry.py). https://docs.sentry.io/platforms/python/integrations/django/
SENTRY_DSN = env_str("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
if SENTRY_DSN:
    from config.sentry import init_sentry

    init_sentry(SENTRY_DSN, SENTRY_ENVIRONMENT)
