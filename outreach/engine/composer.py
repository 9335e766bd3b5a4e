"""Composes a step's message for one contact: the template context and the provider-ready message.

Used by the worker at send time and by the admin's preview, so what staff preview is what patients get. The
context holds only the documented variables; a consultation's internal notes are never part of it.
"""

from django.conf import settings
from django.template.loader import render_to_string

from cms.clinic import get_clinic_settings, messaging_name
from outreach.consent import links
from outreach.engine.templating import render_step
from outreach.providers.base import OutgoingEmail, OutgoingSMS


def format_local(moment, zone):
    local = moment.astimezone(zone)
    hour = local.strftime("%I").lstrip("0")
    return local.strftime("%A, %B ") + str(local.day), f"{hour}:{local.strftime('%M %p')} {local.tzname()}"


def build_context(contact, consultation=None, *, clinic=None, extra=None):
    clinic = clinic or get_clinic_settings()
    context = {
        "first_name": contact.first_name,
        # What lock screens show: the neutral messaging name, never a name that reveals a treatment.
        "clinic_name": messaging_name(clinic),
        "clinic_phone": clinic.phone,
        "clinic_address": clinic.postal_address,
        "booking_url": clinic.booking_url,
        "unsubscribe_url": links.unsubscribe_url(contact) if contact.pk else "",
        "preferences_url": links.preferences_url(contact) if contact.pk else "",
        "appointment_date": "",
        "appointment_time": "",
        "appointment_location": "",
        "article_links": "",
    }
    if consultation is not None:
        date_text, time_text = format_local(consultation.starts_at, contact.zone)
        context.update(
            appointment_date=date_text, appointment_time=time_text, appointment_location=consultation.location
        )
    context.update(extra or {})
    return context


def compose(step, contact, channel, context, *, reference="", validity_seconds=None):
    rendered = render_step(step, context)
    if channel == "sms":
        return OutgoingSMS(
            to=contact.address_for("sms"),
            body=rendered.sms_body,
            # The outbox id in the callback URL lets a status report find its row even before the worker has
            # recorded Twilio's message sid (callbacks can overtake the API response).
            status_callback=f"{settings.PUBLIC_BASE_URL}/webhooks/twilio/status/?m={reference}" if reference else None,
            validity_seconds=validity_seconds,
            reference=reference,
        )
    footer = {
        "clinic_name": context["clinic_name"],
        "clinic_address": context["clinic_address"],
        "clinic_phone": context["clinic_phone"],
        "unsubscribe_url": context["unsubscribe_url"],
        "preferences_url": context["preferences_url"],
    }
    html = render_to_string(
        "email/message.html", {"body_html": rendered.email_html, "subject": rendered.email_subject, **footer}
    )
    text = render_to_string("email/message.txt", {"body_text": rendered.email_text, **footer})
    headers = {}
    if context["unsubscribe_url"]:
        # RFC 8058 one-click unsubscribe: mail clients POST to this URL without opening a page.
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return OutgoingEmail(
        to=contact.address_for("email"),
        subject=rendered.email_subject,
        text=text,
        html=html,
        headers=headers,
        reference=reference,
        tags=(step.campaign.purpose,),
        from_name=context["clinic_name"],  # the messaging name: inbox lists show the sender
    )
