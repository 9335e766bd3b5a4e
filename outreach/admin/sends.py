"""Messages the admin sends itself, outside the outbox: a campaign step's test to a staff member, and a staff
member's answer to a patient's reply.

Neither goes through the outbox: a test is not a message to a patient (it is rendered, from the editor's current
unsaved fields, with the sample patient and only ever addressed to the staff member's own email or a number they
type), and an answer is a conversation the patient started. Both are audited without their addresses; an answer's
text is kept in its audit entry.
"""

import logging
from dataclasses import dataclass

from outreach.admin.audit import audit
from outreach.admin.preview import render_for
from outreach.consent import ledger
from outreach.models import Channel, Purpose, Suppression
from outreach.providers import get_email_provider, get_sms_provider
from outreach.providers.base import OutgoingSMS, SendError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    message: str


def send_test(step, channel, address, user):
    """Send a step's message as the editor holds it now (saved or not), rendered for the sample patient, to a staff
    member's address. Nothing is saved: the campaign's live version is untouched.

    Audited on the campaign when it exists, else on the staff member (a campaign not yet created)."""
    saved = step.campaign.pk is not None and step.campaign.pk > 0
    outgoing = render_for(step, channel, to=address, reference=f"test-campaign-{step.campaign.pk if saved else 'new'}")
    try:
        if channel == Channel.SMS:
            result = get_sms_provider().send_sms(outgoing)
        else:
            result = get_email_provider().send_email(outgoing)
    except SendError as exc:
        logger.info("test send for campaign %s failed: %s", step.campaign.pk if saved else "(new)", exc.code)
        return SendOutcome(False, f"The provider refused the test: {exc}")
    audit(
        step.campaign if saved else user,
        "outreach.campaign.test_send",
        user,
        campaign=step.campaign.pk if saved else None,
        step=step.name,
        channel=channel,
        provider=result.provider,
        provider_message_id=result.message_id,
    )
    where = "your email address" if channel == Channel.EMAIL else "the number you typed"
    return SendOutcome(
        True,
        f"Test {Channel(channel).label} of this version sent to {where} ({result.provider} id {result.message_id}). "
        "Nothing was saved.",
    )


def reply_refusal(inbound):
    """Why staff may not text this sender back, or None."""
    contact = inbound.contact
    address = str(contact.phone) if contact and contact.phone else inbound.from_number
    if not address:
        return "There is no number to answer."
    if Suppression.is_suppressed(Channel.SMS, address):
        return "This number is suppressed: it must not be texted."
    if contact is not None:
        for purpose in Purpose.values:
            if ledger.patient_opted_out(ledger.latest(contact, Channel.SMS, purpose)):
                return "This patient opted out of texts. Call them instead."
    return None


def reply_to_inbound(inbound, body, user):
    refusal = reply_refusal(inbound)
    if refusal:
        return SendOutcome(False, refusal)
    contact = inbound.contact
    to = str(contact.phone) if contact and contact.phone else inbound.from_number
    try:
        result = get_sms_provider().send_sms(OutgoingSMS(to=to, body=body, reference=f"inbox-{inbound.pk}"))
    except SendError as exc:
        logger.info("inbox %s answer failed: %s", inbound.pk, exc.code)
        return SendOutcome(False, f"The answer was not sent: {exc}")
    audit(
        inbound,
        "outreach.inbox.reply",
        user,
        provider=result.provider,
        provider_message_id=result.message_id,
        body=body,
    )
    return SendOutcome(True, "Answer sent.")
