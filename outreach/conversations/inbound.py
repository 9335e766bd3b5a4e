"""Handling one inbound text: keep it once, find who sent it, decide what it is, act, and say what to reply.

Order of reading: a possible crisis first (outreach.conversations.crisis), whatever else the text might also be; then
keywords (outreach.conversations.keywords); anything else waits in the staff inbox, linked to the contact. Twilio
retries a webhook that timed out, and a replayed request carries the same MessageSid: the unique MessageSid makes the
second one a no-op with no second reply.

Unknown numbers: the message is kept with no contact (none is invented). Only STOP and HELP are answered, and a
possible crisis: a person in danger gets the 988 Lifeline whoever they are, and the on-call clinician is told.

Staff alerts (outreach.conversations.alerts) go out by a task after the transaction commits, so a slow email API
never delays the reply.
"""

import logging
from dataclasses import dataclass
from functools import partial

import phonenumbers
from django.db import IntegrityError, transaction
from django.utils import timezone

from cms.clinic import get_clinic_settings
from outreach import metrics, tasks
from outreach.conversations import crisis, keywords
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


def crisis_reply(clinic):
    name = clinic.clinic_name or "Your care team"
    phone = f" or call us at {clinic.phone}" if clinic.phone else ""
    return (
        f"{name}: We're glad you reached out. If you might act on thoughts of harming yourself, call or text 988 "
        "(Suicide & Crisis Lifeline) now, any time; veterans press 1. If you are in immediate danger, call 911. "
        f"Our team has been alerted and will contact you{phone}."
    )


def find_contact(number):
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None  # a short code or an alphanumeric sender: not a patient's phone
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return Contact.objects.filter(phone=e164).first()


def classify(ctx):
    """Decide what a message is and act on it; returns a keywords.Outcome."""
    if crisis.is_crisis(ctx.inbound.body):
        return keywords.Outcome(
            kind=Kind.CRISIS, reply=crisis_reply(ctx.clinic), handled=False, urgent=True, alert="oncall"
        )
    text, keyword = keywords.lookup(ctx.inbound.body)
    if keyword is not None and (ctx.contact is not None or keyword.answers_unknown_numbers):
        return keywords.handle(ctx, text, keyword)
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
        ctx = keywords.KeywordContext(inbound=inbound, contact=inbound.contact, clinic=get_clinic_settings(), now=now)
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
