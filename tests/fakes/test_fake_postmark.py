"""The fake Postmark, exercised through django-anymail's real Postmark backend over real HTTP."""

import time
import uuid

import pytest
import requests
from anymail.exceptions import AnymailRecipientsRefused, AnymailRequestsAPIError
from anymail.message import AnymailMessage
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.test import override_settings

from tests.fakes.base import fake_process, free_port
from tests.fakes.postmark import TEST_SERVER_TOKEN
from tests.fakes.pytest_plugin import postmark_settings_for

FROM = "Clinic <no-reply@clinic.example>"


def message(to=("ana@example.com",), **kwargs):
    msg = AnymailMessage(subject="Reminder", body="See you tomorrow.", from_email=FROM, to=list(to), **kwargs)
    return msg


def test_single_send_and_recorded_fields(postmark_settings):
    fake = postmark_settings
    msg = message(headers={"X-Clinic-Ref": "r-1"}, cc=["desk@example.com"])
    msg.attach_alternative("<p>See you tomorrow.</p>", "text/html")
    msg.metadata = {"reminder_id": "42"}
    msg.tags = ["reminder"]
    msg.track_opens = True
    assert msg.send() == 1

    assert msg.anymail_status.status == {"sent"}
    [recorded] = fake.messages
    assert msg.anymail_status.message_id == recorded.id
    assert str(uuid.UUID(recorded.id)) == recorded.id
    assert msg.anymail_status.recipients["ana@example.com"].status == "sent"
    assert msg.anymail_status.recipients["desk@example.com"].status == "sent"

    [request] = fake.requests
    assert (request.method, request.path, request.status) == ("POST", "/email", 200)
    assert request.header("X-Postmark-Server-Token") == TEST_SERVER_TOKEN
    assert request.header("Content-Type") == "application/json"
    body = request.json
    assert body["From"] == FROM and body["To"] == "ana@example.com" and body["Cc"] == "desk@example.com"
    assert (body["Subject"], body["TextBody"], body["HtmlBody"]) == (
        "Reminder",
        "See you tomorrow.",
        "<p>See you tomorrow.</p>",
    )
    assert {"Name": "X-Clinic-Ref", "Value": "r-1"} in body["Headers"]
    assert (body["Metadata"], body["Tag"], body["TrackOpens"]) == ({"reminder_id": "42"}, "reminder", True)
    assert recorded.fields == body and recorded.recipients == ["ana@example.com", "desk@example.com"]
    assert recorded.response["ErrorCode"] == 0 and recorded.response["Message"] == "OK"
    assert "T" in recorded.response["SubmittedAt"]


def test_settings_fixture(postmark_settings):
    assert settings.EMAIL_PROVIDER == "postmark"
    assert settings.EMAIL_BACKEND == "anymail.backends.postmark.EmailBackend"
    assert settings.ANYMAIL["POSTMARK_API_URL"] == postmark_settings.url + "/"
    assert "WEBHOOK_SECRET" in settings.ANYMAIL  # the rest of ANYMAIL is kept
    assert EmailMessage("s", "b", FROM, ["x@example.com"]).send() == 1  # plain Django EmailMessage works too


def test_merge_metadata_makes_anymail_use_batch_endpoint(postmark_settings):
    fake = postmark_settings
    msg = message(to=["ana@example.com", "Bo <bo@example.com>"])
    msg.merge_metadata = {"ana@example.com": {"reminder_id": "1"}, "bo@example.com": {"reminder_id": "2"}}
    msg.send()

    [request] = fake.requests
    assert request.path == "/email/batch" and isinstance(request.json, list) and len(request.json) == 2
    ana, bo = fake.messages
    assert (ana.to, ana.fields["Metadata"]) == ("ana@example.com", {"reminder_id": "1"})
    assert (bo.to, bo.fields["Metadata"]) == ("Bo <bo@example.com>", {"reminder_id": "2"})
    assert msg.anymail_status.recipients["ana@example.com"].message_id == ana.id
    assert msg.anymail_status.recipients["bo@example.com"].message_id == bo.id


def test_template_batch_uses_batch_with_templates(postmark_settings):
    fake = postmark_settings
    msg = AnymailMessage(from_email=FROM, to=["ana@example.com", "bo@example.com"])
    msg.template_id = "appointment-reminder"
    msg.merge_data = {"ana@example.com": {"name": "Ana"}, "bo@example.com": {"name": "Bo"}}
    msg.send()
    assert fake.last_request.path == "/email/batchWithTemplates"
    assert [m.fields["TemplateModel"] for m in fake.messages] == [{"name": "Ana"}, {"name": "Bo"}]
    assert msg.anymail_status.status == {"sent"}


def test_bulk_api_when_enabled(postmark_settings):
    with override_settings(ANYMAIL={**settings.ANYMAIL, "POSTMARK_USE_BULK_API": True}):
        msg = message(to=["ana@example.com", "bo@example.com"])
        # (with merge_metadata for every recipient: anymail 15.2 otherwise puts the same Metadata.anymail_id on all)
        msg.merge_metadata = {"ana@example.com": {"n": "1"}, "bo@example.com": {"n": "2"}}
        msg.send()
    assert postmark_settings.last_request.path == "/email/bulk"
    assert msg.anymail_status.status == {"queued"}
    assert {m.id for m in postmark_settings.messages} == msg.anymail_status.message_id


def test_bad_token_is_401_api_error(postmark_settings):
    with override_settings(ANYMAIL={**settings.ANYMAIL, "POSTMARK_SERVER_TOKEN": "wrong"}):
        with pytest.raises(AnymailRequestsAPIError) as caught:
            message().send()
    assert caught.value.status_code == 401
    assert caught.value.response.json()["ErrorCode"] == 10
    assert postmark_settings.messages == []


def test_invalid_recipient_is_refused_as_invalid(postmark_settings):
    postmark_settings.set_rule("ana@example.com", "invalid")
    msg = message(to=["ana@example.com"])
    with pytest.raises(AnymailRecipientsRefused):
        msg.send()
    assert msg.anymail_status.status == {"invalid"}
    assert msg.anymail_status.recipients["ana@example.com"].status == "invalid"
    assert postmark_settings.last_request.status == 422
    assert postmark_settings.messages == []


def test_invalid_address_body_is_postmarks(postmark_settings):
    # anymail checks address syntax itself before sending, so the malformed address goes through a raw request
    response = requests.post(
        postmark_settings.url + "/email",
        json={"From": FROM, "To": "ana@@example", "TextBody": "x"},
        headers={"X-Postmark-Server-Token": TEST_SERVER_TOKEN},
        timeout=5,
    )
    assert response.status_code == 422
    assert response.json() == {"ErrorCode": 300, "Message": "Invalid 'To' address: 'ana@@example'."}


def test_inactive_recipient_is_refused_as_rejected(postmark_settings):
    postmark_settings.set_rule("Ana@Example.com", "inactive")
    msg = message(to=["ana@example.com"])
    with pytest.raises(AnymailRecipientsRefused):
        msg.send()
    assert msg.anymail_status.status == {"rejected"}
    assert msg.anymail_status.message_id is None
    request = postmark_settings.last_request
    assert request.status == 422
    assert postmark_settings.messages == []


def test_inactive_body_is_postmarks(postmark_settings):
    postmark_settings.set_rule("ana@example.com", "inactive")
    response = requests.post(
        postmark_settings.url + "/email",
        json={"From": FROM, "To": "ana@example.com", "TextBody": "x"},
        headers={"X-Postmark-Server-Token": TEST_SERVER_TOKEN},
        timeout=5,
    )
    assert response.status_code == 422
    assert response.json()["ErrorCode"] == 406
    assert response.json()["Message"].startswith(
        "You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: "
        "ana@example.com. Inactive recipients are ones that have generated a hard bounce"
    )


def test_inactive_recipient_ignored_when_recipient_status_is_ignored(postmark_settings):
    postmark_settings.set_rule("ana@example.com", "inactive")
    with override_settings(ANYMAIL={**settings.ANYMAIL, "IGNORE_RECIPIENT_STATUS": True}):
        msg = message()
        msg.send()  # no exception: the caller reads anymail_status
    assert msg.anymail_status.status == {"rejected"}


def test_some_recipients_inactive_is_partial_success(postmark_settings):
    postmark_settings.set_rule("bo@example.com", "inactive")
    msg = message(to=["ana@example.com", "bo@example.com"])
    msg.send()
    assert msg.anymail_status.recipients["ana@example.com"].status == "sent"
    assert msg.anymail_status.recipients["bo@example.com"].status == "rejected"
    assert postmark_settings.messages[0].extra["inactive"] == ["bo@example.com"]


def test_batch_reports_per_message_errors_inside_200(postmark_settings):
    postmark_settings.set_rule("bo@example.com", "inactive")
    postmark_settings.set_rule("cy@example.com", "invalid")
    msg = message(to=["ana@example.com", "bo@example.com", "cy@example.com"])
    msg.merge_metadata = {"ana@example.com": {"n": "1"}}
    msg.send()
    assert postmark_settings.last_request.status == 200
    statuses = {addr: status.status for addr, status in msg.anymail_status.recipients.items()}
    assert statuses == {"ana@example.com": "sent", "bo@example.com": "rejected", "cy@example.com": "invalid"}
    assert [m.to for m in postmark_settings.messages] == ["ana@example.com"]


@pytest.mark.parametrize("status", [429, 500, 503])
def test_injected_failures_are_api_errors_with_status(postmark_settings, status):
    postmark_settings.fail_next(1, status)
    with pytest.raises(AnymailRequestsAPIError) as caught:
        message().send()
    assert caught.value.status_code == status
    assert isinstance(caught.value, requests.HTTPError)
    assert message().send() == 1
    assert [r.status for r in postmark_settings.requests] == [status, 200]


def test_latency(postmark_settings):
    postmark_settings.set_latency(0.08)
    started = time.monotonic()
    message().send()
    assert time.monotonic() - started >= 0.08


def test_hang_times_out_the_backend(postmark_settings):
    postmark_settings.hang_next(1, seconds=10)
    connection = get_connection(timeout=0.3)
    started = time.monotonic()
    with pytest.raises(AnymailRequestsAPIError) as caught:
        message(connection=connection).send()
    assert time.monotonic() - started < 2
    assert isinstance(caught.value, requests.exceptions.ReadTimeout)
    assert caught.value.status_code is None
    assert postmark_settings.requests[0].outcome == "hung" and postmark_settings.messages == []


def test_connection_refused(postmark_settings):
    with override_settings(ANYMAIL={**settings.ANYMAIL, "POSTMARK_API_URL": f"http://127.0.0.1:{free_port()}/"}):
        with pytest.raises(AnymailRequestsAPIError) as caught:
            message().send()
    assert isinstance(caught.value, requests.exceptions.ConnectionError)
    assert caught.value.status_code is None


def test_standalone_process():
    with fake_process("postmark") as (_process, url):
        requests.post(f"{url}/_fake/config", json={"rules": {"bo@example.com": "inactive"}}, timeout=5)
        with override_settings(**postmark_settings_for(url)):
            assert message().send() == 1
            with pytest.raises(AnymailRecipientsRefused):
                message(to=["bo@example.com"]).send()
        stats = requests.get(f"{url}/_fake/stats", timeout=5).json()
        assert (stats["requests"], stats["messages"]) == (2, 1)
        assert stats["responses_by_status"] == {"200": 1, "422": 1}
        assert stats["outcomes"] == {"accepted": 1, "rejected": 1}
