"""Tests: real PostgreSQL and Redis on 127.0.0.1 (TEST_DATABASE_URL and TEST_REDIS_URL override)."""

import os
import uuid

from config.env import env_database, env_url

from .base import *  # noqa: F403
from .base import CACHES

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"
DEBUG = False
ALLOWED_HOSTS = ["*"]

DATABASES = {"default": env_database("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/clinic")}
REDIS_URL = env_url("TEST_REDIS_URL", "redis://127.0.0.1:6379/1", schemes=("redis", "rediss", "unix"))
CACHES["default"]["LOCATION"] = REDIS_URL
CACHES["default"]["KEY_PREFIX"] = "clinic-test"
CELERY_BROKER_URL = REDIS_URL

ADMIN_2FA_REQUIRED = False  # tests of two-factor switch it on (tests/security/test_admin_sessions.py)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; no real passwords in tests
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405

# A queue of this test run's own, so a worker started by one run never takes another run's tasks. setdefault puts
# it into os.environ, so the worker processes a test starts inherit the same name.
CELERY_TASK_DEFAULT_QUEUE = os.environ.setdefault("TEST_CELERY_QUEUE", f"test-{uuid.uuid4().hex[:12]}")
