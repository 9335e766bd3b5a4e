"""Messages the admin sends itself, outside the outbox: a campaign step's test to a staff member, and a staff
member's answer to a patient's reply.

Neither goes through the outbox: a test is not a message to a patient (it is rendered, from the editor's current
unsaved fields, with the sample patient and only ever addressed to the staff member's own email or a number they
type), and an answer is a conversation the patient started. Both pass the gate (outreach/engine/gate.py) through
outreach/engine/outbound.py like every message: a number typed for a test that is a contact's needs that contact's
consent for the campaign's purpose and must not be suppressed or abroad; an answer is refused to a patient who opted
out of texts, to a suppressed number (an opt-out texted from a number that was not yet a contact's included), to an
unreachable one and to a country the clinic does not text. Both are audited without their addresses; an answer's
text is kept in its audit entry.
"""

import logging
from dataclasses import dataclass

from outreach.admin.audit import audit
from outreach.admin.preview import render_for
from outreach.engine import gate, outbound
from outreach.models import Channel
from outreach.providers.base import OutgoingSMS, SendError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SendOutcome:
    ok: bool
    message: str
    blocked: bool = False  # the gate refused the address (not the provider): the request's fault, not a bad gateway


def send_test(step, channel, address, user):
    """Send a step's message as the editor holds it now (saved or not), rendered for the sample patient, to a staff
    member's address. Nothing is saved: the campaign's live version is untouched.

    Audited on the campaign when it exists, else on the staff member (a campaign not yet created)."""
    saved = step.campaign.pk is not None and step.campaign.pk > 0
    outgoing = render_for(step, channel, to=address, reference=f"test-campaign-{step.campaign.pk if saved else 'new'}")
    try:
        result = outbound.send_one_off(gate.Kind.TEST, channel, outgoing, purpose=step.campaign.purpose)
    except outbound.Blocked as blocked:
        return SendOutcome(False, f"The test was not sent: {blocked.decision.words}.", blocked=True)
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


def _answer_address(inbound):
    contact = inbound.contact
    return str(contact.phone) if contact and contact.phone else inbound.from_number


REFUSALS = {
    gate.Skip.NO_CONSENT: "This patient opted out of texts. Call them instead.",
    gate.Skip.SUPPRESSED: "This number is suppressed: it must not be texted.",
    gate.Skip.UNREACHABLE: "This number cannot receive texts. Call them instead.",
    gate.Skip.COUNTRY: "This number is in a country the clinic does not text.",
    gate.Skip.NO_ADDRESS: "There is no number to answer.",
}


def reply_refusal(inbound):
    """Why staff may not text this sender back (the gate's answer, in the inbox's words), or None."""
    if not _answer_address(inbound):
        return REFUSALS[gate.Skip.NO_ADDRESS]
    decision = gate.check(
        kind=gate.Kind.STAFF_REPLY, channel=Channel.SMS, address=_answer_address(inbound), contact=inbound.contact
    )
    if decision.sends:
        return None
    return REFUSALS.get(decision.reason, f"Not sent: {decision.words}.")


def reply_to_inbound(inbound, body, user):
    outgoing = OutgoingSMS(to=_answer_address(inbound), body=body, reference=f"inbox-{inbound.pk}")
    try:
        result = outbound.send_one_off(gate.Kind.STAFF_REPLY, Channel.SMS, outgoing, contact=inbound.contact)
    except outbound.Blocked as blocked:
        refusal = REFUSALS.get(blocked.decision.reason, f"Not sent: {blocked.decision.words}.")
        return SendOutcome(False, refusal, blocked=True)
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
