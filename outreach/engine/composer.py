"""Composes a step's message for one contact: the template context and the provider-ready message.

Used by the worker at send time and by the admin's preview, so what staff preview is what patients get. The
context holds only the documented variables; a consultation's internal notes are never part of it.

Language: the context is built in the contact's language (outreach.languages.of); `compose` then takes the step's
templates in that language (the translation, per channel, else the clinic's default) and writes the visit's date
and time, and the email's footer, in the language of the template actually sent, so a message never mixes two.
"""

from django.conf import settings
from django.template.loader import render_to_string

from cms.clinic import get_clinic_settings, messaging_name
from outreach import languages
from outreach.consent import links
from outreach.engine.templating import render_step, templates_in
from outreach.providers.base import OutgoingEmail, OutgoingSMS

# The email footer's words, per language of outreach.languages.NAMES.
FOOTER_WORDS = {
    "en": {"unsubscribe": "Unsubscribe", "choose": "Choose what you receive"},
    "es": {"unsubscribe": "Darse de baja", "choose": "Elegir qué mensajes recibe"},
}


def format_local(moment, zone, language="en"):
    """(date, time) of a moment in a zone, written in a language: ("martes, 1 de diciembre", "2:30 p. m. EST")."""
    return languages.format_date(moment, zone, language), languages.format_time(moment, zone, language)


def in_language(context, language):
    """The context with the visit's date and time written in `language` (when the template sent is in another
    language than the patient's, e.g. a step not yet translated)."""
    if context.get("language") == language:
        return context
    context = {**context, "language": language}
    visit = context.get("_visit")
    if visit is not None:
        context["appointment_date"], context["appointment_time"] = format_local(*visit, language)
    return context


def build_context(contact, consultation=None, *, clinic=None, extra=None):
    clinic = clinic or get_clinic_settings()
    language = languages.of(contact, clinic)
    context = {
        # Not template variables (templates may use only VARIABLES): what compose needs to write in a language.
        "language": language,
        "_visit": None,
        "_default_language": languages.default_language(clinic),
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
        date_text, time_text = format_local(consultation.starts_at, contact.zone, language)
        context.update(
            appointment_date=date_text,
            appointment_time=time_text,
            appointment_location=consultation.location,
            _visit=(consultation.starts_at, contact.zone),
        )
    context.update(extra or {})
    return context


def compose(step, contact, channel, context, *, reference="", validity_seconds=None):
    templates = templates_in(step, context.get("language"), context.get("_default_language"))
    language = templates.sms_language if channel == "sms" else templates.email_language
    context = in_language(context, language)
    rendered = render_step(templates, context)
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
        "language": language or "en",
        "words": FOOTER_WORDS.get(language, FOOTER_WORDS["en"]),
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
