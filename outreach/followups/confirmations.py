"""Sending the double opt-in request for a topic subscription (transactional: sent at once, not via a campaign).

Anyone can make the form send these, to any address, so they carry nothing the sender typed (no name: the clinic's
own words and link only) and the same text whoever holds the address: in the language of the form's page (the
request's, never the contact's, so the text reveals nothing about who holds the address). Texts are also capped for
the whole deployment per hour (OUTREACH_CONFIRMATION_SMS_PER_HOUR): SMS pumping fraud drives forms like this one to text
premium numbers by the thousand, and a per-address or per-IP throttle does not stop a botnet of fresh numbers.

The request is the one message allowed to an address whose subscription is pending, and never to one that opted out
(by keyword, link or provider report, or a suppression of the address): the gate decides (outreach/engine/gate.py,
kind CONFIRMATION), before the hourly ceiling is spent and again right before the provider call. It is sent at once,
whatever the hour: the person just asked for it on the form and is waiting for it.
"""

import logging

from django.conf import settings
from django.template.loader import select_template

from cms.clinic import get_clinic_settings, messaging_name
from config import throttle
from outreach import languages
from outreach.conversations import answers
from outreach.engine import gate, outbound
from outreach.followups.subscriptions import confirmation_url, pending_request
from outreach.models import Channel, Contact
from outreach.providers.base import OutgoingEmail, OutgoingSMS, SendError

logger = logging.getLogger(__name__)


def send(contact_id, channel, language=""):
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None or pending_request(contact, channel) is None:
        return False
    address = contact.address_for(channel)
    decision = gate.check(kind=gate.Kind.CONFIRMATION, channel=channel, address=address, contact=contact)
    if not decision.sends:
        logger.info("subscription confirmation for contact %s not sent: %s", contact_id, decision.reason)
        return False
    clinic = get_clinic_settings()
    language = language if language in languages.codes() else languages.default_language(clinic)
    try:
        if channel == Channel.SMS:
            if not throttle.allow("subscription-confirmation-sms", settings.OUTREACH_CONFIRMATION_SMS_PER_HOUR):
                logger.warning(
                    "subscription confirmation for contact %s not sent: the hourly ceiling of %d confirmation texts "
                    "was reached",
                    contact_id,
                    settings.OUTREACH_CONFIRMATION_SMS_PER_HOUR,
                )
                return False
            outgoing = OutgoingSMS(
                to=address,
                body=answers.answer(
                    "subscription_confirmation", language, name=messaging_name(clinic), phone=clinic.phone
                ).strip(),
                reference=f"confirm-{contact_id}",
            )
        else:
            context = {"clinic": clinic, "confirm_url": confirmation_url(contact)}
            outgoing = OutgoingEmail(
                to=address,
                subject=answers.answer("subscription_confirmation_subject", language, name=messaging_name(clinic)),
                text=_template("txt", language).render(context),
                html=_template("html", language).render(context),
                reference=f"confirm-{contact_id}",
                from_name=messaging_name(clinic),
            )
        outbound.send_one_off(gate.Kind.CONFIRMATION, channel, outgoing, contact=contact, pace=True)
    except outbound.Blocked as blocked:
        logger.info("subscription confirmation for contact %s stopped: %s", contact_id, blocked.decision.reason)
        return False
    except SendError as exc:
        logger.warning("subscription confirmation for contact %s failed: %s", contact_id, exc.code)
        return False
    logger.info("subscription confirmation sent to contact %s by %s", contact_id, channel)
    return True


def _template(kind, language):
    """email/confirm_subscription.<language>.<kind> when there is one, else the English template."""
    return select_template([f"email/confirm_subscription.{language}.{kind}", f"email/confirm_subscription.{kind}"])
