"""The campaign editor's live preview and test sends: a step's templates rendered as patients get them.

Rendering goes through outreach.engine.composer (the worker's code path). The context is the clinic's real settings
(name, phone, address, booking page: Settings > Clinic), a sample patient and visit, and links in the very form
messages carry: the neutral `/r/` link SMS uses for articles (never a slug that names a condition), titled links
and cards for email, and `/u/` and `/preferences/` links, all on PUBLIC_BASE_URL. So what staff preview, and what a
test sends, has the length and look of the real message.
"""

from types import SimpleNamespace

from django.core.exceptions import ValidationError

from cms.clinic import get_clinic_settings
from outreach.consent import links
from outreach.engine.composer import build_context, compose
from outreach.engine.sensitive import find_terms
from outreach.engine.sms_segments import encoding, length_in_units, segment_count
from outreach.engine.templating import SAMPLE_CONTEXT, SMS_MAX_SEGMENTS, VARIABLES, variables_in
from outreach.followups.articles import article_context, live_articles
from outreach.models import Campaign, CampaignStep, Channel, Contact, Purpose

SAMPLE_CONTACT = {"first_name": SAMPLE_CONTEXT["first_name"], "last_name": "Sample"}
SAMPLE_PHONE, SAMPLE_EMAIL = "+12035550100", "alexandra@example.com"
STEP_TEXT_FIELDS = ("sms_body", "email_subject", "email_text", "email_html")
# Template variables filled from Settings > Clinic -> what that screen calls the setting.
CLINIC_VARIABLES = {
    "clinic_name": "messaging name or clinic name",
    "clinic_phone": "phone",
    "clinic_address": "postal address",
    "booking_url": "booking URL",
}
NO_ARTICLE_YET = "[links to the articles picked for the patient: no article is live yet]"
# Patient and visit details of the sample; everything else comes from the clinic or is a link.
SAMPLE_VISIT = {
    name: SAMPLE_CONTEXT[name]
    for name in ("first_name", "appointment_date", "appointment_time", "appointment_location")
}
# Links are signed for a contact that does not exist: the right length and form, and they open nobody's page.
NOBODY = SimpleNamespace(pk=0, link_version=1)


def sensitive_terms_in(text, clinic_name):
    """The terms the engine's guard would block in what a lock screen shows (the clinic's name is exempt)."""
    return sorted(find_terms(text, exempt=[clinic_name or SAMPLE_CONTEXT["clinic_name"]]))


def sample_contact(*, phone=None, email=None):
    """An unsaved stand-in patient: a preview or test never touches a real contact."""
    return Contact(phone=phone, email=email, **SAMPLE_CONTACT)


def sample_context(step, channel, clinic=None):
    """The worker's context (outreach.engine.composer.build_context) for the sample patient and visit, with this
    clinic's settings, real-form links and the articles the step would carry."""
    return build_context(
        sample_contact(),
        clinic=clinic or get_clinic_settings(),
        extra={
            **SAMPLE_VISIT,
            "unsubscribe_url": links.unsubscribe_url(NOBODY),
            "preferences_url": links.preferences_url(NOBODY),
            **sample_articles(step.campaign, channel),
        },
    )


def sample_articles(campaign, channel):
    """`article_links` as a follow-up renders it, with the newest live article (SMS: its neutral link either way)."""
    article = live_articles().order_by("-last_published_at").first()
    if article is None and channel == Channel.EMAIL:
        return {"article_links": NO_ARTICLE_YET}
    if not (campaign.pk and campaign.pk > 0):
        campaign = SimpleNamespace(pk=0, name=campaign.name)
    return article_context([article or SimpleNamespace(pk=0)], campaign, channel)


def step_from_data(data, campaign=None):
    """An unsaved step from the editor's current field values, in the given campaign (unsaved: a negative id marks
    it as existing for validate_step's care rules without touching the database) of the form's purpose."""
    purpose = data.get("purpose") if data.get("purpose") in Purpose.values else Purpose.CARE
    if campaign is None:
        campaign = Campaign(pk=-1, name=data.get("campaign_name") or "preview", purpose=purpose)
    else:
        campaign.purpose = purpose  # the form's, saved or not
    return CampaignStep(
        campaign=campaign,
        name=data.get("name", "") or "preview",
        send_sms=_truthy(data.get("send_sms")),
        send_email=_truthy(data.get("send_email")),
        **{field: data.get(field, "") or "" for field in STEP_TEXT_FIELDS},
    )


def _truthy(value):
    return str(value).lower() in {"1", "true", "on", "yes"}


def render_for(step, channel, *, to=None, reference="", clinic=None):
    """The provider-ready message of `step` on `channel` for the sample patient (at `to`, when sending a test)."""
    contact = sample_contact(
        phone=to or SAMPLE_PHONE if channel == Channel.SMS else None,
        email=to or SAMPLE_EMAIL if channel == Channel.EMAIL else None,
    )
    return compose(step, contact, channel, sample_context(step, channel, clinic), reference=reference)


def missing_clinic_settings(step, clinic):
    """Clinic variables the templates use that would render as nothing (Settings > Clinic leaves them empty)."""
    used = set().union(*(variables_in(getattr(step, field)) for field in STEP_TEXT_FIELDS))
    context = build_context(sample_contact(), clinic=clinic)
    return [
        f"{{{{ {name} }}}} is empty: set the clinic's {label} in Settings > Clinic."
        for name, label in CLINIC_VARIABLES.items()
        if name in used and not context[name]
    ]


def preview(step):
    """JSON-ready: rendered SMS with its length, segments and warnings; rendered email; template errors."""
    errors = {}
    try:
        step.clean()
    except ValidationError as exc:
        errors = {field: [str(message) for message in messages] for field, messages in exc.message_dict.items()}
    clinic = get_clinic_settings()
    sms = render_for(step, Channel.SMS, clinic=clinic)
    email = render_for(step, Channel.EMAIL, clinic=clinic)
    segments = segment_count(sms.body) if sms.body else 0
    return {
        "sms": {
            "enabled": step.send_sms,
            "body": sms.body,
            "characters": len(sms.body),
            "units": length_in_units(sms.body),
            "encoding": encoding(sms.body),
            "segments": segments,
            "max_segments": SMS_MAX_SEGMENTS,
            "sensitive_terms": sensitive_terms_in(sms.body, clinic.clinic_name),
        },
        "email": {
            "enabled": step.send_email,
            "subject": email.subject,
            "text": email.text,
            "html": email.html,
            "sensitive_terms": sensitive_terms_in(email.subject, clinic.clinic_name),
        },
        "errors": errors,
        "warnings": missing_clinic_settings(step, clinic),
        "variables": VARIABLES,
    }
