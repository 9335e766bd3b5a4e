"""The subscribe form of a Spanish page: its confirmation is in Spanish, and a new subscriber's messages too
(issue 20). The form never changes an existing contact's language."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from outreach.followups import confirmations
from outreach.models import Contact
from tests.cms.factories import make_topic
from tests.outreach.factories import make_contact

pytestmark = pytest.mark.django_db
URL = "/api/outreach/v1/subscriptions/"
WORDING = "Sí, envíenme artículos ocasionales sobre los temas que elegí."


@pytest.fixture(autouse=True)
def topic():
    cache.clear()
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "KCC Milford"
    clinic.phone = "(203) 555-0100"
    clinic.save()
    return make_topic("ptsd")


def subscribe(**body):
    payload = {"topics": ["ptsd"], "consent_wording": WORDING, **body}
    return APIClient().post(URL, payload, format="json")


def test_a_new_subscriber_from_a_spanish_page_gets_spanish(postmark_settings, twilio_settings):
    assert subscribe(email="lector@example.com", phone="+12035550163", language="es").status_code == 202
    reader = Contact.objects.get(email="lector@example.com")
    assert reader.language == "es" and Contact.objects.get(phone="+12035550163").language == "es"
    assert confirmations.send(reader.pk, "email", "es")
    [email] = postmark_settings.messages
    assert email.fields["Subject"] == "Confirme su suscripción a KCC Milford"
    assert "Alguien (esperamos que usted) pidió" in email.fields["TextBody"]
    assert "Confirmar mi suscripción" in email.fields["HtmlBody"]
    texter = Contact.objects.get(phone="+12035550163")
    assert confirmations.send(texter.pk, "sms", "es")
    [text] = twilio_settings.messages
    assert text.fields["Body"].startswith("KCC Milford: responda SI para confirmar")


def test_the_form_never_changes_a_known_contacts_language_but_writes_the_confirmation_in_the_pages(
    postmark_settings,
):
    patient = make_contact(email="patient@example.com", language="en")
    assert subscribe(email="patient@example.com", language="es").status_code == 202
    assert Contact.objects.get(pk=patient.pk).language == "en"
    assert confirmations.send(patient.pk, "email", "es")
    assert postmark_settings.messages[0].fields["Subject"].startswith("Confirme su suscripción")


def test_an_unknown_language_is_a_field_error_and_writes_nothing():
    response = subscribe(email="lector@example.com", language="fr")
    assert response.status_code == 400
    assert response.json() == {"errors": {"language": ["unknown language: use one of en, es (or leave it blank)"]}}
    assert not Contact.objects.exists()


def test_without_a_language_the_confirmation_is_in_the_clinics_default(postmark_settings):
    subscribe(email="reader@example.com")
    reader = Contact.objects.get()
    assert reader.language == ""
    assert confirmations.send(reader.pk, "email")
    assert postmark_settings.messages[0].fields["Subject"] == "Please confirm your subscription to KCC Milford"
