"""End to end, with the real engine and the console providers: a patient replies STOP to a text; their next text
reminder is skipped for want of consent while their email reminder still goes."""

import uuid

import pytest

from outreach.engine.dispatch import claim_due
from outreach.engine.planner import plan_due
from outreach.engine.sending import send_message
from outreach.models import Channel, MessageStatus, OutboundMessage
from tests.fixtures.loaders import PUBLIC_BASE_URL, TWILIO_TOKEN, post_twilio, twilio_form
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone

pytestmark = pytest.mark.django_db
Skip = OutboundMessage.SkipReason


@pytest.fixture(autouse=True)
def configured(settings):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.SMS_PROVIDER = "console"
    settings.EMAIL_PROVIDER = "console"
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "Test Clinic"
    clinic.phone = "(203) 555-0100"
    clinic.save()


def reply(client, contact, body):
    params = twilio_form("inbound_sms", Body=body, From=str(contact.phone), MessageSid="SM" + uuid.uuid4().hex)
    response = post_twilio(client, "/webhooks/twilio/inbound/", params)
    assert response.status_code == 200
    return response.content.decode()


def send_due():
    plan_due()
    for message_id in claim_due():
        send_message(message_id)


def test_after_stop_the_next_text_reminder_is_skipped_but_the_email_reminder_goes(client):
    make_campaign(steps=[{"send_sms": True, "send_email": True}])
    patient = make_contact(time_zone=daytime_zone())
    make_consultation(patient, in_hours=23.95)

    twiml = reply(client, patient, "Stop")
    assert "unsubscribed" in twiml

    send_due()
    sms = OutboundMessage.objects.get(contact=patient, channel=Channel.SMS)
    email = OutboundMessage.objects.get(contact=patient, channel=Channel.EMAIL)
    assert sms.status == MessageStatus.SKIPPED and sms.skip_reason == Skip.NO_CONSENT == "no consent"
    assert sms.provider_message_id == ""  # nothing went to the SMS provider
    assert email.status == MessageStatus.SENT and email.provider_message_id.startswith("console-")


def test_a_reminder_already_planned_when_the_patient_replies_stop_is_cancelled_not_sent(client):
    make_campaign(steps=[{"send_sms": True, "send_email": True}])
    patient = make_contact(time_zone=daytime_zone())
    make_consultation(patient, in_hours=23.95)
    plan_due()  # rows exist, not yet claimed

    reply(client, patient, "STOP")
    for message_id in claim_due():
        send_message(message_id)
    sms = OutboundMessage.objects.get(contact=patient, channel=Channel.SMS)
    email = OutboundMessage.objects.get(contact=patient, channel=Channel.EMAIL)
    assert sms.status == MessageStatus.CANCELLED and sms.sent_at is None
    assert email.status == MessageStatus.SENT


def test_after_start_text_reminders_go_again(client):
    make_campaign(steps=[{"send_sms": True, "send_email": False}])
    patient = make_contact(time_zone=daytime_zone())
    make_consultation(patient, in_hours=23.95)
    reply(client, patient, "STOP")
    reply(client, patient, "START")
    send_due()
    assert OutboundMessage.objects.get(contact=patient, channel=Channel.SMS).status == MessageStatus.SENT
