"""Lock screens: what a passer-by reads on a patient's phone never names a condition or treatment.

Every text starts with the clinic's name and every email shows a subject and a sender name, so those use the
neutral messaging name (cms.clinic.messaging_name); a name that itself holds a sensitive term is never exempt from
the guard, and the admin refuses one.
"""

import io
import uuid
from email.utils import parseaddr

import pytest
from django.core.management import call_command

from cms.clinic import get_clinic_settings
from outreach.engine.composer import build_context
from outreach.engine.sensitive import find_terms
from outreach.engine.templating import render
from outreach.models import Campaign, Contact, MessageStatus, OutboundMessage
from tests.fixtures.loaders import PUBLIC_BASE_URL, TWILIO_TOKEN, post_twilio, twilio_form
from tests.outreach.factories import make_campaign, make_consultation, make_contact, set_clinic
from tests.support.engine import daytime_zone, plan_and_send

pytestmark = pytest.mark.django_db
REAL_NAME = "Ketamine Center of Connecticut"


@pytest.fixture
def clinic():
    return set_clinic(clinic_name=REAL_NAME, messaging_name="KCC Milford")


def visible(text):
    return "ketamine" not in text.lower() and not find_terms(text)


def test_reminders_show_only_the_messaging_name(clinic, twilio_settings, postmark_settings):
    make_campaign(
        steps=[{"send_email": True, "email_subject": "{{ clinic_name }}: your visit on {{ appointment_date }}"}]
    )
    make_consultation(make_contact(time_zone=daytime_zone()), in_hours=23.95)
    plan_and_send()
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    [sms] = twilio_settings.messages
    [mail] = postmark_settings.messages
    assert sms.fields["Body"].startswith("Hi ") and "KCC Milford" in sms.fields["Body"]
    assert visible(sms.fields["Body"])
    assert mail.fields["Subject"].startswith("KCC Milford") and visible(mail.fields["Subject"])
    display_name, address = parseaddr(mail.fields["From"])
    assert display_name == "KCC Milford" and visible(mail.fields["From"])


def test_keyword_and_crisis_replies_start_with_the_messaging_name(clinic, client, settings, celery_eager):
    settings.TWILIO_AUTH_TOKEN, settings.PUBLIC_BASE_URL = TWILIO_TOKEN, PUBLIC_BASE_URL
    patient = make_contact()
    make_consultation(patient, in_hours=30)
    for body in ("HELP", "C", "STOP", "I want to kill myself"):
        form = twilio_form("inbound_sms", Body=body, From=str(patient.phone), MessageSid="SM" + uuid.uuid4().hex)
        reply = post_twilio(client, "/webhooks/twilio/inbound/", form).content.decode()
        assert "<Message>KCC Milford:" in reply, body
        assert "ketamine" not in reply.lower(), body


def test_a_clinic_name_with_a_sensitive_term_is_not_exempt(clinic, twilio_settings):
    clinic.messaging_name = ""  # never set: texts fall back to the initials, not to the revealing name
    clinic.save()
    make_campaign()
    make_consultation(make_contact(time_zone=daytime_zone()), in_hours=23.95)
    plan_and_send()
    [sms] = twilio_settings.messages
    assert sms.fields["Body"].startswith("Hi ") and "KCC" in sms.fields["Body"] and visible(sms.fields["Body"])

    # A messaging name that itself names the treatment blocks the message like any other sensitive term.
    clinic.messaging_name = "Ketamine Milford"
    clinic.save()
    make_consultation(make_contact(time_zone=daytime_zone()), in_hours=23.95)
    plan_and_send()
    blocked = OutboundMessage.objects.get(contact__consultations__isnull=False, status=MessageStatus.SKIPPED)
    assert blocked.skip_reason == "sensitive term" and "'ketamine'" in blocked.error_message
    assert len(twilio_settings.messages) == 1


def settings_form(client, clinic, **fields):
    values = {
        "clinic_name": REAL_NAME,
        "messaging_name": "",
        "phone": "(203) 555-0100",
        "postal_address": "",
        "time_zone": "America/New_York",
        "booking_url": "",
        "medical_disclaimer": "",
        # The "In other languages" inline (cms.ClinicTranslation): none.
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        **fields,
    }
    return client.post(f"/admin/settings/cms/clinicsettings/{clinic.pk}/", values)


def test_the_admin_says_so_when_the_name_would_show_a_treatment(clinic, client, django_user_model, settings):
    settings.AXES_ENABLED = False
    client.force_login(django_user_model.objects.create_superuser("boss", "boss@example.com", "x" * 20))

    refused = settings_form(client, clinic, messaging_name="")
    assert refused.status_code == 200 and b"shows &#x27;ketamine&#x27;" in refused.content
    refused = settings_form(client, clinic, messaging_name="Milford Pain Relief")
    assert refused.status_code == 200 and b"&#x27;pain&#x27;" in refused.content
    clinic.refresh_from_db()
    assert clinic.messaging_name == "KCC Milford"

    assert settings_form(client, clinic, messaging_name="KCC Shelton").status_code == 302
    clinic.refresh_from_db()
    assert clinic.messaging_name == "KCC Shelton"


def test_the_seed_demo_messages_show_a_neutral_name():
    call_command("seed_demo", stdout=io.StringIO())
    clinic = get_clinic_settings()
    assert clinic.messaging_name and not find_terms(clinic.messaging_name)
    contact = Contact.objects.filter(consultations__isnull=False).first()
    context = build_context(contact, contact.consultations.first())
    for campaign in Campaign.objects.all():
        for step in campaign.steps.all():
            for template in (step.sms_body if step.send_sms else "", step.email_subject if step.send_email else ""):
                shown = render(template, context)
                assert visible(shown), (campaign.name, step.name, shown)
