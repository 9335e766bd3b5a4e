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


TEMPLATE_FIELDS = ("sms_body", "email_subject", "email_text", "email_html")


@dataclass(frozen=True)
class Templates:
    """The templates one patient gets from a step: per channel, in the language they are written in."""

    sms_body: str = ""
    email_subject: str = ""
    email_text: str = ""
    email_html: str = ""
    sms_language: str = ""
    email_language: str = ""


def _translation(step, language):
    # .all() so a prefetch, or the editor's unsaved translations (modelcluster keeps them in memory), are used.
    return next((t for t in step.translations.all() if t.language == language), None)


def templates_in(step, language, default=None):
    """What a patient whose language is `language` gets from `step`: per channel the translation's templates when
    the step has one in that language for that channel, else the step's own (the clinic's default language)."""
    from outreach.languages import default_language

    default = default or default_language()
    own = Templates(
        step.sms_body,
        step.email_subject,
        step.email_text,
        step.email_html,
        sms_language=default,
        email_language=default,
    )
    if not language or language == default:
        return own
    translation = _translation(step, language)
    if translation is None:
        return own
    has_sms = bool(translation.sms_body.strip())
    has_email = bool(translation.email_subject.strip() and translation.email_text.strip())
    return Templates(
        sms_body=translation.sms_body if has_sms else own.sms_body,
        email_subject=translation.email_subject if has_email else own.email_subject,
        email_text=translation.email_text if has_email else own.email_text,
        email_html=translation.email_html if has_email else own.email_html,
        sms_language=language if has_sms else default,
        email_language=language if has_email else default,
    )


def render_step(templates, context):
    """`templates`: a step (its own templates) or the Templates chosen for a patient (templates_in)."""
    return Rendered(
        sms_body=render(templates.sms_body, context).strip(),
        email_subject=render(templates.email_subject, context).strip(),
        email_text=render(templates.email_text, context),
        email_html=render(templates.email_html, context, escape_html=True),
    )


def template_errors(template):
    """Unknown variables and malformed placeholders in one template."""
    errors = [f"unknown variable {{{{ {name} }}}}" for name in sorted(variables_in(template) - VARIABLES.keys())]
    if STRAY_BRACES.search(PLACEHOLDER.sub("", template or "")):
        errors.append("a '{{' or '}}' that is not a complete {{ variable }}")
    return errors


# How a care text says to opt out, per language: one of these words must be in it.
OPT_OUT_HINTS = {
    "en": (("stop",), "'Reply STOP to opt out.'"),
    "es": (("parar", "stop"), "'Responda PARAR para no recibir más.'"),
}
# Sample dates in each language, for counting a text's segments as patients will get it.
SAMPLE_DATES = {
    "en": {"appointment_date": "Wednesday, September 30", "appointment_time": "10:30 AM EDT"},
    "es": {"appointment_date": "miércoles, 30 de septiembre", "appointment_time": "10:30 a. m. EDT"},
}


def template_problems(templates, *, send_sms, send_email, purpose, language, required=True):
    """{field: [messages]} for one language's templates. `required`: the step's own templates must be complete for
    its channels; a translation only for the channels it translates."""
    from outreach.languages import name as language_name

    errors = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    for field in ("sms_body", "email_subject", "email_text", "email_html"):
        for problem in template_errors(getattr(templates, field)):
            add(field, problem.capitalize() + ". Known variables: " + ", ".join(sorted(VARIABLES)) + ".")

    sms_body = templates.sms_body or ""
    if send_sms and (required or sms_body.strip()):
        if not sms_body.strip():
            add("sms_body", "An SMS step needs a message.")
        elif "sms_body" not in errors:
            sample = render(sms_body, {**SAMPLE_CONTEXT, **SAMPLE_DATES.get(language, {})})
            segments = segment_count(sample)
            if segments > SMS_MAX_SEGMENTS:
                add("sms_body", f"With sample values this text is {segments} segments; keep it to {SMS_MAX_SEGMENTS}.")
            if purpose == Purpose.CARE:
                used = variables_in(sms_body)
                missing = [name for name in ("clinic_name", "clinic_phone") if name not in used]
                if missing:
                    add(
                        "sms_body",
                        "A care text must name the clinic and give its phone: add "
                        + " and ".join(f"{{{{ {name} }}}}" for name in missing)
                        + ".",
                    )
                words, example = OPT_OUT_HINTS.get(language, OPT_OUT_HINTS["en"])
                if not any(word in sms_body.lower() for word in words):
                    if language == "en" or language not in OPT_OUT_HINTS:
                        add("sms_body", f"A care text must say how to opt out, e.g. {example}")
                    else:
                        add(
                            "sms_body",
                            f"A care text must say how to opt out in {language_name(language)}, e.g. {example}",
                        )
    has_email = any(
        (getattr(templates, field) or "").strip() for field in ("email_subject", "email_text", "email_html")
    )
    if send_email and (required or has_email):
        if not (templates.email_subject or "").strip():
            add("email_subject", "An email step needs a subject.")
        if not (templates.email_text or "").strip():
            add("email_text", "An email step needs a plain-text part.")
    return errors


def validate_step(step, purpose=None):
    """Raise ValidationError naming each field whose template is broken; called from CampaignStep.clean().

    `purpose` is the campaign's (care texts have more rules); by default the step's saved campaign's. The step's
    own templates are in the clinic's default language and are checked by that language's rules."""
    from outreach.languages import default_language

    if purpose is None and step.campaign_id:
        purpose = step.campaign.purpose
    errors = template_problems(
        step, send_sms=step.send_sms, send_email=step.send_email, purpose=purpose, language=default_language()
    )
    if not step.send_sms and not step.send_email:
        errors.setdefault("send_sms", []).append("Choose at least one channel.")
    if errors:
        raise ValidationError(errors)


def validate_translation(translation, step, purpose=None):
    """Raise ValidationError for a step's translation: the same rules as the step's own templates, in the
    translation's language, for each channel it translates."""
    from outreach.languages import codes, default_language
    from outreach.languages import name as language_name

    if purpose is None and step.campaign_id:
        purpose = step.campaign.purpose
    language = translation.language
    if language not in codes():
        raise ValidationError({"language": f"Not a language messages are sent in ({', '.join(codes())})."})
    if language == default_language():
        raise ValidationError(
            {
                "language": f"{language_name(language)} is the clinic's default language: write it in the step's "
                "own templates above."
            }
        )
    errors = template_problems(
        translation,
        send_sms=step.send_sms,
        send_email=step.send_email,
        purpose=purpose,
        language=language,
        required=False,
    )
    translated = [f for f in TEMPLATE_FIELDS if (getattr(translation, f) or "").strip()]
    if not translated:
        errors.setdefault("sms_body", []).append(
            "Empty translation: write the text message and/or the email in this language, or delete it."
        )
    if errors:
        raise ValidationError(errors)


def missing_translations(step, languages=None):
    """{language: [channels]} the step sends without a translation in that language (the patient then gets the
    clinic's default language on that channel)."""
    from outreach.languages import codes, default_language

    default = default_language()
    missing = {}
    for language in languages or codes():
        if language == default:
            continue
        templates = templates_in(step, language, default)
        channels = [
            channel
            for channel, sent, used in (
                ("SMS", step.send_sms, templates.sms_language),
                ("email", step.send_email, templates.email_language),
            )
            if sent and used != language
        ]
        if channels:
            missing[language] = channels
    return missing


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
