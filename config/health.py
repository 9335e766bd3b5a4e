"""Health: `/healthz` checks everything a reminder depends on; `/livez` only says the web process answers.

/healthz (for monitoring): the database, Redis, beat's freshness (when the outreach tick last finished) and whether
any Celery worker answers a ping. 200 when all are ok, else 503 naming the part that is not. A tick that has not
finished within HEALTH_BEAT_MAX_AGE_SECONDS means beat is stopped, or every worker is (the tick runs on a worker):
"workers" tells which.

/livez (for load balancers): answers 200 without touching the database, Redis or Celery, so a database outage or a
dead worker never takes every web process out of rotation at once.
"""

import threading
import time

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.periodic import last_run

TICK = "outreach-tick"
# A ping is a broadcast on the broker; a monitor polling every few seconds from every web process should not send
# one each time. The answer is reused for this long.
WORKER_PING_CACHE_SECONDS = 5.0
WORKER_PING_TIMEOUT = 1.0
_ping_lock = threading.Lock()
_ping = {"at": -1e9, "answered": False}


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not ok"; the detail goes to logs, not to the client
        connection.close()  # drop a broken connection so the next request reconnects
        return False
    return True


def check_redis():
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


def beat_status(now=None):
    """("ok" | "stale" | "never", last tick as ISO 8601 or None)."""
    last = last_run(TICK)
    if last is None:
        return "never", None
    age = ((now or timezone.now()) - last).total_seconds()
    return ("ok" if age <= settings.HEALTH_BEAT_MAX_AGE_SECONDS else "stale"), last.isoformat()


def workers_answer():
    """Whether at least one Celery worker answers a ping (the first answer ends the wait)."""
    with _ping_lock:
        if time.monotonic() - _ping["at"] < WORKER_PING_CACHE_SECONDS:
            return _ping["answered"]
        from celery_app import app

        try:
            answered = bool(app.control.ping(timeout=WORKER_PING_TIMEOUT, limit=1))
        except Exception:  # noqa: BLE001 - a broker that cannot be reached means no worker can be reached either
            answered = False
        _ping.update(at=time.monotonic(), answered=answered)
        return answered


@never_cache
@require_GET
def healthz(request):
    database = check_database()
    redis_ok = check_redis()
    beat, last_tick = beat_status() if redis_ok else ("unknown", None)
    parts = {
        "database": "ok" if database else "unavailable",
        "redis": "ok" if redis_ok else "unavailable",
        "beat": beat,
        "workers": ("ok" if workers_answer() else "none answering") if redis_ok else "unknown",
    }
    healthy = all(value == "ok" for value in parts.values())
    response = JsonResponse({**parts, "last_tick": last_tick}, status=200 if healthy else 503)
    # A 503 here is the answer to the question, not a server error: Django would log one ERROR line per poll.
    response._has_been_logged = True
    return response


@never_cache
@require_GET
def livez(request):
    return HttpResponse("ok", content_type="text/plain")
