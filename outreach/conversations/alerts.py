"""Staff alerts: an email telling the front desk (a reschedule request, a CANCEL that may mean the visit) or the
on-call clinician (a possible crisis) that a text needs them. Deliberately free of patient details (no name, number
or message text): it says what happened and links to the message in the admin. Sent by a task after commit
(outreach.tasks.enqueue_staff_alert); a failure to send is logged, never allowed to lose the patient's reply.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse

from outreach.models import InboundMessage

logger = logging.getLogger(__name__)

# Where staff alerts point: the message in the admin inbox (outreach.admin) when it is installed, else the admin.
ADMIN_INBOX_VIEW = "outreach_inbox:inspect"
ADMIN_HOME_PATH = "/admin/"


def admin_link(inbound_id):
    try:
        path = reverse(ADMIN_INBOX_VIEW, args=[inbound_id])
    except NoReverseMatch:
        path = ADMIN_HOME_PATH
    return f"{settings.PUBLIC_BASE_URL}{path}"


def alert_email(inbound, audience):
    """(recipient, subject, body) for a staff alert. Deliberately free of patient details."""
    received = inbound.received_at.strftime("%Y-%m-%d %H:%M UTC")
    if audience == "oncall":
        return (
            settings.OUTREACH_ONCALL_EMAIL,
            f"URGENT: possible crisis reply (inbound message {inbound.pk})",
            f"A text received at {received} suggests the sender may be in crisis (inbound message {inbound.pk}, "
            f"{'a known patient' if inbound.contact_id else 'an unknown number'}).\n\n"
            "The sender was sent the 988 Suicide & Crisis Lifeline and the clinic's phone number automatically.\n"
            "Please read the message and contact the patient now.\n\n"
            f"Open the admin: {admin_link(inbound.pk)}\n\n"
            "This email deliberately contains no patient details.",
        )
    if audience == "cancellation":
        return (
            settings.OUTREACH_STAFF_EMAIL,
            f"Possible cancellation (inbound message {inbound.pk})",
            f"A patient replied CANCEL by text at {received} (inbound message {inbound.pk}).\n"
            "By the texting rules this stops all texts to them, and it was recorded as an opt-out. It may also mean "
            "they want to cancel a visit: please contact the patient (by phone) to check.\n\n"
            f"Open the admin: {admin_link(inbound.pk)}\n\n"
            "This email deliberately contains no patient details.",
        )
    consultation = f", consultation {inbound.consultation_id}" if inbound.consultation_id else ""
    return (
        settings.OUTREACH_STAFF_EMAIL,
        f"Reschedule requested (inbound message {inbound.pk})",
        f"A patient asked by text at {received} to reschedule a visit (inbound message {inbound.pk}{consultation}).\n"
        "The visit is marked 'reschedule requested' and its pending reminders were cancelled.\n"
        "Please contact the patient to find a new time.\n\n"
        f"Open the admin: {admin_link(inbound.pk)}\n\n"
        "This email deliberately contains no patient details.",
    )


def alert_staff(inbound_id, audience):
    inbound = InboundMessage.objects.filter(pk=inbound_id).first()
    if inbound is None:
        return
    recipient, subject, body = alert_email(inbound, audience)
    if not recipient:
        logger.error("inbound %s: no address configured for the %s alert", inbound_id, audience)
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], fail_silently=False)
    except Exception:  # noqa: BLE001 - the patient's reply must still go out; the inbox still shows the message
        logger.exception("inbound %s: the %s alert email could not be sent", inbound_id, audience)
