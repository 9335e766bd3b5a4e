"""Message templates: a small, documented set of `{{ variable }}` placeholders, validated when a step is saved.

Templates are not Django templates on purpose: staff write them in the admin, so they get substitution and
nothing else (no tags, no attribute access, no way to reach internal notes).
"""

import html
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from outreach.engine.sms_segments import segment_count
from outreach.models.choices import Purpose

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
STRAY_BRACES = re.compile(r"\{\{|\}\}")

# name -> what it holds. README documents the same list.
VARIABLES = {
    "first_name": "The patient's first name.",
    "clinic_name": "The clinic's messaging name: what lock screens and inbox lists may show (site settings).",
    "clinic_phone": "The clinic's phone number (site settings).",
    "clinic_address": "The clinic's postal address (site settings).",
    "booking_url": "The clinic's booking page (site settings).",
    "appointment_date": "The consultation's date in the patient's time zone, e.g. Friday, November 27.",
    "appointment_time": "The consultation's time in the patient's time zone, e.g. 2:30 PM EST.",
    "appointment_location": "Where the consultation takes place.",
    "unsubscribe_url": "A signed one-click unsubscribe link for this patient.",
    "preferences_url": "A signed link to this patient's message preferences.",
    "article_links": "Follow-ups only: links to the related articles (one per line in SMS and text email).",
}

SMS_MAX_SEGMENTS = 2

SAMPLE_CONTEXT = {
    "first_name": "Alexandra",
    "clinic_name": "KCC Milford",
    "clinic_phone": "(203) 555-0100",
    "clinic_address": "100 Example Street, Milford, CT 06460",
    "booking_url": "https://clinic.example/book/",
    "appointment_date": "Wednesday, September 30",
    "appointment_time": "10:30 AM EDT",
    "appointment_location": "Milford office, Suite 200",
    "unsubscribe_url": "https://clinic.example/u/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/",
    "preferences_url": "https://clinic.example/p/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/",
    "article_links": "https://clinic.example/articles/what-to-expect/?utm_source=sms",
}


@dataclass(frozen=True)
class Rendered:
    sms_body: str = ""
    email_subject: str = ""
    email_text: str = ""
    email_html: str = ""


def variables_in(template):
    return {match.group(1) for match in PLACEHOLDER.finditer(template or "")}


def render(template, context, *, escape_html=False):
    def substitute(match):
        name = match.group(1)
        if escape_html and f"{name}_html" in context:
            return str(context[f"{name}_html"])  # trusted HTML we rendered ourselves (article cards)
        value = str(context.get(name, ""))
        return html.escape(value) if escape_html else value

    return PLACEHOLDER.sub(substitute, template or "")


def render_step(step, context):
    return Rendered(
        sms_body=render(step.sms_body, context).strip(),
        email_subject=render(step.email_subject, context).strip(),
        email_text=render(step.email_text, context),
        email_html=render(step.email_html, context, escape_html=True),
    )


def template_errors(template):
    """Unknown variables and malformed placeholders in one template."""
    errors = [f"unknown variable {{{{ {name} }}}}" for name in sorted(variables_in(template) - VARIABLES.keys())]
    if STRAY_BRACES.search(PLACEHOLDER.sub("", template or "")):
        errors.append("a '{{' or '}}' that is not a complete {{ variable }}")
    return errors


def validate_step(step, purpose=None):
    """Raise ValidationError naming each field whose template is broken; called from CampaignStep.clean().

    `purpose` is the campaign's (care texts have more rules); by default the step's saved campaign's."""
    if purpose is None and step.campaign_id:
        purpose = step.campaign.purpose
    errors = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    for field in ("sms_body", "email_subject", "email_text", "email_html"):
        for problem in template_errors(getattr(step, field)):
            add(field, problem.capitalize() + ". Known variables: " + ", ".join(sorted(VARIABLES)) + ".")

    if step.send_sms:
        if not step.sms_body.strip():
            add("sms_body", "An SMS step needs a message.")
        elif "sms_body" not in errors:
            sample = render(step.sms_body, SAMPLE_CONTEXT)
            segments = segment_count(sample)
            if segments > SMS_MAX_SEGMENTS:
                add("sms_body", f"With sample values this text is {segments} segments; keep it to {SMS_MAX_SEGMENTS}.")
            if purpose == Purpose.CARE:
                used = variables_in(step.sms_body)
                missing = [name for name in ("clinic_name", "clinic_phone") if name not in used]
                if missing:
                    add(
                        "sms_body",
                        "A care text must name the clinic and give its phone: add "
                        + " and ".join(f"{{{{ {name} }}}}" for name in missing)
                        + ".",
                    )
                if "stop" not in step.sms_body.lower():
                    add("sms_body", "A care text must say how to opt out, e.g. 'Reply STOP to opt out.'")
    if step.send_email:
        if not step.email_subject.strip():
            add("email_subject", "An email step needs a subject.")
        if not step.email_text.strip():
            add("email_text", "An email step needs a plain-text part.")
    if not step.send_sms and not step.send_email:
        add("send_sms", "Choose at least one channel.")
    if errors:
        raise ValidationError(errors)


def sensitive_warnings(step, clinic_name=None):
    """Sensitive terms an SMS body or email subject would show on a lock screen (warnings for the admin form; at
    send time such a message is blocked)."""
    from outreach.engine.sensitive import find_terms

    exempt = [clinic_name or SAMPLE_CONTEXT["clinic_name"]]
    warnings = []
    for field, text in (
        ("sms_body", step.sms_body if step.send_sms else ""),
        ("email_subject", step.email_subject if step.send_email else ""),
    ):
        found = find_terms(render(text, SAMPLE_CONTEXT), exempt=exempt)
        if found:
            warnings.append(
                (
                    field,
                    "Would show "
                    + ", ".join(repr(term) for term in found)
                    + " on a lock screen; such messages are blocked when sent.",
                )
            )
    return warnings
