"""Erasure on request: a patient's personal data is removed, and their addresses stay suppressed forever.

What is removed: name (-> "Erased"), phone, email, consultation notes, every message body and subject, inbound texts'
bodies and sender numbers, our replies, the free text of consent records, topic subscriptions, delivery payloads.
What is kept, for audit and so nothing is sent again: the contact row (with no personal data), consultation ids and
times, outbox rows' metadata, the consent ledger's channel/purpose/granted/source/time, and a Suppression per address
holding only a keyed hash (and a masked hint). Pending messages are cancelled; every link sent is revoked.
Running it again is harmless.
"""

import logging
from dataclasses import dataclass, field

import phonenumbers
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outreach.models import (
    Channel,
    ConsentRecord,
    Consultation,
    Contact,
    DeliveryEvent,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    Subscription,
    Suppression,
)

logger = logging.getLogger(__name__)
ERASED_NAME = "Erased"
ERASE_ACTION = "outreach.contact.erase"


class NotFound(Exception):
    pass


@dataclass
class ErasureReport:
    contact_id: int | None
    suppressed: list = field(default_factory=list)  # channels
    cancelled: int = 0

    def summary(self):
        who = f"contact {self.contact_id}" if self.contact_id else "no contact holds this address"
        return f"{who}: erased; suppressed on {', '.join(self.suppressed) or 'no channel'}; cancelled {self.cancelled}"


def parse_identifier(identifier):
    """(kind, value): ("id", 12), ("sms", "+12035550123") or ("email", "a@example.com")."""
    identifier = identifier.strip()
    if identifier.isdigit():
        return "id", int(identifier)
    if "@" in identifier:
        return Channel.EMAIL, identifier.lower()
    try:
        number = phonenumbers.parse(identifier, "US")
    except phonenumbers.NumberParseException:
        raise NotFound("not a contact id, an E.164 phone number or an email address") from None
    if not phonenumbers.is_possible_number(number):
        raise NotFound("not a contact id, an E.164 phone number or an email address")
    return Channel.SMS, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def find_contact(kind, value):
    if kind == "id":
        return Contact.objects.filter(pk=value).first()
    if kind == Channel.SMS:
        return Contact.objects.filter(phone=value).first()
    return Contact.objects.filter(email__iexact=value).first()


def erase(identifier, user=None):
    kind, value = parse_identifier(identifier)
    with transaction.atomic():
        contact = find_contact(kind, value)
        if contact is None:
            if kind == "id":
                raise NotFound(f"no contact with id {value}")
            # Asked to forget an address we do not hold: make sure it is never messaged anyway.
            Suppression.add(kind, value, Suppression.Reason.ERASED)
            report = ErasureReport(contact_id=None, suppressed=[kind])
        else:
            contact = Contact.objects.select_for_update().get(pk=contact.pk)
            report = _erase_contact(contact)
    _audit(report, user)
    return report


def _erase_contact(contact):
    now = timezone.now()
    report = ErasureReport(contact_id=contact.pk)
    for channel in (Channel.SMS, Channel.EMAIL):
        address = contact.address_for(channel)
        if address:
            Suppression.add(channel, address, Suppression.Reason.ERASED)
            report.suppressed.append(channel)
    report.cancelled = OutboundMessage.objects.filter(contact=contact, status=MessageStatus.SCHEDULED).update(
        status=MessageStatus.CANCELLED, error_message="patient erased", lease_expires_at=None, updated_at=now
    )
    messages = OutboundMessage.objects.filter(contact=contact)
    messages.update(body="", subject="", updated_at=now)
    DeliveryEvent.objects.filter(message__in=messages).update(payload={})
    InboundMessage.objects.filter(contact=contact).update(body="", from_number="", reply_sent="")
    Consultation.objects.filter(contact=contact).update(notes="", updated_at=now)
    ConsentRecord.objects.filter(contact=contact).update(wording="", reason="")
    Subscription.objects.filter(contact=contact).delete()
    Contact.objects.filter(pk=contact.pk).update(
        first_name=ERASED_NAME,
        last_name="",
        phone=None,
        email=None,
        link_version=F("link_version") + 1,  # every unsubscribe/preference link sent so far stops working
        updated_at=now,
    )
    return report


def _audit(report, user):
    logger.warning("erasure: %s", report.summary())  # no address: the summary names channels and ids only
    if report.contact_id is None:
        return
    from wagtail.log_actions import log, registry

    # Registered here rather than in outreach/admin/audit.py (another module's): the label shown in Site history.
    if not registry.action_exists(ERASE_ACTION):
        registry.register_action(ERASE_ACTION, "Erase patient data", "Erased the patient's personal data on request")
    contact = Contact.objects.get(pk=report.contact_id)
    log(
        instance=contact,
        action=ERASE_ACTION,
        user=user,
        data={"suppressed": report.suppressed, "cancelled": report.cancelled},
    )
