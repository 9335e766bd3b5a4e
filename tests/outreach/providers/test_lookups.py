"""find_accepted: after an ambiguous outcome, each provider is asked whether it holds the message, through the real
twilio library / anymail settings over HTTP to the fakes' look-up endpoints (Twilio's Messages list, Postmark's
outbound message search, Mailgun's events)."""

import datetime

import pytest

from outreach.providers import mailgun, postmark
from outreach.providers.base import LookupUnavailable, OutgoingSMS, TransientSendError
from outreach.providers.console import ConsoleEmailProvider, ConsoleSMSProvider
from outreach.providers.twilio import TwilioSMSProvider
from tests.fakes.base import free_port
from tests.fakes.twilio import TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM_NUMBER, TEST_MESSAGING_SERVICE_SID
from tests.outreach.providers.senders import ago, make_sender, sms

PROVIDERS = ["twilio", "postmark", "mailgun"]


@pytest.fixture(params=PROVIDERS)
def sender(request):
    return make_sender(request.param, request.getfixturevalue(f"fake_{request.param}"))


@pytest.fixture
def settled(monkeypatch):
    """Searches are conclusive at once (the settle windows are covered by their own tests)."""
    monkeypatch.setattr(postmark, "SETTLE_SECONDS", 0)
    monkeypatch.setattr(mailgun, "SETTLE_SECONDS", 0)


def send_ambiguously(sender, message, outcome=500):
    """Send `message`; the fake accepts it and answers `outcome`. Returns when the attempt started."""
    started = datetime.datetime.now(datetime.UTC)
    sender.fake.set_ambiguous(1, [outcome])
    with pytest.raises(TransientSendError) as caught:
        sender.send(message)
    assert caught.value.outcome_unknown
    sender.fake.set_ambiguous(None)
    return started


@pytest.mark.parametrize("outcome", [500, 504, "drop"])
def test_a_message_accepted_then_answered_with_an_error_is_found(sender, outcome):
    message = sender.message()
    started = send_ambiguously(sender, message, outcome)
    [accepted] = sender.accepted_for(message)
    found = sender.find(message, started)
    assert found is not None and found.provider == sender.name
    assert found.message_id == accepted.id


def test_a_message_never_accepted_is_not_found(sender, settled):
    message = sender.message()
    sender.fake.fail_next(1, status=503)
    started = datetime.datetime.now(datetime.UTC)
    with pytest.raises(TransientSendError):
        sender.send(message)
    assert sender.find(message, started) is None


def test_another_message_to_the_same_recipient_is_not_ours(sender, settled):
    ours = sender.message()
    started = datetime.datetime.now(datetime.UTC)
    if sender.name == "twilio":
        other = sms(to=ours.to, body="Hi Ana, your results are ready.", reference=ours.reference)
    else:
        other = sender.message(to=ours.to)  # a different outbox row to the same address
    sender.send(other)
    assert sender.find(ours, started) is None


def test_a_message_before_the_window_is_not_ours(sender, settled):
    message = sender.message()
    sender.send(message)
    sender.fake.backdate(600)  # accepted ten minutes before the attempt we ask about
    assert sender.find(message, ago(seconds=1)) is None
    assert sender.find(message, ago(minutes=11)) is not None


def test_a_provider_answering_an_error_to_the_look_up_is_unavailable(sender, settled):
    message = sender.message()
    started = send_ambiguously(sender, message)
    sender.fake.fail_next(1, status=500)
    with pytest.raises(LookupUnavailable):
        sender.find(message, started)


def test_a_provider_that_cannot_be_reached_is_unavailable(sender):
    with pytest.raises(LookupUnavailable) as caught:
        sender.find(sender.message(), ago(minutes=40), **sender.at(f"http://127.0.0.1:{free_port()}"))
    assert "@" not in str(caught.value) and "+1" not in str(caught.value)


def test_a_throttled_look_up_says_when_to_ask_again(fake_postmark, settled):
    sender = make_sender("postmark", fake_postmark)
    fake_postmark.fail_next(1, status=429, retry_after=12)
    with pytest.raises(LookupUnavailable) as caught:
        sender.find(sender.message(), ago(minutes=5))
    assert caught.value.retry_after == 12


# -- Searches that lag acceptance ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "settle"), [("postmark", 60), ("mailgun", 1800)])
def test_finding_nothing_right_after_the_attempt_is_not_conclusive(request, name, settle):
    sender = make_sender(name, request.getfixturevalue(f"fake_{name}"))
    with pytest.raises(LookupUnavailable) as caught:
        sender.find(sender.message(), ago(seconds=10))
    assert settle - 11 <= caught.value.retry_after <= settle - 9
    assert sender.find(sender.message(), ago(seconds=settle + 1)) is None


def test_a_found_message_is_returned_even_before_the_search_settles(fake_mailgun):
    sender = make_sender("mailgun", fake_mailgun)
    message = sender.message()
    started = send_ambiguously(sender, message, 502)
    assert sender.find(message, started).message_id == fake_mailgun.messages[0].id


# -- Twilio: no metadata, so recipient, sender, body and time ----------------------------------------------------


@pytest.fixture
def twilio(fake_twilio):
    return make_sender("twilio", fake_twilio)


def test_twilio_finds_a_message_still_queued_which_has_no_date_sent(twilio, fake_twilio):
    message = sms()
    started = send_ambiguously(twilio, message)
    [accepted] = fake_twilio.messages
    assert accepted.response["date_sent"] is None  # Twilio lists it, but a DateSent filter would not
    assert twilio.find(message, started).status == "queued"
    fake_twilio.deliver(accepted.id)
    assert twilio.find(message, started).status == "delivered"


def test_twilio_compares_bodies_as_smart_encoding_stores_them(twilio, fake_twilio, settled):
    typed = sms(body="Don\u2019t forget: \u201cFriday\u201d \u2013 10:00\u2026")
    started = datetime.datetime.now(datetime.UTC)
    twilio.send(sms(to=typed.to, body='Don\'t forget: "Friday" - 10:00...'))  # what Twilio would have stored
    assert twilio.find(typed, started) is not None


def test_twilio_finds_ours_on_a_later_page(twilio, fake_twilio):
    ours = sms()
    started = send_ambiguously(twilio, ours)
    for n in range(120):
        twilio.send(sms(to=ours.to, body=f"Message {n}"))
    found = twilio.find(ours, started)
    assert found is not None and found.message_id == fake_twilio.messages[0].id
    listed = [r for r in fake_twilio.requests if r.method == "GET"]
    assert len(listed) == 2 and listed[0].query["PageSize"] == ["100"] and listed[0].query["To"] == [ours.to]
    assert "DateSent>" not in listed[0].query


def test_twilio_with_a_messaging_service_matches_the_service(fake_twilio):
    provider = TwilioSMSProvider(
        TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, None, TEST_MESSAGING_SERVICE_SID, fake_twilio.url, timeout=5
    )
    other_sender = TwilioSMSProvider(TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM_NUMBER, None, fake_twilio.url, 5)
    message = sms()
    started = datetime.datetime.now(datetime.UTC)
    other_sender.send_sms(message)
    assert provider.find_accepted(message, started) is None  # same text, sent from a plain number, not the service
    provider.send_sms(message)
    assert provider.find_accepted(message, started).message_id == fake_twilio.messages[1].id


def test_twilio_with_a_redacted_body_in_the_window_cannot_say(twilio, fake_twilio):
    message = sms()
    started = send_ambiguously(twilio, message)
    fake_twilio.messages[0].response["body"] = ""  # Message Redaction
    with pytest.raises(LookupUnavailable):
        twilio.find(message, started)


def test_twilio_returns_the_first_of_two_copies(twilio, fake_twilio):
    message = sms()
    started = send_ambiguously(twilio, message) - datetime.timedelta(seconds=5)
    fake_twilio.backdate(5)
    twilio.send(message)  # a duplicate already exists: adopt the first
    assert twilio.find(message, started).message_id == fake_twilio.messages[0].id


# -- Postmark and Mailgun: our outbox id travels as metadata -----------------------------------------------------


def test_postmark_searches_by_recipient_and_metadata_in_eastern_time(fake_postmark):
    sender = make_sender("postmark", fake_postmark)
    message = sender.message()
    started = send_ambiguously(sender, message)
    sender.find(message, started)
    [search] = [r for r in fake_postmark.requests if r.method == "GET"]
    assert search.path == "/messages/outbound"
    assert search.query["recipient"] == [message.to] and search.query["metadata_outbox_id"] == [message.reference]
    eastern = (started - datetime.timedelta(minutes=2)).astimezone(postmark.EASTERN).replace(tzinfo=None)
    assert search.query["fromdate"] == [eastern.replace(microsecond=0).isoformat()]


def test_mailgun_queries_accepted_events_by_recipient_and_user_variables(fake_mailgun):
    sender = make_sender("mailgun", fake_mailgun)
    message = sender.message()
    started = send_ambiguously(sender, message)
    found = sender.find(message, started)
    assert found.message_id == fake_mailgun.messages[0].id and found.message_id.startswith("<")
    [query] = [r for r in fake_mailgun.requests if r.method == "GET"]
    assert query.query["event"] == ["accepted"] and query.query["recipient"] == [message.to]
    assert query.query["user-variables"] == [f'{{"outbox_id": "{message.reference}"}}']


def test_console_providers_never_hold_a_lost_message():
    since = datetime.datetime.now(datetime.UTC)
    assert ConsoleSMSProvider().find_accepted(OutgoingSMS(to="+12035550100", body="x"), since) is None
    assert ConsoleEmailProvider().find_accepted(object(), since) is None
