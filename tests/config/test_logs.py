"""Logs: JSON lines with request ids when LOG_FORMAT=json; no signed token, query string or request object in any
line; Sentry events scrubbed the same way and Sentry off unless SENTRY_DSN is set."""

import io
import json
import logging
import logging.config
import subprocess
import sys

import pytest
from django.conf import settings
from log_request_id.filters import RequestIDFilter

from config.logs import RedactFilter, redact
from config.sentry import scrub
from outreach.consent import links
from tests.outreach.factories import make_contact

TOKEN = "AbC123.sig-nature_XYZ:987"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"GET /u/{TOKEN}/ 200", "GET /u/…/ 200"),
        (f"Not Found: /preferences/{TOKEN}/", "Not Found: /preferences/…/"),
        (f"/subscriptions/confirm/{TOKEN}/", "/subscriptions/confirm/…/"),
        (f"https://clinic.example/r/{TOKEN}/?utm_source=sms", "https://clinic.example/r/…/?…"),
        (f"/api/v2/page_preview/?content_type=cms.article&token={TOKEN}", "/api/v2/page_preview/?…"),
        ("outreach tick: recovered=0 expired=0", "outreach tick: recovered=0 expired=0"),
        ("is it? yes", "is it? yes"),
        ("/api/v2/pages/12/", "/api/v2/pages/12/"),
    ],
)
def test_redact_removes_tokens_and_query_strings(line, expected):
    assert redact(line) == expected


def json_handler(stream):
    configurator = logging.config.DictConfigurator(settings.LOGGING)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configurator.configure_formatter(dict(settings.LOGGING["formatters"]["json"])))
    handler.addFilter(RequestIDFilter())
    handler.addFilter(RedactFilter())
    return handler


@pytest.mark.django_db
def test_a_request_logs_json_with_its_request_id_and_without_the_token(client):
    contact = make_contact()
    token = links.make_token(contact)
    stream = io.StringIO()
    handler = json_handler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        response = client.get(f"/u/{token}x/?utm_source=sms")  # a tampered link: logged as a warning
        logging.getLogger("django.request").warning("Not Found: %s", f"/u/{token}/", extra={"request": object()})
    finally:
        root.removeHandler(handler)
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines, "nothing was logged"
    text = stream.getvalue()
    assert token not in text and "utm_source" not in text and str(contact.phone) not in text
    assert any(line.get("request_id") == request_id for line in lines)
    assert all({"time", "level", "logger", "message", "request_id"} <= set(line) for line in lines)
    assert all("request" not in line for line in lines)


def test_sentry_events_lose_personal_data_and_tokens():
    event = {
        "request": {
            "url": f"https://clinic.example/preferences/{TOKEN}/",
            "query_string": f"token={TOKEN}",
            "data": {"phone": "+12035550123"},
            "cookies": {"sessionid": "s"},
            "headers": {"Cookie": "sessionid=s", "Referer": f"https://clinic.example/u/{TOKEN}/", "User-Agent": "x"},
            "env": {"REMOTE_ADDR": "192.0.2.1"},
        },
        "user": {"email": "patient@example.com", "ip_address": "192.0.2.1"},
        "transaction": f"/u/{TOKEN}/",
        "logentry": {"message": "Not Found: %s", "params": [f"/u/{TOKEN}/"], "formatted": f"Not Found: /u/{TOKEN}/"},
        "exception": {"values": [{"type": "ValueError", "value": f"bad link /r/{TOKEN}/?a=1"}]},
        "breadcrumbs": {
            "values": [{"message": f"GET /u/{TOKEN}/", "data": {"url": f"https://h/r/{TOKEN}/", "http.query": "t=1"}}]
        },
    }
    text = json.dumps(scrub(event))
    assert TOKEN not in text and "+12035550123" not in text and "patient@example.com" not in text
    assert "192.0.2.1" not in text and "sessionid" not in text
    assert event["request"]["headers"] == {"User-Agent": "x"}


@pytest.mark.parametrize("dsn", ["", "http://public@127.0.0.1:9/1"])
def test_sentry_is_on_only_with_a_dsn(dsn):
    code = (
        "import django; django.setup(); import sentry_sdk; client = sentry_sdk.get_client();"
        "print(client.is_active(), client.options.get('send_default_pii'), client.options.get('before_send'))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "SENTRY_DSN": dsn, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    if dsn:
        assert result.stdout.startswith("True False <function scrub")
    else:
        assert result.stdout.startswith("False")
