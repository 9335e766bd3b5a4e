"""Simple fixed-window rate limits kept in the shared cache (Redis), for public endpoints."""

import ipaddress

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The client's address. With TRUSTED_PROXY_COUNT = 0 (the default) it is REMOTE_ADDR: nothing the client sends
    is believed. Behind N trusted proxies, each appending to X-Forwarded-For, it is the N-th address from the right
    of that header: the one the outermost trusted proxy saw; entries further left were written by the client and
    may be forged. A request that passed through fewer proxies than that falls back to REMOTE_ADDR.
    The admin login throttle (django-axes, AXES_CLIENT_IP_CALLABLE) uses this same function."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # garbage where an address should be: the proxy is misconfigured; do not trust it
        return remote


def login_client_ip(request):
    """client_ip for django-axes, which wants None rather than a placeholder when there is no address."""
    address = client_ip(request)
    return None if address == "unknown" else address


def allow(key, limit, window_seconds=3600):
    """Count one hit on `key`; False once more than `limit` hits fell in the current window."""
    cache_key = f"throttle:{key}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        return cache.incr(cache_key) <= limit
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
