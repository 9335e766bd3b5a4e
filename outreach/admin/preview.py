"""The campaign editor's live preview: a step's templates rendered for the sample patient, as patients get them.

Rendering goes through outreach.engine.composer (the worker's code path) with
outreach.engine.templating.SAMPLE_CONTEXT, so the preview, the segment count and the save-time validation agree.
"""

from django.core.exceptions import ValidationError

from outreach.engine.composer import compose
from outreach.engine.sensitive import find_terms
from outreach.engine.sms_segments import encoding, length_in_units, segment_count
from outreach.engine.templating import SAMPLE_CONTEXT, SMS_MAX_SEGMENTS, VARIABLES
from outreach.models import Campaign, CampaignStep, Channel, Contact, Purpose

SAMPLE_CONTACT = {"first_name": SAMPLE_CONTEXT["first_name"], "last_name": "Sample"}
STEP_TEXT_FIELDS = ("sms_body", "email_subject", "email_text", "email_html")


def sensitive_terms_in(text):
    """The terms the engine's guard would block in what a lock screen shows (the clinic's name is exempt)."""
    return sorted(find_terms(text, exempt=[SAMPLE_CONTEXT["clinic_name"]]))


def sample_contact(*, phone=None, email=None):
    """An unsaved stand-in patient: a preview or test never touches a real contact."""
    return Contact(phone=phone, email=email, **SAMPLE_CONTACT)


def step_from_data(data):
    """An unsaved step (in an unsaved campaign of the given purpose) from the editor's current field values."""
    purpose = data.get("purpose") if data.get("purpose") in Purpose.values else Purpose.CARE
    # A negative id marks the campaign as existing for validate_step's care rules without touching the database.
    campaign = Campaign(pk=-1, name="preview", purpose=purpose)
    step = CampaignStep(
        campaign=campaign,
        name=data.get("name", "") or "preview",
        send_sms=_truthy(data.get("send_sms")),
        send_email=_truthy(data.get("send_email")),
        **{field: data.get(field, "") or "" for field in STEP_TEXT_FIELDS},
    )
    return step


def _truthy(value):
    return str(value).lower() in {"1", "true", "on", "yes"}


def preview(step):
    """JSON-ready: rendered SMS with its length, segments and warnings; rendered email; template errors."""
    errors = {}
    try:
        step.clean()
    except ValidationError as exc:
        errors = {field: [str(message) for message in messages] for field, messages in exc.message_dict.items()}
    contact = sample_contact(phone="+12035550100", email="alexandra@example.com")
    sms = compose(step, contact, Channel.SMS, dict(SAMPLE_CONTEXT))
    email = compose(step, contact, Channel.EMAIL, dict(SAMPLE_CONTEXT))
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
            "sensitive_terms": sensitive_terms_in(sms.body),
        },
        "email": {
            "enabled": step.send_email,
            "subject": email.subject,
            "text": email.text,
            "html": email.html,
            "sensitive_terms": sensitive_terms_in(email.subject),
        },
        "errors": errors,
        "variables": VARIABLES,
    }
