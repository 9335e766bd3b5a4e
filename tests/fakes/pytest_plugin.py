"""pytest fixtures for the fake providers. Register with `pytest_plugins = ["tests.fakes.pytest_plugin"]`.

Each fake is one server per test session (started on first use), reset before every test, so a test always starts
with no recorded requests/messages, latency 0, default rules and no pending faults. The fixtures yield the fake.

    fake_twilio, fake_postmark, fake_mailgun     the fakes (see tests/fakes/{twilio,postmark,mailgun}.py)
    callback_sink                                a RecordingSink that records webhooks (e.g. Twilio status callbacks)
    twilio_settings                              Django settings pointing SMS at fake_twilio; yields fake_twilio
    postmark_settings / mailgun_settings         Django settings pointing email (anymail) at the fake; yield the fake
    twilio_client                                make_twilio_client(...) for fake_twilio (timeout 5 s)

The *_settings_for(fake_or_url) helpers return the settings dicts, for override_settings in your own code; pass a
fake, or the URL of a fake running as its own process (tests.fakes.base.fake_process) with the default credentials.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.base import FakeProviderServer, RecordingSink
from tests.fakes.mailgun import TEST_API_KEY, TEST_DOMAIN, FakeMailgun
from tests.fakes.postmark import TEST_SERVER_TOKEN, FakePostmark
from tests.fakes.twilio import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM_NUMBER, FakeTwilio
from tests.fakes.twilio_client import make_twilio_client


def _url(fake_or_url: FakeProviderServer | str) -> str:
    return fake_or_url if isinstance(fake_or_url, str) else fake_or_url.url


def twilio_settings_for(
    fake_or_url: FakeTwilio | str, *, account_sid: str = TEST_ACCOUNT_SID, auth_token: str = TEST_AUTH_TOKEN
) -> dict[str, Any]:
    """Settings that send SMS through Twilio at the fake (an in-process fake, or the URL of a fake process)."""
    if isinstance(fake_or_url, FakeTwilio):
        account_sid, auth_token = fake_or_url.account_sid, fake_or_url.auth_token
    return {
        "SMS_PROVIDER": "twilio",
        "TWILIO_ACCOUNT_SID": account_sid,
        "TWILIO_AUTH_TOKEN": auth_token,
        "TWILIO_FROM_NUMBER": TEST_FROM_NUMBER,
        "TWILIO_MESSAGING_SERVICE_SID": None,
        "TWILIO_API_BASE_URL": _url(fake_or_url),
    }


def _anymail(extra: dict[str, Any]) -> dict[str, Any]:
    from django.conf import settings

    return {**getattr(settings, "ANYMAIL", {}), **extra}


def postmark_settings_for(fake_or_url: FakePostmark | str, *, server_token: str = TEST_SERVER_TOKEN) -> dict[str, Any]:
    """Settings that send email through anymail's Postmark backend at the fake."""
    if isinstance(fake_or_url, FakePostmark):
        server_token = fake_or_url.server_token
    return {
        "EMAIL_PROVIDER": "postmark",
        "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
        # anymail joins endpoint paths onto this with urljoin, so it wants the trailing slash
        "ANYMAIL": _anymail({"POSTMARK_SERVER_TOKEN": server_token, "POSTMARK_API_URL": _url(fake_or_url) + "/"}),
    }


def mailgun_settings_for(
    fake_or_url: FakeMailgun | str, *, api_key: str = TEST_API_KEY, domain: str = TEST_DOMAIN
) -> dict[str, Any]:
    """Settings that send email through anymail's Mailgun backend at the fake."""
    if isinstance(fake_or_url, FakeMailgun):
        api_key, domain = fake_or_url.api_key, fake_or_url.domain
    return {
        "EMAIL_PROVIDER": "mailgun",
        "EMAIL_BACKEND": "anymail.backends.mailgun.EmailBackend",
        "ANYMAIL": _anymail(
            {"MAILGUN_API_KEY": api_key, "MAILGUN_SENDER_DOMAIN": domain, "MAILGUN_API_URL": _url(fake_or_url) + "/v3"}
        ),
    }


def _session_fake(factory):
    fake = factory()
    fake.start()
    return fake


@pytest.fixture(scope="session")
def _fake_twilio_server():
    fake = _session_fake(FakeTwilio)
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def _fake_postmark_server():
    fake = _session_fake(FakePostmark)
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def _fake_mailgun_server():
    fake = _session_fake(FakeMailgun)
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def _callback_sink_server():
    sink = _session_fake(RecordingSink)
    yield sink
    sink.stop()


@pytest.fixture
def fake_twilio(_fake_twilio_server) -> FakeTwilio:
    _fake_twilio_server.reset()
    yield _fake_twilio_server
    _fake_twilio_server.reset()  # also releases anything still hanging


@pytest.fixture
def fake_postmark(_fake_postmark_server) -> FakePostmark:
    _fake_postmark_server.reset()
    yield _fake_postmark_server
    _fake_postmark_server.reset()


@pytest.fixture
def fake_mailgun(_fake_mailgun_server) -> FakeMailgun:
    _fake_mailgun_server.reset()
    yield _fake_mailgun_server
    _fake_mailgun_server.reset()


@pytest.fixture
def callback_sink(_callback_sink_server) -> RecordingSink:
    _callback_sink_server.reset()
    yield _callback_sink_server
    _callback_sink_server.reset()


@pytest.fixture
def twilio_settings(fake_twilio):
    from django.test import override_settings

    with override_settings(**twilio_settings_for(fake_twilio)):
        yield fake_twilio


@pytest.fixture
def postmark_settings(fake_postmark):
    from django.test import override_settings

    with override_settings(**postmark_settings_for(fake_postmark)):
        yield fake_postmark


@pytest.fixture
def mailgun_settings(fake_mailgun):
    from django.test import override_settings

    with override_settings(**mailgun_settings_for(fake_mailgun)):
        yield fake_mailgun


@pytest.fixture
def twilio_client(fake_twilio):
    return make_twilio_client(fake_twilio.account_sid, fake_twilio.auth_token, fake_twilio.url, timeout=5)
