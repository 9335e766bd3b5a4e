"""Benchmarks (`make bench`, bench/): production-shaped settings against a dedicated PostgreSQL database and Redis db.

Everything else is base.py as shipped (connection handling, Celery options, middleware), so the figures describe
what production runs. The benchmark driver sets the provider variables (SMS_PROVIDER, TWILIO_*, EMAIL_PROVIDER,
POSTMARK_*, PUBLIC_BASE_URL...) in the environment of the processes it starts.
"""

from config.env import env_database, env_str, env_url

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BEAT_SCHEDULE, LOGGING

SECRET_KEY = env_str("SECRET_KEY", "bench-secret-key-not-for-production-0123456789abcdefghijklmnopq")
DEBUG = False
ALLOWED_HOSTS = ["*"]

# https://docs.djangoproject.com/en/5.2/ref/settings/#databases
DATABASES = {"default": env_database("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic_bench")}
REDIS_URL = env_url("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10", schemes=("redis", "rediss", "unix"))
CACHES["default"]["LOCATION"] = REDIS_URL
# One prefix and one queue per run (the driver sets them), so two runs sharing a Redis db never see each other.
CACHES["default"]["KEY_PREFIX"] = env_str("BENCH_KEY_PREFIX", "clinic-bench")
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = env_str("BENCH_CELERY_QUEUE", "bench")
# The outreach schedule as shipped (tick and dispatch), without the CMS and retention tasks.
CELERY_BEAT_SCHEDULE = {name: entry for name, entry in CELERY_BEAT_SCHEDULE.items() if name.startswith("outreach-")}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # no real passwords here
MEDIA_ROOT = VAR_DIR / "bench-media"  # noqa: F405
LOGGING["root"]["level"] = env_str("LOG_LEVEL", "WARNING")
