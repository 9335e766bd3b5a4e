"""Texting the product as a patient would: a signed Twilio inbound webhook, and what it answered."""

import uuid

from outreach.models import Channel, InboundMessage, Suppression
from outreach.models.suppressions import address_digest
from tests.fixtures.loaders import PUBLIC_BASE_URL, TWILIO_TOKEN, post_twilio, twilio_form

INBOUND = "/webhooks/twilio/inbound/"


def configure(settings):
    """Settings the inbound webhook needs to accept a signed request and to alert staff."""
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.OUTREACH_STAFF_EMAIL = "front-desk@clinic.example"
    settings.OUTREACH_ONCALL_EMAIL = "on-call@clinic.example"


def text(client, body, sender, **fields):
    """Post an inbound text (extra Twilio fields, e.g. OptOutType="STOP"); returns (reply texts, InboundMessage)."""
    sid = "SM" + uuid.uuid4().hex
    params = twilio_form("inbound_sms", Body=body, From=str(sender), MessageSid=sid, **fields)
    response = post_twilio(client, INBOUND, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/xml")
    content = response.content.decode()
    replies = [part.split("</Message>")[0] for part in content.split("<Message>")[1:]]
    return replies, InboundMessage.objects.get(provider_message_id=sid)


def suppression_for(number):
    """The SMS suppression held for a number (by its keyed hash), or None."""
    return Suppression.objects.filter(channel=Channel.SMS, address_hash=address_digest(Channel.SMS, number)).first()
