"""The fake Twilio, exercised through the real twilio-python Client over real HTTP."""

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from urllib.parse import parse_qs

import pytest
import requests
from django.conf import settings
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from tests.fakes.base import DropConnection, FakeResponse, fake_process, free_port
from tests.fakes.twilio import (
    TEST_ACCOUNT_SID,
    TEST_AUTH_TOKEN,
    TEST_FROM_NUMBER,
    TEST_MESSAGING_SERVICE_SID,
    build_inbound_sms,
    count_segments,
)
from tests.fakes.twilio_client import make_twilio_client

TO = "+15551230001"


def send(client, to=TO, **kwargs):
    kwargs.setdefault("from_", TEST_FROM_NUMBER)
    kwargs.setdefault("body", "Your appointment is tomorrow at 10:00.")
    return client.messages.create(to=to, **kwargs)


def test_real_client_reaches_fake_and_everything_is_recorded(fake_twilio, twilio_client):
    message = send(twilio_client, status_callback="https://clinic.example/sms/status", validity_period=600)

    assert re.fullmatch(r"SM[0-9a-f]{32}", message.sid)
    assert message.account_sid == TEST_ACCOUNT_SID
    assert (message.to, message.from_, message.status) == (TO, TEST_FROM_NUMBER, "queued")
    assert message.direction == "outbound-api" and message.api_version == "2010-04-01"
    assert message.error_code is None and message.error_message is None and message.price is None
    assert message.num_segments == "1" and message.messaging_service_sid is None
    assert isinstance(message.date_created, datetime) and message.date_created.tzinfo is not None
    assert message.uri == f"/2010-04-01/Accounts/{TEST_ACCOUNT_SID}/Messages/{message.sid}.json"
    assert "media" in message.subresource_uris

    [request] = fake_twilio.requests
    assert request.method == "POST"
    assert request.path == f"/2010-04-01/Accounts/{TEST_ACCOUNT_SID}/Messages.json"
    assert (request.auth_user, request.auth_password) == (TEST_ACCOUNT_SID, TEST_AUTH_TOKEN)
    assert request.header("content-type") == "application/x-www-form-urlencoded"
    assert request.header("User-Agent").startswith("twilio-python/9.13.0")
    assert request.flat_form() == {
        "To": TO,
        "From": TEST_FROM_NUMBER,
        "Body": "Your appointment is tomorrow at 10:00.",
        "StatusCallback": "https://clinic.example/sms/status",
        "ValidityPeriod": "600",
    }
    assert (request.status, request.outcome) == (201, "accepted")
    assert request.received_at <= time.time()

    [recorded] = fake_twilio.messages
    assert recorded.id == message.sid and recorded.to == TO and recorded.status == "queued"
    assert recorded.fields["Body"] == "Your appointment is tomorrow at 10:00."
    assert recorded.received_at == request.received_at
    # fetch follows the fake's state
    assert twilio_client.messages(message.sid).fetch().status == "queued"


def test_messaging_service_send_is_accepted_without_from(twilio_client, fake_twilio):
    message = send(twilio_client, from_=None, messaging_service_sid=TEST_MESSAGING_SERVICE_SID)
    assert message.status == "accepted"
    assert message.messaging_service_sid == TEST_MESSAGING_SERVICE_SID and message.from_ is None
    assert "From" not in fake_twilio.last_request.form


def test_twilio_settings_fixture_points_product_settings_at_fake(twilio_settings):
    assert settings.SMS_PROVIDER == "twilio"
    assert re.fullmatch(r"AC[0-9a-f]{32}", settings.TWILIO_ACCOUNT_SID)
    assert settings.TWILIO_FROM_NUMBER == "+15005550006"
    client = make_twilio_client(
        settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_API_BASE_URL, timeout=5
    )
    send(client, from_=settings.TWILIO_FROM_NUMBER)
    assert len(twilio_settings.messages) == 1


def test_segments_are_counted_like_twilio():
    assert count_segments("a" * 160) == 1
    assert count_segments("a" * 161) == 2
    assert count_segments("[" * 80) == 1  # extension chars take two septets
    assert count_segments("[" * 81) == 2
    assert count_segments("é" * 160) == 1  # é is in the GSM-7 basic set
    assert count_segments("ł" * 70) == 1
    assert count_segments("ł" * 71) == 2


@pytest.mark.parametrize(
    ("account_sid", "auth_token"),
    [(TEST_ACCOUNT_SID, "wrong-token"), ("AC" + "f" * 32, TEST_AUTH_TOKEN)],
    ids=["wrong-token", "wrong-account"],
)
def test_bad_credentials_raise_401_20003(fake_twilio, account_sid, auth_token):
    client = make_twilio_client(account_sid, auth_token, fake_twilio.url, timeout=5)
    with pytest.raises(TwilioRestException) as caught:
        send(client)
    assert (caught.value.status, caught.value.code) == (401, 20003)
    assert fake_twilio.messages == []
    assert fake_twilio.last_request.outcome == "auth_failed"


def test_missing_credentials_are_401(fake_twilio):
    response = requests.post(
        f"{fake_twilio.url}/2010-04-01/Accounts/{TEST_ACCOUNT_SID}/Messages.json", data={"To": TO}, timeout=5
    )
    assert response.status_code == 401
    assert response.json()["code"] == 20003


@pytest.mark.parametrize(
    ("to", "kwargs", "rule", "status", "code"),
    [
        ("", {}, None, 400, 21604),
        (TO, {"from_": None}, None, 400, 21603),
        (TO, {"body": None}, None, 400, 21602),
        ("12345", {}, None, 400, 21211),
        (TO, {}, "invalid", 400, 21211),
        (TO, {}, "opted_out", 400, 21610),
        ("+15005550001", {}, None, 400, 21211),  # Twilio's magic "invalid" number
        ("+15005550004", {}, None, 400, 21610),  # Twilio's magic "blocked" number
        (TO, {}, {"status": 400, "code": 21612, "message": "Cannot route"}, 400, 21612),
    ],
)
def test_error_codes_become_twilio_rest_exception(fake_twilio, twilio_client, to, kwargs, rule, status, code):
    if rule is not None:
        fake_twilio.set_rule(TO, rule)
    with pytest.raises(TwilioRestException) as caught:
        send(twilio_client, to=to, **kwargs)
    error = caught.value
    assert (type(error), error.status, error.code, error.method) == (TwilioRestException, status, code, "POST")
    assert error.uri == f"/Accounts/{TEST_ACCOUNT_SID}/Messages.json"
    assert fake_twilio.messages == []
    assert fake_twilio.last_request.outcome == "rejected"


def test_error_body_has_twilios_shape(fake_twilio):
    fake_twilio.set_rule(TO, "opted_out")
    response = requests.post(
        f"{fake_twilio.url}/2010-04-01/Accounts/{TEST_ACCOUNT_SID}/Messages.json",
        data={"To": TO, "From": TEST_FROM_NUMBER, "Body": "x"},
        auth=(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN),
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": 21610,
        "message": "Attempt to send to unsubscribed recipient",
        "more_info": "https://www.twilio.com/docs/errors/21610",
        "status": 400,
    }


@pytest.mark.parametrize(("status", "code"), [(429, 20429), (500, 20500), (503, 20503)])
def test_injected_failures_then_recovery(fake_twilio, twilio_client, status, code):
    fake_twilio.fail_next(2, status, retry_after=1)
    for _ in range(2):
        with pytest.raises(TwilioRestException) as caught:
            send(twilio_client)
        assert (caught.value.status, caught.value.code) == (status, code)
    assert send(twilio_client).status == "queued"
    assert [r.status for r in fake_twilio.requests] == [status, status, 201]
    assert [r.outcome for r in fake_twilio.requests] == ["injected", "injected", "accepted"]
    assert len(fake_twilio.messages) == 1


def test_injected_429_carries_retry_after(fake_twilio):
    fake_twilio.fail_next(1, 429, retry_after=3)
    response = requests.post(f"{fake_twilio.url}/2010-04-01/Accounts/{TEST_ACCOUNT_SID}/Messages.json", timeout=5)
    assert response.status_code == 429 and response.headers["Retry-After"] == "3"


def test_latency_is_applied_and_reset_clears_it(fake_twilio, twilio_client):
    fake_twilio.set_latency(0.08)
    started = time.monotonic()
    send(twilio_client)
    assert time.monotonic() - started >= 0.08
    fake_twilio.reset()
    assert fake_twilio.latency == 0 and fake_twilio.requests == []


def test_fake_serves_requests_concurrently(fake_twilio, twilio_client):
    fake_twilio.set_latency(0.1)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=10) as pool:
        sids = list(pool.map(lambda i: send(twilio_client, to=f"+1555123{i:04d}").sid, range(20)))
    assert time.monotonic() - started < 1.0  # 20 x 0.1 s serially would be 2 s
    assert len(set(sids)) == 20 and len(fake_twilio.messages) == 20


def test_hang_makes_client_time_out_after_request_was_received(fake_twilio):
    client = make_twilio_client(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, fake_twilio.url, timeout=0.3)
    fake_twilio.hang_next(1, seconds=10)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        send(client)
    assert time.monotonic() - started < 2
    [request] = fake_twilio.requests
    assert request.outcome == "hung" and request.form["To"] == [TO]
    assert fake_twilio.messages == []
    assert send(client).status == "queued"  # the next request is served normally


def test_hang_after_accept_means_sent_but_client_saw_timeout(fake_twilio):
    client = make_twilio_client(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, fake_twilio.url, timeout=0.3)
    fake_twilio.hang_next(1, seconds=10, accept=True)
    with pytest.raises(requests.exceptions.ReadTimeout):
        send(client)
    assert len(fake_twilio.messages) == 1  # a blind retry would now send a duplicate
    assert fake_twilio.requests[0].outcome == "hung:accepted"


def test_connection_refused_is_requests_connection_error():
    client = make_twilio_client(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, f"http://127.0.0.1:{free_port()}", timeout=2)
    with pytest.raises(requests.exceptions.ConnectionError):
        send(client)


def test_hooks_can_answer_or_drop(fake_twilio, twilio_client):
    seen = []

    def hook(request):
        seen.append(request.value("Body"))
        if request.value("Body") == "drop":
            raise DropConnection
        if request.value("Body") == "teapot":
            return FakeResponse.from_json(418, {"code": 99999, "message": "teapot", "status": 418})
        return None

    fake_twilio.add_hook(hook)
    with pytest.raises(requests.exceptions.ConnectionError):
        send(twilio_client, body="drop")
    with pytest.raises(TwilioRestException) as caught:
        send(twilio_client, body="teapot")
    assert (caught.value.status, caught.value.code) == (418, 99999)
    assert send(twilio_client, body="normal").status == "queued"
    assert seen == ["drop", "teapot", "normal"]


def test_status_callbacks_are_signed_and_report_delivery(fake_twilio, twilio_client, callback_sink):
    fake_twilio.configure({"status_callbacks": True})
    fake_twilio.set_rule("+15551230002", "landline")
    callback_url = callback_sink.url + "/sms/status?clinic=1"
    delivered = send(twilio_client, to="+15551230001", status_callback=callback_url)
    landline = send(twilio_client, to="+15551230002", status_callback=callback_url)

    fake_twilio.wait_for_callbacks(4)
    received = callback_sink.wait_for_requests(4)
    validator = RequestValidator(TEST_AUTH_TOKEN)
    by_sid = {}
    for request in received:
        params = {key: values[0] for key, values in parse_qs(request.body.decode(), keep_blank_values=True).items()}
        url = f"{callback_sink.url}{request.path}?clinic=1"
        assert validator.validate(url, params, request.header("X-Twilio-Signature")), params
        assert not RequestValidator("other-token").validate(url, params, request.header("X-Twilio-Signature"))
        assert params["AccountSid"] == TEST_ACCOUNT_SID and params["ApiVersion"] == "2010-04-01"
        assert params["SmsSid"] == params["MessageSid"] and params["SmsStatus"] == params["MessageStatus"]
        assert params["From"] == TEST_FROM_NUMBER
        by_sid.setdefault(params["MessageSid"], []).append((params["MessageStatus"], params.get("ErrorCode")))

    assert by_sid[delivered.sid] == [("sent", None), ("delivered", None)]
    assert by_sid[landline.sid] == [("sent", None), ("undelivered", "30006")]
    fetched = twilio_client.messages(landline.sid).fetch()
    assert (fetched.status, fetched.error_code) == ("undelivered", 30006)
    assert all(c.response_status == 200 for c in fake_twilio.callbacks)


def test_deliver_on_demand_without_callback_worker(fake_twilio, twilio_client):
    message = send(twilio_client)
    assert fake_twilio.deliver(message.sid) == ["sent", "delivered"]
    assert twilio_client.messages(message.sid).fetch().status == "delivered"
    assert fake_twilio.callbacks == []  # no StatusCallback on this message


def test_inbound_sms_helper_posts_a_validly_signed_form(callback_sink):
    url = callback_sink.url + "/sms/inbound"
    signed = build_inbound_sms(url, from_="+15551230009", body="STOP")
    assert signed.post().status_code == 200

    [request] = callback_sink.requests
    params = {key: values[0] for key, values in parse_qs(request.body.decode(), keep_blank_values=True).items()}
    assert params["Body"] == "STOP" and params["From"] == "+15551230009" and params["To"] == TEST_FROM_NUMBER
    assert params["AccountSid"] == TEST_ACCOUNT_SID and params["NumMedia"] == "0"
    assert re.fullmatch(r"SM[0-9a-f]{32}", params["MessageSid"])
    assert RequestValidator(TEST_AUTH_TOKEN).validate(url, params, request.header("X-Twilio-Signature"))
    assert signed.django_headers == {"HTTP_X_TWILIO_SIGNATURE": signed.signature}


def test_standalone_process_with_control_api():
    with fake_process("twilio", "--latency", "0.01") as (_process, url):
        control = requests.Session()
        config = control.post(f"{url}/_fake/config", json={"fail_next": {"count": 1, "status": 503}}, timeout=5)
        assert config.json()["latency"] == 0.01 and len(config.json()["pending_failures"]) == 1

        client = make_twilio_client(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, url, timeout=5)
        with pytest.raises(TwilioRestException) as caught:
            send(client)
        assert (caught.value.status, caught.value.code) == (503, 20503)
        message = send(client)

        stats = control.get(f"{url}/_fake/stats", timeout=5).json()
        assert (stats["requests"], stats["messages"]) == (2, 1)
        assert stats["responses_by_status"] == {"503": 1, "201": 1}
        assert stats["message_ids"] == [message.sid] and len(stats["message_received_at"]) == 1
        messages = control.get(f"{url}/_fake/messages", timeout=5).json()
        assert messages["messages"][0]["fields"]["To"] == TO

        assert control.post(f"{url}/_fake/reset", timeout=5).json() == {"ok": True}
        assert control.get(f"{url}/_fake/stats", timeout=5).json()["requests"] == 0
        bad = control.post(f"{url}/_fake/config", data=json.dumps({"nope": 1}), timeout=5)
        assert bad.status_code == 400
