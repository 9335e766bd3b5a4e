"""Liveness of the parts a request or a reminder depends on: the database and Redis."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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


@never_cache
@require_GET
def healthz(request):
    parts = {
        "database": "ok" if check_database() else "unavailable",
        "redis": "ok" if check_redis() else "unavailable",
    }
    healthy = all(value == "ok" for value in parts.values())
    return JsonResponse(parts, status=200 if healthy else 503)
