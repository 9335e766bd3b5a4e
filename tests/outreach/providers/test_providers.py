"""The real twilio and anymail clients, over HTTP, against the local fake providers."""

import datetime
import urllib.parse

import pytest
from django.test import override_settings

from outreach.consent import ledger as consent
from outreach.models import Channel, MessageStatus, OutboundMessage, Purpose, Suppression
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone, plan_and_send

pytestmark = pytest.mark.django_db


def due_sms(phone=True, **step):
    make_campaign(steps=[step or {}])
    return make_consultation(make_contact(phone=phone, time_zone=daytime_zone()), in_hours=23.95)


def later(minutes):
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_twilio_receives_the_message_with_callback_and_validity(twilio_settings):
    fake = twilio_settings
    consultation = due_sms()
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert row.status == MessageStatus.SENT
    [message] = fake.messages
    assert row.provider_message_id == message.id and message.id.startswith("SM")
    fields = message.fields
    assert fields["To"] == str(consultation.contact.phone)
    assert fields["From"] == "+15005550006"
    assert fields["Body"] == row.body
    callback = urllib.parse.urlsplit(fields["StatusCallback"])
    assert callback.path == "/webhooks/twilio/status/" and callback.query == f"m={row.pk}"
    assert 1 <= int(fields["ValidityPeriod"]) <= 2 * 3600


def test_a_503_is_retried_later_through_the_outbox_and_sent_once(twilio_settings):
    fake = twilio_settings
    due_sms()
    fake.fail_next(1, status=503)
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert row.status == MessageStatus.SCHEDULED and row.error_code == "20503" and row.outcome_unknown_count == 0
    assert row.scheduled_for > later(0)
    plan_and_send(row.scheduled_for + datetime.timedelta(seconds=1))
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT and row.attempts == 2
    assert len(fake.requests) == 2 and len(fake.messages) == 1


def test_429_is_transient(twilio_settings):
    twilio_settings.fail_next(1, status=429)
    due_sms()
    plan_and_send()
    assert OutboundMessage.objects.get().status == MessageStatus.SCHEDULED


def test_an_invalid_number_fails_at_once_without_retry(twilio_settings):
    fake = twilio_settings
    consultation = due_sms()
    fake.set_rule(str(consultation.contact.phone), "invalid")
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert (row.status, row.error_code) == (MessageStatus.FAILED, "21211")
    assert str(consultation.contact.phone)[2:] not in row.error_message  # no PII kept from the provider message
    consultation.contact.refresh_from_db()
    assert consultation.contact.sms_reachable is False
    plan_and_send(later(30))
    assert len(fake.requests) == 1


def test_21610_records_an_sms_opt_out(twilio_settings):
    consultation = due_sms()
    twilio_settings.set_rule(str(consultation.contact.phone), "opted_out")
    plan_and_send()
    assert OutboundMessage.objects.get().error_code == "21610"
    assert not consent.has_consent(consultation.contact, Channel.SMS, Purpose.CARE)
    assert consultation.contact.consent_records.filter(source="provider_event", granted=False).count() == 2


def test_a_timeout_after_the_provider_accepted_is_adopted_not_resent(twilio_settings):
    fake = twilio_settings
    due_sms()
    with override_settings(TWILIO_HTTP_TIMEOUT=1):
        fake.hang_next(1, seconds=3, accept=True)  # Twilio took it; our client never saw the answer
        plan_and_send()
        row = OutboundMessage.objects.get()
        assert (row.status, row.outcome_unknown_count) == (MessageStatus.SCHEDULED, 1)
        assert row.ambiguous_since is not None
        plan_and_send(row.scheduled_for + datetime.timedelta(seconds=1))
    row.refresh_from_db()
    [message] = fake.messages
    assert row.status == MessageStatus.SENT and row.provider_message_id == message.id
    assert [request.method for request in fake.requests] == ["POST", "GET"]  # the send, then the look-up only


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_5xx_the_provider_did_not_keep_is_looked_up_then_resent_once(twilio_settings, status):
    fake = twilio_settings
    due_sms()
    fake.fail_next(1, status=status)
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert (row.status, row.outcome_unknown_count) == (MessageStatus.SCHEDULED, 1)
    first_body = row.body
    plan_and_send(row.scheduled_for + datetime.timedelta(seconds=1))
    row.refresh_from_db()
    [message] = fake.messages
    assert row.status == MessageStatus.SENT and message.fields["Body"] == first_body
    assert [request.method for request in fake.requests] == ["POST", "GET", "POST"]


@pytest.mark.parametrize("outcome", [500, 502, 504, "drop"])
def test_a_message_accepted_then_answered_with_an_error_is_adopted_not_resent(twilio_settings, outcome):
    fake = twilio_settings
    due_sms()
    fake.set_ambiguous(1, outcomes=[outcome])  # Twilio keeps every message, then answers badly
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert (row.status, row.outcome_unknown_count) == (MessageStatus.SCHEDULED, 1)
    plan_and_send(row.scheduled_for + datetime.timedelta(seconds=1))
    row.refresh_from_db()
    [message] = fake.messages
    assert row.status == MessageStatus.SENT and row.provider_message_id == message.id


def test_when_the_provider_cannot_be_asked_the_row_waits_and_asks_again(twilio_settings):
    fake = twilio_settings
    due_sms()
    fake.fail_next(2, status=500)  # the send, then the look-up
    plan_and_send()
    row = OutboundMessage.objects.get()
    plan_and_send(row.scheduled_for + datetime.timedelta(seconds=1))
    row.refresh_from_db()
    assert (row.status, row.error_code) == (MessageStatus.SCHEDULED, "lookup_unavailable")
    assert [request.method for request in fake.requests] == ["POST", "GET"]
    plan_and_send(row.scheduled_for + datetime.timedelta(seconds=1))  # the look-up answers: not there, so resend
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT and len(fake.messages) == 1
    assert [request.method for request in fake.requests] == ["POST", "GET", "GET", "POST"]


def test_a_provider_that_cannot_answer_before_the_deadline_fails_the_row_never_resent_blind(twilio_settings):
    fake = twilio_settings
    due_sms(max_lateness=datetime.timedelta(minutes=30))
    fake.fail_next(2, status=500)
    plan_and_send()
    row = OutboundMessage.objects.get()
    with override_settings(OUTREACH_RETRY_BASE_SECONDS=7200, OUTREACH_RETRY_MAX_SECONDS=7200):
        plan_and_send(row.scheduled_for + datetime.timedelta(seconds=1))  # next ask would be past its lateness
    row.refresh_from_db()
    assert (row.status, row.error_code) == (MessageStatus.FAILED, "outcome_unknown")
    assert [request.method for request in fake.requests] == ["POST", "GET"]  # never a second POST


def test_a_pacer_failure_is_a_plain_retry_of_a_message_that_never_left(twilio_settings, monkeypatch):
    import redis

    from outreach.engine import pacing

    def broken(channel):
        raise redis.ConnectionError("pacer down")

    monkeypatch.setattr(pacing, "reserve_slot", broken)  # the spacing slot and the one-second window: both Redis
    monkeypatch.setattr(pacing, "admit", broken)
    due_sms()
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert (row.status, row.error_code) == (MessageStatus.SCHEDULED, "pacer_unavailable")
    assert row.provider_call_started_at is None and row.outcome_unknown_count == 0 and row.ambiguous_since is None
    assert twilio_settings.requests == []


def test_connection_refused_is_retried(twilio_settings):
    due_sms()
    with override_settings(TWILIO_API_BASE_URL="http://127.0.0.1:9"):
        plan_and_send()
    row = OutboundMessage.objects.get()
    assert (row.status, row.error_code, row.outcome_unknown_count) == (MessageStatus.SCHEDULED, "connection_error", 0)


def email_step():
    return {"send_sms": False, "send_email": True}


def test_postmark_gets_html_text_and_unsubscribe_headers(postmark_settings):
    fake = postmark_settings
    consultation = due_sms(**email_step())
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert row.status == MessageStatus.SENT and row.provider == "postmark"
    [message] = fake.messages
    assert row.provider_message_id == message.id
    fields = message.fields
    assert fields["To"] == consultation.contact.email
    assert "Unsubscribe" in fields["HtmlBody"] and "Unsubscribe:" in fields["TextBody"]
    headers = {header["Name"]: header["Value"] for header in fields["Headers"]}
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert fields["Metadata"] == {"outbox_id": str(row.pk)}


def test_postmark_inactive_recipient_fails_and_suppresses(postmark_settings):
    consultation = due_sms(**email_step())
    postmark_settings.set_rule(consultation.contact.email, "inactive")
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert row.status == MessageStatus.FAILED
    assert Suppression.is_suppressed(Channel.EMAIL, consultation.contact.email)


def test_postmark_503_is_transient(postmark_settings):
    postmark_settings.fail_next(1, status=503)
    due_sms(**email_step())
    plan_and_send()
    assert OutboundMessage.objects.get().status == MessageStatus.SCHEDULED


def test_mailgun_sends(mailgun_settings):
    consultation = due_sms(**email_step())
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert row.status == MessageStatus.SENT and row.provider == "mailgun"
    [message] = mailgun_settings.messages
    assert consultation.contact.email in message.recipients
