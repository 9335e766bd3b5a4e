"""Typed readers for environment variables.

Every setting of the project comes from the environment. A malformed value stops the process at start with an
``ImproperlyConfigured`` that names the variable, instead of surfacing later as a confusing runtime error.
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_str(name, default=None, *, required=False):
    value = _raw(name, default)
    if required and value in (None, ""):
        raise ImproperlyConfigured(f"{name} must be set in the environment.")
    return value


def env_bool(name, default=False):
    value = _raw(name, None)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false, 1/0, yes/no); got {value!r}.")


def env_int(name, default, *, minimum=None, maximum=None):
    value = _raw(name, None)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {number}.")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name} must be at most {maximum}; got {number}.")
    return number


def env_list(name, default=()):
    value = _raw(name, None)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name, choices, default):
    value = _raw(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return value


def env_url(name, default=None, *, schemes=("http", "https"), required=False):
    """An absolute URL with one of ``schemes``; trailing slashes are removed so paths can be appended."""
    value = env_str(name, default, required=required)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc:
        raise ImproperlyConfigured(
            f"{name} must be an absolute URL starting with {' or '.join(s + '://' for s in schemes)}; got {value!r}."
        )
    return value.rstrip("/")


def env_origins(name, default=()):
    """A comma-separated list of origins (``scheme://host[:port]``, no path), e.g. for CORS."""
    origins = []
    for item in env_list(name, default):
        parts = urlsplit(item)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") or parts.query:
            raise ImproperlyConfigured(
                f"{name} must list origins like https://clinic.example (scheme and host, no path); got {item!r}."
            )
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


def env_database(name, default):
    """A ``DATABASES`` entry parsed from a database URL (postgres://, sqlite:///)."""
    import dj_database_url

    value = _raw(name, default)
    scheme = urlsplit(value).scheme
    if scheme not in ("postgres", "postgresql", "pgsql", "sqlite"):
        raise ImproperlyConfigured(f"{name} must be a postgres:// or sqlite:/// URL; got scheme {scheme!r}.")
    try:
        config = dj_database_url.parse(value, conn_max_age=0)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    # Persistent connections (README "Running at scale"): a web thread or worker thread keeps its connection for
    # DATABASE_CONN_MAX_AGE seconds instead of opening one per request or task (a new PostgreSQL session costs a
    # fork on the server and several round trips here). Health checks make a connection that broke while idle (a
    # database restart, a failover) be replaced before it is used, instead of failing the next request or task.
    # Workers keep theirs across tasks through config/celery_connections.py.
    config["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0)
    config["CONN_HEALTH_CHECKS"] = True
    if scheme == "sqlite":
        config.setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    return config


# SQLite shared by the web process, a threaded Celery worker and beat (`make run`). Without these, a transaction that
# reads and then writes (the dispatcher's claim, a send's bookkeeping) starts DEFERRED and fails at once with
# "database is locked" when another connection writes meanwhile: SQLite cannot wait for that upgrade, whatever the
# timeout. BEGIN IMMEDIATE takes the write lock up front, so writers queue for up to `timeout` seconds instead; WAL
# lets readers go on while one connection writes. Django 5.1+ options:
# https://docs.djangoproject.com/en/5.2/ref/databases/#sqlite-transaction-behavior
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}


def require_env(needed):
    """Stop with one error naming every variable of `needed` ({name: what it holds}) that is unset or blank.

    One error for all of them, so a first deployment learns everything that is missing in one try.
    """
    missing = [f"  {name}: {meaning}" for name, meaning in needed.items() if _raw(name, None) is None]
    if missing:
        raise ImproperlyConfigured(
            "These environment variables must be set (README, Deploying):\n" + "\n".join(missing)
        )
