"""What a contact's page shows about consent and subscriptions, and the demo's simulated replies.

Consent "now" is what the engine obeys: the latest record per channel and purpose that is not a pending request
(outreach.consent.ledger.latest). A subscribe-form request awaiting the patient's confirmation never reads
"granted": it is shown as pending beside the consent in force. These are small queries on purpose, so they follow
the models if the subscription identity changes.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings

from outreach.admin.audit import audit
from outreach.consent import ledger
from outreach.conversations.inbound import InboundSMS, handle_inbound
from outreach.followups.subscriptions import confirmation_url, pending_request
from outreach.models import Channel, InboundMessage, Purpose


@dataclass
class ConsentNow:
    channel: str
    purpose: str
    record: object  # the ConsentRecord in force, or None
    pending: object  # a newer request awaiting the patient's confirmation, or None

    @property
    def state(self):
        if self.record is None:
            return "pending" if self.pending else "none"
        return "granted" if self.record.granted else "withdrawn"

    @property
    def patient_opt_out(self):
        return ledger.patient_opted_out(self.record)

    @property
    def channel_label(self):
        return Channel(self.channel).label

    @property
    def purpose_label(self):
        return Purpose(self.purpose).label


def consent_now(contact):
    """One row per channel and purpose: the consent in force, and any request still awaiting confirmation."""
    records = list(contact.consent_records.order_by("-recorded_at", "-pk"))
    rows = []
    for channel in Channel.values:
        for purpose in Purpose.values:
            mine = [r for r in records if r.channel == channel and r.purpose == purpose]
            current = next((r for r in mine if not r.pending), None)
            request = next((r for r in mine if r.pending), None)
            if request is not None and current is not None and current.recorded_at >= request.recorded_at:
                request = None  # answered (confirmed, or overtaken by a later decision)
            rows.append(ConsentNow(channel, purpose, current, request))
    return rows


@dataclass
class SubscriptionRow:
    topic: object
    requested_at: object
    confirmed_at: object


def subscriptions(contact):
    return [
        SubscriptionRow(s.topic, s.created_at, s.confirmed_at)
        for s in contact.subscriptions.select_related("topic").order_by("topic__name")
    ]


# The demo (console providers: nothing reaches a phone or an inbox).


def demo_mode():
    return settings.SMS_PROVIDER == "console" and settings.EMAIL_PROVIDER == "console"


CRISIS_SAMPLE = "I can't go on like this, I want to end my life"
SAMPLE_REPLIES = [
    ("C", "C (confirm the visit)"),
    ("R", "R (ask to reschedule)"),
    ("STOP", "STOP (opt out of texts)"),
    ("YES", "YES (confirm a subscription)"),
    ("HELP", "HELP"),
    (CRISIS_SAMPLE, "A crisis text"),
    ("CONFIRMAR", "CONFIRMAR (confirm, in Spanish)"),
    ("PARAR", "PARAR (opt out, in Spanish)"),
]


def simulate_reply(contact, body, user):
    """Hand `body` from the contact's phone to the very function a Twilio inbound webhook calls; returns the stored
    InboundMessage and the reply Twilio would have been told to send."""
    sms = InboundSMS(message_sid=f"SIMULATED{uuid.uuid4().hex}", from_number=str(contact.phone), body=body)
    reply = handle_inbound(sms)
    inbound = InboundMessage.objects.get(provider_message_id=sms.message_sid)
    audit(inbound, "outreach.demo.simulated_reply", user)
    return inbound, reply


def demo_confirmation_link(contact):
    """The double opt-in link of a pending email subscription (the console provider printed it to the log)."""
    if pending_request(contact, Channel.EMAIL) is None:
        return None
    return confirmation_url(contact)
