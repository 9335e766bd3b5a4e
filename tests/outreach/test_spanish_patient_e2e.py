"""Issue 20, end to end: a Spanish-speaking patient sent by the booking system (API, `language: es`) gets the
seeded campaign's Spanish reminder with a Spanish date through Twilio (the local fake, over HTTP, through the real
twilio client), answers CONFIRMAR and is answered in Spanish, then texts PARAR and is opted out, in Spanish."""

import datetime
import json

import pytest
from django.utils import timezone

from outreach import languages
from outreach.consent import ledger
from outreach.demo import ensure_reminder_campaign, ensure_spanish_templates
from outreach.models import ApiToken, Channel, Consultation, Contact, MessageStatus, OutboundMessage, Purpose
from tests.fakes.twilio import build_inbound_sms
from tests.fixtures.loaders import PUBLIC_BASE_URL
from tests.outreach.factories import set_clinic
from tests.support.engine import daytime_zone, plan_and_send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
INBOUND = "/webhooks/twilio/inbound/"


@pytest.fixture(autouse=True)
def clinic(settings):
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    return set_clinic(clinic_name="Clinic of Connecticut", messaging_name="KCC Milford")


def text(client, fake, phone, body):
    """The patient's text, signed as Twilio signs it; returns the TwiML reply's messages."""
    signed = build_inbound_sms(PUBLIC_BASE_URL + INBOUND, from_=phone, body=body, auth_token=fake.auth_token)
    response = client.post(INBOUND, data=signed.params, **signed.django_headers)
    assert response.status_code == 200
    return [part.split("</Message>")[0] for part in response.content.decode().split("<Message>")[1:]]


def test_a_spanish_speaking_patient_from_the_booking_system_is_reminded_and_answered_in_spanish(
    client, twilio_settings
):
    fake = twilio_settings
    ensure_reminder_campaign()
    ensure_spanish_templates()
    zone = daytime_zone()
    starts_at = (timezone.now() + datetime.timedelta(hours=23, minutes=57)).replace(microsecond=0)
    phone = "+12035550161"

    response = client.post(
        "/api/outreach/v1/consultations/",
        json.dumps(
            {
                "external_id": "BK-ES-1",
                "first_name": "Lucía",
                "last_name": "Ejemplo",
                "phone": phone,
                "email": "",
                "timezone": zone,
                "starts_at": starts_at.isoformat(),
                "sms_consent": True,
                "email_consent": False,
                "language": "es",
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue('booking-system')[1]}",
    )
    assert response.status_code == 201, response.content
    patient = Contact.objects.get(phone=phone)
    assert patient.language == "es"

    plan_and_send()

    [sent] = fake.messages
    body = sent.fields["Body"]
    spanish_date = languages.format_date(starts_at, patient.zone, "es")
    assert sent.fields["To"] == phone
    assert body.startswith("Hola Lucía, le escribe KCC Milford: le recordamos su consulta del " + spanish_date)
    assert " de " in spanish_date and ("a. m." in body or "p. m." in body)
    assert "Responda PARAR para no recibir mensajes." in body
    row = OutboundMessage.objects.get(contact=patient, channel=Channel.SMS)
    assert row.status == MessageStatus.SENT and row.body == body

    [confirmed] = text(client, fake, phone, "CONFIRMAR")
    assert confirmed.startswith(f"KCC Milford: Gracias, su visita del {spanish_date}, ")
    assert confirmed.endswith("está confirmada. Para cambiarla responda CAMBIAR o llame al (203) 555-0100.")
    assert Consultation.objects.get(external_id="BK-ES-1").status == Consultation.Status.CONFIRMED

    [opted_out] = text(client, fake, phone, "PARAR")
    assert opted_out.startswith("KCC Milford: Se dio de baja y no recibirá más mensajes de texto")
    assert not ledger.has_consent(patient, Channel.SMS, Purpose.CARE)
    assert text(client, fake, phone, "PARAR") == []  # confirmed once
    assert len(fake.messages) == 1  # answers go in the webhook's reply, not as new messages
