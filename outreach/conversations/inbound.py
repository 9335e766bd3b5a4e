"""Handling one inbound text: keep it once, find who sent it, decide what it is, act, and say what to reply.

Order of reading: a possible crisis first (outreach.conversations.crisis); then what Twilio did with it (Advanced
Opt-Out), or a keyword (outreach.conversations.keywords), or an opt-out however it is written
(outreach.conversations.opt_out). A crisis text that also opts out gets both: the crisis answer and the on-call
alert, and the opt-out recorded and confirmed. Anything else waits in the staff inbox, linked to the contact.
Twilio retries a webhook that timed out, and a replayed request carries the same MessageSid: the unique MessageSid
makes the second one a no-op with no second reply.

Unknown numbers: the message is kept with no contact (none is invented). An opt-out is remembered by address (so it
applies when the booking system later sends the number, and staff cannot text it from the inbox), START lifts it,
HELP is answered, and a possible crisis: a person in danger gets the 988 Lifeline whoever they are, and the on-call
clinician is told.

Every answer passes the gate (outreach/engine/gate.py, via keywords.gated_answer) after the keyword acted: no answer
to a patient who opted out (but the STOP confirmation, once, and HELP), to a suppressed number, one abroad or one that
cannot take texts. A crisis answer always goes.

Staff alerts (outreach.conversations.alerts) go out by a task after the transaction commits, so a slow email API
never delays the reply.
"""

import logging
from dataclasses import dataclass
from functools import partial

import phonenumbers
from django.db import IntegrityError, transaction
from django.utils import timezone

from cms.clinic import get_clinic_settings, messaging_name
from outreach import metrics, tasks
from outreach.conversations import answers, crisis, keywords
from outreach.conversations.reading import looks_spanish
from outreach.engine import gate
from outreach.models import Contact, InboundMessage

logger = logging.getLogger(__name__)
Kind = InboundMessage.Kind


@dataclass(frozen=True)
class InboundSMS:
    """An inbound text as the webhook parsed it."""

    message_sid: str
    from_number: str
    body: str
    num_media: int = 0
    opt_out_type: str = ""  # Twilio Advanced Opt-Out's OptOutType (STOP, START, HELP) when Twilio acted on it


def crisis_reply(clinic, language="en"):
    """The crisis answer in `language` (outreach.conversations.answers): 988 serves Spanish speakers too."""
    return answers.crisis(messaging_name(clinic), clinic.phone, language)


def crisis_language(ctx):
    """A crisis written in Spanish is answered in Spanish; any other in the patient's language (a Spanish speaker
    who writes in English still gets Spanish)."""
    return "es" if looks_spanish(ctx.inbound.body) else ""


def e164(number):
    """The sender as E.164, or None for a short code or an alphanumeric sender (not a patient's phone)."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def find_contact(number):
    address = e164(number)
    return Contact.objects.filter(phone=address).first() if address else None


def classify(ctx):
    """Decide what a message is and act on it; returns a keywords.Outcome."""
    reading = crisis.crisis_match(ctx.inbound.body)
    action = keywords.action_for(ctx)
    if reading is not None:
        keywords.written_in(ctx, crisis_language(ctx))
        # Always answered (the gate's rule for a crisis answer): whoever and wherever the sender is, whatever they
        # opted out of, at any hour.
        answer = keywords.gated_answer(ctx, crisis_reply(ctx.clinic, ctx.language), gate.Kind.CRISIS_ANSWER)
        outcome = keywords.Outcome(kind=Kind.CRISIS, reply=answer, handled=False, urgent=True, alert="oncall")
        if action is not None and (action[1].kind == Kind.OPT_OUT or ctx.opt_out_type):
            # "Stop. I want to die": the opt-out is honoured too (and what Twilio did is recorded), and confirmed
            # after the crisis answer.
            opted = keywords.handle(ctx, *action)
            outcome.keyword = opted.keyword
            outcome.reply = "\n\n".join(part for part in (outcome.reply, opted.reply) if part)
        return outcome
    if action is not None:
        return keywords.handle(ctx, *action)
    return keywords.Outcome(kind=Kind.UNKNOWN, handled=False)


def handle_inbound(sms, now=None):
    """Store and act on an inbound text. Returns the reply to send (empty for none)."""
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                inbound = InboundMessage.objects.create(
                    provider_message_id=sms.message_sid,
                    from_number=sms.from_number[:32],
                    body=sms.body,
                    num_media=min(sms.num_media, 32767),
                )
        except IntegrityError:
            logger.info("inbound sms %s already received; not handled again", sms.message_sid)
            return ""
        inbound.contact = find_contact(sms.from_number)
        ctx = keywords.KeywordContext(
            inbound=inbound,
            contact=inbound.contact,
            clinic=get_clinic_settings(),
            now=now,
            address=e164(sms.from_number),
            opt_out_type=sms.opt_out_type.strip().upper(),
        )
        outcome = classify(ctx)
        inbound.kind = outcome.kind
        inbound.keyword = outcome.keyword[:20]
        inbound.urgent = outcome.urgent
        inbound.consultation = outcome.consultation
        inbound.reply_sent = outcome.reply
        inbound.handled_at = now if outcome.handled else None
        inbound.save()
        if outcome.kind == Kind.CRISIS:
            metrics.crisis_alert()
        if outcome.alert:
            # A task, so a slow email API never delays the patient's TwiML reply (Twilio waits 15 s at most).
            transaction.on_commit(partial(tasks.enqueue_staff_alert, inbound.pk, outcome.alert))
    logger.info(
        "inbound %s: kind=%s contact=%s replied=%s",
        inbound.pk,
        inbound.kind,
        inbound.contact_id,
        bool(outcome.reply),
    )
    return outcome.reply
