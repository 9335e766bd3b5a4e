"""Production: DEBUG off, HTTPS only, every required variable named at start, static files served by WhiteNoise.

config/wsgi.py, config/asgi.py and celery_app.py load these settings when DJANGO_SETTINGS_MODULE is unset, so a
forgotten variable can never start the development settings (DEBUG on, SQLite) on a server.

Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER_NAME (e.g. HTTP_X_FORWARDED_PROTO) so Django knows the
request was HTTPS: https://docs.djangoproject.com/en/5.2/ref/settings/#secure-proxy-ssl-header
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str, require_env

from .base import *  # noqa: F403
from .base import MIDDLEWARE, STORAGES

# What production cannot start without; base.py's development defaults (SQLite, a local Redis, http://127.0.0.1)
# must never be used silently. One line per variable: its name and what it holds. Every missing one is named in
# one error.
REQUIRED = {
    "SECRET_KEY": "50 or more random characters, e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'",
    "ALLOWED_HOSTS": "comma-separated host names this server answers to, e.g. clinic-api.example.org",
    "DATABASE_URL": "postgres://user:password@host:5432/name",
    "REDIS_URL": "redis://host:6379/0 (Celery broker and cache)",
    "PUBLIC_BASE_URL": "this server as the internet sees it, e.g. https://clinic-api.example.org",
    "ANYMAIL_WEBHOOK_SECRET": "user:password the email provider's webhooks send (whatever EMAIL_PROVIDER is)",
    "SUPPRESSION_HASH_KEY": "32 or more random characters, not SECRET_KEY: the key of the suppression list's hashes",
}
require_env(REQUIRED)

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":  # noqa: F405
    raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL in production (SQLite is for `make run`).")

# Integrations fail at start, not at the first message, when their credentials are missing.
if SMS_PROVIDER == "twilio" and not (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN):  # noqa: F405
    raise ImproperlyConfigured("SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.")
# ANYMAIL_WEBHOOK_SECRET is required whatever EMAIL_PROVIDER says: without it every email webhook is refused, and a
# provider switched on later must not find them open.
# The suppression list's hashes have a key of their own, so rotating SECRET_KEY (sessions, links) never forgets who
# must not be messaged, and a leaked SECRET_KEY alone does not let anyone test addresses against the list.
if SUPPRESSION_HASH_KEY == SECRET_KEY or len(SUPPRESSION_HASH_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured("SUPPRESSION_HASH_KEY must be at least 32 characters and differ from SECRET_KEY.")
# Links in messages and webhook signatures are built on it: a real https origin, never the development default.
if not PUBLIC_BASE_URL.startswith("https://"):  # noqa: F405
    raise ImproperlyConfigured("PUBLIC_BASE_URL must be this server's https:// origin in production.")
ADMIN_2FA_REQUIRED = True  # staff who can see patient data use two-factor authentication (outreach/admin/two_factor)

# Static files: WhiteNoise serves STATIC_ROOT from the web process itself, compressed (gzip) and under hashed names
# with far-future cache headers, so the admin has its CSS behind gunicorn alone. `collectstatic` fills STATIC_ROOT
# at start (scripts/start.sh web). https://whitenoise.readthedocs.io/en/stable/django.html
MIDDLEWARE = list(MIDDLEWARE)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}

# HTTPS. Each relaxation is a documented variable (README, Configuration); `make prod-check` uses
# SECURE_SSL_REDIRECT=false because it talks plain HTTP on loopback.
_proxy_header = env_str("SECURE_PROXY_SSL_HEADER_NAME")
SECURE_PROXY_SSL_HEADER = (_proxy_header, "https") if _proxy_header else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# Probes often speak plain HTTP to the web host. /metrics is not exempt: its bearer token must not cross a network
# in clear (scrape it through the TLS proxy, or on loopback behind it).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
