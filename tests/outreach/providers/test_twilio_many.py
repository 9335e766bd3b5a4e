"""Texts sent together (send_sms_many): the twilio library's async client, over HTTP, against the fake Twilio. Each
message gets its own result, in order, with the same meaning a single send gives its error."""

import pytest

from outreach.providers.base import PermanentSendError, SendResult, TransientSendError
from tests.outreach.providers.senders import make_sender, sms

pytestmark = pytest.mark.django_db


def provider(fake, **overrides):
    return make_sender("twilio", fake).provider(**overrides)


def numbered(count):
    return [sms(reference=str(n), to=f"+1203555{n:04d}") for n in range(count)]


# twilio 9.13 hands aiohttp `auth=` and a dict body; aiohttp 3.14 deprecates the first (removed in 4.0). The client
# sends an Authorization header and an encoded form instead: the fake answers 401 without valid credentials.
@pytest.mark.filterwarnings("error::DeprecationWarning")
def test_each_text_gets_its_own_result_in_order(twilio_settings):
    fake = twilio_settings
    messages = numbered(40)
    fake.set_rule(messages[7].to, "opted_out")
    fake.set_rule(messages[19].to, "invalid")
    results = provider(fake).send_sms_many(messages, concurrency=8)
    assert len(results) == 40
    accepted = {message.to: message.id for message in fake.messages}
    for index, (message, result) in enumerate(zip(messages, results, strict=True)):
        if index == 7:
            assert isinstance(result, PermanentSendError) and result.opted_out and str(result.code) == "21610"
        elif index == 19:
            assert isinstance(result, PermanentSendError) and result.unreachable and str(result.code) == "21211"
        else:
            assert isinstance(result, SendResult) and result.message_id == accepted[message.to]
    assert len(fake.messages) == 38  # once each


def test_at_most_the_given_number_of_requests_are_in_flight_at_once(twilio_settings):
    fake = twilio_settings
    fake.set_latency(0.1)
    provider(fake).send_sms_many(numbered(24), concurrency=4)
    # The fake holds each request 100 ms from its arrival before answering; the client may send the next only once an
    # answer came back. So at each arrival, the requests that arrived less than 100 ms before it are in flight
    # together. (The fake's completed_at is stamped after the answer is written, a moment a loaded machine can stretch
    # past the next arrival: not used.)
    spans = [(request.received_at, request.received_at + 0.1) for request in fake.requests]
    overlap = max(sum(1 for start, end in spans if start <= moment < end) for moment, _ in spans)
    assert len(spans) == 24 and 1 < overlap <= 4


@pytest.mark.parametrize("outcome", [500, 502, 504, "drop"])
def test_an_answer_lost_after_the_request_left_is_an_unknown_outcome(twilio_settings, outcome):
    fake = twilio_settings
    fake.set_ambiguous(1, outcomes=[outcome])  # Twilio keeps every message, then answers badly
    [result] = provider(fake).send_sms_many(numbered(1), concurrency=4)
    assert isinstance(result, TransientSendError) and result.outcome_unknown
    assert result.code == "connection_dropped" if outcome == "drop" else result.code != "connection_dropped"
    assert len(fake.messages) == 1


def test_a_503_and_a_429_are_plain_retries(twilio_settings):
    fake = twilio_settings
    fake.fail_next(1, status=503)
    [result] = provider(fake).send_sms_many(numbered(1), concurrency=4)
    assert isinstance(result, TransientSendError) and not result.outcome_unknown
    fake.fail_next(1, status=429, retry_after=3)
    [result] = provider(fake).send_sms_many(numbered(1), concurrency=4)
    assert isinstance(result, TransientSendError) and not result.outcome_unknown


def test_a_refused_connection_never_left(twilio_settings):
    results = provider(twilio_settings, TWILIO_API_BASE_URL="http://127.0.0.1:9").send_sms_many(numbered(3), 4)
    assert all(isinstance(r, TransientSendError) and r.code == "connection_error" for r in results)
    assert not any(r.outcome_unknown for r in results)


def test_a_timeout_after_the_provider_accepted_is_an_unknown_outcome(twilio_settings):
    fake = twilio_settings
    fake.hang_next(1, seconds=3, accept=True)
    [result] = provider(fake, TWILIO_HTTP_TIMEOUT=1).send_sms_many(numbered(1), concurrency=4)
    assert isinstance(result, TransientSendError) and result.outcome_unknown and result.code == "timeout"
    assert len(fake.messages) == 1
