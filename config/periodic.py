"""Periodic tasks that must never overlap, and when each last ran.

`exclusive(name)` wraps a beat task: the run holds a PostgreSQL advisory lock named for the task, and a run that
finds the lock taken does nothing. So a second beat (a host restored from an image, two `celery beat` started by
mistake, a deploy that overlaps the old one) is harmless: its ticks find the lock held, or run after the first
one finished, never beside it.

Why an advisory lock, written here: Celery has no "one at a time" for periodic tasks (its documentation suggests a
cache lock with an expiry). A lock that expires can expire during a long tick; a session advisory lock lives exactly
as long as the database connection holding it, so a worker killed mid-tick releases it with its connection, and
there is no timeout to tune. On SQLite (`make run`'s default database, a single beat) there is no such lock and
none is needed.

Each finished run records its time (in the cache, for /healthz and /metrics) and its duration (a histogram).
"""

import datetime
import hashlib
import logging
import time
from contextlib import contextmanager
from functools import wraps

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone
from prometheus_client import Counter, Histogram

logger = logging.getLogger(__name__)

RUN_SECONDS = Histogram(
    "clinic_periodic_run_seconds",
    "Duration of each run of a periodic task (outreach tick, retention...).",
    ["task"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
SKIPPED = Counter("clinic_periodic_skipped", "Runs skipped because another run held the task's lock.", ["task"])
CACHE_KEY = "periodic:last-run:{}"


def lock_key(name):
    """A stable signed 64-bit key for pg_advisory_lock, from the lock's name."""
    return int.from_bytes(hashlib.sha256(f"clinic:{name}".encode()).digest()[:8], "big", signed=True)


@contextmanager
def advisory_lock(name, *, wait=False):
    """Hold PostgreSQL's session advisory lock `name` for the block; yields whether it was acquired.

    wait=False returns at once (False) when another session holds it; wait=True blocks until it is free.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)" if wait else "SELECT pg_try_advisory_lock(%s)", [key])
        acquired = wait or bool(cursor.fetchone()[0])
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
            except DatabaseError:
                # The connection broke during the run: PostgreSQL released the lock with the session. Drop ours so
                # the next task reconnects.
                connection.close()


def exclusive(name):
    """Decorator: run the task under `advisory_lock(name)`, or skip it (returning None) when another run holds it."""

    def decorate(func):
        @wraps(func)
        def run(*args, **kwargs):
            with advisory_lock(name) as acquired:
                if not acquired:
                    SKIPPED.labels(task=name).inc()
                    logger.info("%s: skipped, another run holds its lock", name)
                    return None
                started = time.monotonic()
                result = func(*args, **kwargs)
                RUN_SECONDS.labels(task=name).observe(time.monotonic() - started)
                record_run(name)
                return result

        return run

    return decorate


def record_run(name, when=None):
    try:
        cache.set(CACHE_KEY.format(name), (when or timezone.now()).timestamp(), timeout=None)
    except Exception:  # noqa: BLE001 - the cache (Redis) being away must not fail the run that just succeeded
        logger.warning("%s: could not record the run's time in the cache", name)


def last_run(name):
    """When `name` last finished a run (an aware datetime), or None if never (or the cache is unavailable)."""
    try:
        value = cache.get(CACHE_KEY.format(name))
    except Exception:  # noqa: BLE001 - health reports the cache separately
        return None
    return datetime.datetime.fromtimestamp(value, tz=datetime.UTC) if value is not None else None
