"""HTTP caching of the content API (``/api/v2/``).

Responses carry a strong ``ETag`` (a hash of the body) and ``Cache-Control: public, no-cache``: browsers and CDNs
may store them but must revalidate every time, and a revalidation that matches answers ``304 Not Modified`` with no
body. Revalidating on every use is what keeps "published means visible at once" true for every client; a
``max-age`` would let caches serve a page for up to that long after it was unpublished.

The work is saved on the server instead: rendered bodies are kept in the Django cache (Redis) under a key that
includes a content version, bumped by cms/signal_handlers.py on every content change, so a publish makes every
stored response unreachable at once. An entry also never outlives the next scheduled expiry of a live page, so a page
past its ``expire_at`` drops out even before the scheduled-publishing job unpublishes it.

Preview responses (drafts behind a token) are never stored: ``private, no-store``.

Only the anonymous view is ever computed, so a stored response can never hold what one user may see and another may
not: every cacheable API request reaches the view without its session or Authorization header (`as_anonymous`).
A staff member's session, a collection password passed earlier, basic-auth credentials: none of them changes an
API answer, so the key (host, path, query, content version) is everything that does.
"""

import hashlib
import importlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

API_PREFIX = "/api/v2/"
UNCACHED_PREFIXES = ("/api/v2/page_preview/",)
CACHE_CONTROL = "public, no-cache"
VERSION_KEY = "cms:content-version"


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # Start from the clock, not 0, so a flushed cache never reuses a version that keyed older content.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump_content_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def seconds_until_next_expiry(now=None):
    from wagtail.models import Page

    now = now or timezone.now()
    next_expiry = (
        Page.objects.live().filter(expire_at__gt=now).order_by("expire_at").values_list("expire_at", flat=True).first()
    )
    return None if next_expiry is None else max(1, int((next_expiry - now).total_seconds()))


def etag_for(body):
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _cache_key(request, version):
    query = sorted(request.GET.lists())
    raw = f"{version}|{request.get_host()}|{request.path}|{query}"
    return "cms:api:" + hashlib.sha256(raw.encode()).hexdigest()


def _not_modified(request, etag):
    if_none_match = request.headers.get("If-None-Match")
    return bool(if_none_match) and (if_none_match.strip() == "*" or etag in parse_etags(if_none_match))


def as_anonymous(request):
    """Strip what identifies the caller: an empty session (AuthenticationMiddleware then finds no user, and no
    collection or page password counts as passed) and no Authorization header (DRF's basic authentication)."""
    engine = importlib.import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore()
    request.META.pop("HTTP_AUTHORIZATION", None)
    request.COOKIES = {}


class APICacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if not path.startswith(API_PREFIX) or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if path.startswith(UNCACHED_PREFIXES):
            response = self.get_response(request)
            response["Cache-Control"] = "private, no-store"
            return response

        as_anonymous(request)
        key = _cache_key(request, content_version())
        stored = cache.get(key)
        if stored is None:
            response = self.get_response(request)
            if response.status_code != 200 or response.streaming:
                response["Cache-Control"] = CACHE_CONTROL
                return response
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            stored = {"body": response.content, "content_type": response["Content-Type"]}
            timeout = settings.CMS_API_CACHE_SECONDS
            until_expiry = seconds_until_next_expiry()
            if until_expiry is not None:
                timeout = min(timeout, until_expiry)
            cache.set(key, stored, timeout=timeout)
            hit = False
        else:
            hit = True

        etag = etag_for(stored["body"])
        if _not_modified(request, etag):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(stored["body"], content_type=stored["content_type"])
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        response["X-Cache"] = "hit" if hit else "miss"
        patch_vary_headers(response, ["Accept-Encoding"])
        return response
