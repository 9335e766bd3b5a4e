"""HTTP plumbing shared by the email adapters: kept-alive anymail backends for sending, and a kept-alive `requests`
session for the look-ups anymail has no API for. One of each per thread and configuration."""

import json
import threading

import requests
from anymail.utils import get_anymail_setting
from django.conf import settings

from .base import LookupUnavailable, retry_after_seconds

_local = threading.local()


def open_connection(factory, *key):
    """An opened email backend kept per thread and configuration, so consecutive sends reuse one keep-alive HTTP
    session (anymail opens and closes a session around every send otherwise)."""
    key = (factory, settings.EMAIL_BACKEND, json.dumps(getattr(settings, "ANYMAIL", {}), sort_keys=True), *key)
    cache = getattr(_local, "connections", None)
    if cache is None:
        cache = _local.connections = {}
    connection = cache.get(key)
    if connection is None:
        connection = factory()
        connection.open()
        cache[key] = connection
    return connection


def session():
    if getattr(_local, "session", None) is None:
        _local.session = requests.Session()
    return _local.session


def timeout():
    return get_anymail_setting("requests_timeout", default=30)


def lookup_json(provider, url, **kwargs):
    """GET a provider's look-up endpoint and return its JSON object; anything short of that is LookupUnavailable
    (never "not found": a look-up that could not be read says nothing about the message)."""
    try:
        response = session().get(url, timeout=timeout(), **kwargs)
    except requests.exceptions.RequestException as exc:
        raise LookupUnavailable(f"could not reach {provider} ({type(exc).__name__})") from None
    if response.status_code != 200:
        raise LookupUnavailable(
            f"{provider} answered HTTP {response.status_code} to the look-up",
            retry_after=retry_after_seconds(response.headers),
        )
    try:
        page = response.json()
    except ValueError:
        raise LookupUnavailable(f"{provider}'s look-up answer could not be read") from None
    if not isinstance(page, dict):
        raise LookupUnavailable(f"{provider}'s look-up answer could not be read")
    return page
