"""The fake Mailgun, exercised through django-anymail's real Mailgun backend over real HTTP."""

import json
import re
import time

import pytest
import requests
from anymail.exceptions import AnymailRequestsAPIError
from anymail.message import AnymailMessage
from django.conf import settings
from django.core.mail import get_connection
from django.test import override_settings

from tests.fakes.base import fake_process, free_port
from tests.fakes.mailgun import TEST_API_KEY, TEST_DOMAIN
from tests.fakes.pytest_plugin import mailgun_settings_for

FROM = f"Clinic <no-reply@{TEST_DOMAIN}>"


def message(to=("ana@example.com",), **kwargs):
    return AnymailMessage(subject="Reminder", body="See you tomorrow.", from_email=FROM, to=list(to), **kwargs)


def test_send_and_recorded_fields(mailgun_settings):
    fake = mailgun_settings
    msg = message(to=["ana@example.com", "Bo <bo@example.com>"], headers={"X-Clinic-Ref": "r-1"})
    msg.attach_alternative("<p>See you tomorrow.</p>", "text/html")
    msg.metadata = {"reminder_id": "42"}
    msg.tags = ["reminder", "sms-fallback"]
    assert msg.send() == 1

    [recorded] = fake.messages
    assert re.fullmatch(rf"<\d{{14}}\.\d+\.[0-9A-F]{{16}}@{re.escape(TEST_DOMAIN)}>", recorded.id)
    assert msg.anymail_status.status == {"queued"} and msg.anymail_status.message_id == recorded.id

    [request] = fake.requests
    assert (request.method, request.path, request.status) == ("POST", f"/v3/{TEST_DOMAIN}/messages", 200)
    assert (request.auth_user, request.auth_password) == ("api", TEST_API_KEY)
    assert request.header("Content-Type") == "application/x-www-form-urlencoded"
    assert request.values("to") == ["ana@example.com", "Bo <bo@example.com>"]
    assert request.value("from") == FROM and request.value("subject") == "Reminder"
    assert request.value("text") == "See you tomorrow." and request.value("html") == "<p>See you tomorrow.</p>"
    assert request.value("h:X-Clinic-Ref") == "r-1" and request.value("v:reminder_id") == "42"
    assert request.values("o:tag") == ["reminder", "sms-fallback"]
    assert recorded.recipients == ["ana@example.com", "bo@example.com"]
    assert recorded.response == {"id": recorded.id, "message": "Queued. Thank you."}


def test_settings_fixture(mailgun_settings):
    assert settings.EMAIL_PROVIDER == "mailgun"
    assert settings.EMAIL_BACKEND == "anymail.backends.mailgun.EmailBackend"
    assert settings.ANYMAIL["MAILGUN_API_URL"] == mailgun_settings.url + "/v3"
    assert settings.ANYMAIL["MAILGUN_SENDER_DOMAIN"] == TEST_DOMAIN


def test_attachments_are_sent_multipart(mailgun_settings):
    msg = message()
    msg.attach("slot.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    msg.send()
    request = mailgun_settings.last_request
    assert request.header("Content-Type").startswith("multipart/form-data")
    assert request.value("subject") == "Reminder"
    [attachment] = request.files
    assert (attachment.field, attachment.filename, attachment.content_type) == (
        "attachment",
        "slot.ics",
        "text/calendar",
    )
    assert attachment.content == b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"


def test_merge_data_sends_recipient_variables(mailgun_settings):
    msg = message(to=["ana@example.com", "bo@example.com"])
    msg.merge_data = {"ana@example.com": {"name": "Ana"}, "bo@example.com": {"name": "Bo"}}
    msg.send()
    request = mailgun_settings.last_request
    assert json.loads(request.value("recipient-variables")) == {
        "ana@example.com": {"name": "Ana"},
        "bo@example.com": {"name": "Bo"},
    }
    assert set(msg.anymail_status.recipients) == {"ana@example.com", "bo@example.com"}


def test_bad_key_is_401_forbidden(mailgun_settings):
    with override_settings(ANYMAIL={**settings.ANYMAIL, "MAILGUN_API_KEY": "wrong"}):
        with pytest.raises(AnymailRequestsAPIError) as caught:
            message().send()
    assert caught.value.status_code == 401
    assert caught.value.response.text == "Forbidden"


def test_unknown_domain_is_404(mailgun_settings):
    with override_settings(ANYMAIL={**settings.ANYMAIL, "MAILGUN_SENDER_DOMAIN": "other.example"}):
        with pytest.raises(AnymailRequestsAPIError) as caught:
            message().send()
    assert caught.value.status_code == 404
    assert "Unknown sender domain 'other.example'" in str(caught.value)


def test_invalid_recipient_is_400_api_error(mailgun_settings):
    mailgun_settings.set_rule("ana@example.com", "invalid")
    with pytest.raises(AnymailRequestsAPIError) as caught:
        message().send()
    assert caught.value.status_code == 400
    assert caught.value.response.json() == {
        "message": "to parameter is not a valid address. please check documentation"
    }
    assert mailgun_settings.messages == []


def test_suppressed_recipient_is_accepted_and_flagged(mailgun_settings):
    mailgun_settings.set_rule("ana@example.com", "suppressed")
    msg = message()
    msg.send()
    assert msg.anymail_status.status == {"queued"}
    assert mailgun_settings.messages[0].extra["suppressed"] == ["ana@example.com"]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_injected_failures_are_api_errors_with_status(mailgun_settings, status):
    mailgun_settings.fail_next(1, status, retry_after=2)
    with pytest.raises(AnymailRequestsAPIError) as caught:
        message().send()
    assert caught.value.status_code == status
    assert caught.value.response.headers["Retry-After"] == "2"
    assert message().send() == 1


def test_latency(mailgun_settings):
    mailgun_settings.set_latency(0.08)
    started = time.monotonic()
    message().send()
    assert time.monotonic() - started >= 0.08


def test_hang_times_out_the_backend(mailgun_settings):
    mailgun_settings.hang_next(1, seconds=10)
    started = time.monotonic()
    with pytest.raises(AnymailRequestsAPIError) as caught:
        message(connection=get_connection(timeout=0.3)).send()
    assert time.monotonic() - started < 2
    assert isinstance(caught.value, requests.exceptions.ReadTimeout) and caught.value.status_code is None
    assert mailgun_settings.requests[0].outcome == "hung"


def test_connection_refused(mailgun_settings):
    with override_settings(ANYMAIL={**settings.ANYMAIL, "MAILGUN_API_URL": f"http://127.0.0.1:{free_port()}/v3"}):
        with pytest.raises(AnymailRequestsAPIError) as caught:
            message().send()
    assert isinstance(caught.value, requests.exceptions.ConnectionError)


def test_standalone_process():
    with fake_process("mailgun", "--latency", "0.01") as (_process, url):
        with override_settings(**mailgun_settings_for(url)):
            assert message().send() == 1
        stats = requests.get(f"{url}/_fake/stats", timeout=5).json()
        assert (stats["requests"], stats["messages"], stats["responses_by_status"]) == (1, 1, {"200": 1})
        assert stats["config"]["latency"] == 0.01
