"""HTTP plumbing shared by the email adapters: kept-alive anymail backends for sending, and a kept-alive `requests`
session for the look-ups anymail has no API for. One of each per thread and configuration."""

import json
import threading

import requests
from anymail.utils import get_anymail_setting
from django.conf import settings
from django.core.mail import get_connection

from .base import LookupUnavailable, retry_after_seconds

_local = threading.local()


def configured_backend():
    """The email backend EMAIL_BACKEND names, raising on errors (a stable factory for open_connection)."""
    return get_connection(fail_silently=False)


def open_connection(factory=configured_backend):
    """An opened email backend kept per thread, factory and configuration, so consecutive sends reuse one keep-alive
    HTTP session (anymail opens and closes a session around every send otherwise). `factory` must be a stable
    callable (a class or a module-level function): it is part of the key. A configuration change (tests) closes the
    factory's old connection."""
    configuration = (settings.EMAIL_BACKEND, json.dumps(getattr(settings, "ANYMAIL", {}), sort_keys=True, default=str))
    cache = getattr(_local, "connections", None)
    if cache is None:
        cache = _local.connections = {}
    held = cache.get(factory)
    if held is not None and held[0] == configuration:
        return held[1]
    if held is not None:
        held[1].close()
    connection = factory()
    connection.open()
    cache[factory] = (configuration, connection)
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
