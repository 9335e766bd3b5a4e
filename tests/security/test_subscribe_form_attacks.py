"""The public subscribe form, attacked as an outsider would: through HTTP, with a patient's addresses.

The identity rule (outreach/consent/identity.py): the form never adds an address to an existing contact, never
reveals whether an address belongs to a patient, and an address from the form never acts on visits until the booking
system links it. Confirmations echo nothing typed; texts go only to allowed countries, under an hourly ceiling.
"""

import json
import logging
import threading
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings

from outreach.consent.ledger import has_consent
from outreach.models import ApiToken, Channel, ConsentRecord, Consultation, Contact, InboundMessage, Purpose
from tests.cms.factories import make_topic
from tests.fixtures.loaders import PUBLIC_BASE_URL, TWILIO_TOKEN, post_twilio, twilio_form
from tests.outreach.factories import fictional_phone, make_consultation, make_contact

URL = "/api/outreach/v1/subscriptions/"
WORDING = "Yes, send me occasional articles about the topics I chose."
OUTSIDER_PHONE = "+12035550177"
OUTSIDER_EMAIL = "outsider@example.com"


@pytest.fixture(autouse=True)
def setup(settings):
    cache.clear()
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.OUTREACH_SUBSCRIBE_PER_IP_HOUR = 1000
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name, clinic.phone = "Test Clinic", "(203) 555-0100"
    clinic.save()
    yield
    cache.clear()


def subscribe(client, **fields):
    body = {"topics": ["ptsd"], "consent_wording": WORDING, **fields}
    return client.post(URL, json.dumps(body), content_type="application/json")


def text(client, body, sender):
    sid = "SM" + uuid.uuid4().hex
    response = post_twilio(
        client, "/webhooks/twilio/inbound/", twilio_form("inbound_sms", Body=body, From=sender, MessageSid=sid)
    )
    assert response.status_code == 200
    return response.content.decode(), InboundMessage.objects.get(provider_message_id=sid)


@pytest.mark.django_db
@pytest.mark.usefixtures("celery_eager")
def test_a_patients_email_with_an_outsiders_phone_gives_the_outsider_nothing(client):
    make_topic("ptsd")
    patient = make_contact(first_name="Avery")
    visit = make_consultation(patient, in_hours=30)

    response = subscribe(client, email=patient.email, phone=OUTSIDER_PHONE)
    assert response.status_code == 202

    patient.refresh_from_db()
    assert str(patient.phone) != OUTSIDER_PHONE  # never attached to the patient
    outsider = Contact.objects.get(phone=OUTSIDER_PHONE)
    assert (outsider.origin, outsider.email, outsider.first_name) == ("subscribe_form", None, "")
    assert not outsider.consultations.exists()

    # The outsider texts the visit keywords and START from their phone: nothing about the patient moves or shows.
    for keyword in ("C", "R", "START", "CONFIRM", "RESCHEDULE"):
        reply, inbound = text(client, keyword, OUTSIDER_PHONE)
        assert "<Message>" not in reply, keyword
        assert inbound.contact_id == outsider.pk and inbound.consultation_id is None
    visit.refresh_from_db()
    assert visit.status == Consultation.Status.SCHEDULED
    assert not has_consent(outsider, Channel.SMS, Purpose.CARE)


@pytest.mark.django_db
def test_a_patients_phone_with_an_outsiders_email_mails_the_outsider_nothing_about_the_patient(
    client, postmark_settings, django_capture_on_commit_callbacks, celery_eager
):
    make_topic("ptsd")
    patient = make_contact(first_name="Zebulon", last_name="Quartermaine", email=False)

    with django_capture_on_commit_callbacks(execute=True):
        about_patient = subscribe(client, phone=str(patient.phone), email=OUTSIDER_EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        about_nobody = subscribe(client, phone=fictional_phone(3999), email="someone-else@example.com")

    # Same answer whether the phone is a patient's or nobody's.
    assert (about_patient.status_code, about_patient.json()) == (about_nobody.status_code, about_nobody.json())
    patient.refresh_from_db()
    assert patient.email is None  # the outsider's email was not added to the patient
    mails = [m for m in postmark_settings.messages if m.fields["To"] == OUTSIDER_EMAIL]
    assert len(mails) == 1
    raw = json.dumps(mails[0].fields)
    assert "Zebulon" not in raw and "Quartermaine" not in raw and str(patient.phone)[-4:] not in raw
    other = next(m for m in postmark_settings.messages if m.fields["To"] == "someone-else@example.com")

    def strip_link(fields):
        return {key: fields.get(key, "").split("/subscriptions/confirm/")[0] for key in ("Subject", "TextBody")}

    assert strip_link(mails[0].fields) == strip_link(other.fields)  # identical wording for both


@pytest.mark.django_db
def test_confirmations_echo_nothing_typed_into_the_form(
    client, postmark_settings, twilio_settings, django_capture_on_commit_callbacks, celery_eager
):
    make_topic("ptsd")
    bait = "Your account is locked: visit https://evil.example/login now"
    with django_capture_on_commit_callbacks(execute=True):
        response = subscribe(
            client, email="reader@example.com", phone=fictional_phone(3998), first_name=bait, consent_wording=bait
        )
    assert response.status_code == 202
    [mail] = postmark_settings.messages
    [sms] = twilio_settings.messages
    sms_body = sms.fields["Body"]
    for sent in (json.dumps(mail.fields), sms_body):
        assert "evil.example" not in sent and "locked" not in sent
    assert not Contact.objects.filter(first_name__contains="evil").exists()


@pytest.mark.django_db
def test_a_number_outside_the_allowed_countries_is_refused_up_front(client, twilio_settings):
    make_topic("ptsd")
    # A UK number from Ofcom's drama range, and a premium-rate style international number.
    for phone in ("+447700900123", "+88213000000"):
        response = subscribe(client, phone=phone)
        assert response.status_code == 400, phone
        assert "phone" in response.json()["errors"], phone
    assert not Contact.objects.exists() and not ConsentRecord.objects.exists()
    assert twilio_settings.messages == []


@pytest.mark.django_db
@override_settings(OUTREACH_CONFIRMATION_SMS_PER_HOUR=2)
def test_confirmation_texts_stop_at_the_hourly_ceiling(
    client, twilio_settings, django_capture_on_commit_callbacks, celery_eager, caplog
):
    make_topic("ptsd")
    numbers = [fictional_phone(3900 + n) for n in range(4)]
    for number in numbers:
        with django_capture_on_commit_callbacks(execute=True):
            assert subscribe(client, phone=number).status_code == 202  # the form answers the same all along
    assert len(twilio_settings.messages) == 2
    assert "hourly ceiling" in caplog.text
    assert not any(number in caplog.text for number in numbers)


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_form_is_two_202s_and_logs_no_address(caplog):
    make_topic("ptsd")
    caplog.set_level(logging.DEBUG)
    for round_ in range(6):
        email, phone = f"double{round_}@example.com", fictional_phone(3800 + round_)
        barrier = threading.Barrier(2)
        codes = []

        def post(email=email, phone=phone, barrier=barrier, codes=codes):
            barrier.wait()
            try:
                codes.append(subscribe(Client(), email=email, phone=phone).status_code)
            finally:
                connection.close()  # this thread's own connection, or the test database cannot be dropped

        threads = [threading.Thread(target=post) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert codes == [202, 202], round_
        assert Contact.objects.filter(email=email).count() == 1
        assert Contact.objects.filter(phone=phone).count() == 1
        logged = caplog.text + "".join(str(record.exc_info) for record in caplog.records if record.exc_info)
        assert email not in logged and phone not in logged and phone[2:] not in logged


# -- Intake afterwards: the booking system sends a patient whose address was first seen on the form ----------------


def booking(client, **fields):
    raw = ApiToken.issue("booking-system")[1]
    body = {
        "external_id": f"BK-{uuid.uuid4().hex[:8]}",
        "first_name": "Robin",
        "last_name": "Example",
        "timezone": "America/New_York",
        "starts_at": "2030-12-01T14:30:00-05:00",
        "sms_consent": True,
        "email_consent": True,
        **fields,
    }
    response = client.post(
        "/api/outreach/v1/consultations/",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code in (200, 201), response.content
    return Consultation.objects.get(external_id=body["external_id"]).contact


@pytest.mark.django_db
@pytest.mark.usefixtures("celery_eager")
def test_an_outsiders_phone_typed_with_a_future_patients_email_never_becomes_the_patients_channel(client):
    make_topic("ptsd")
    victim_email, victim_phone = "robin@example.com", fictional_phone(3700)
    subscribe(client, email=victim_email, phone=OUTSIDER_PHONE)
    text(client, "YES", OUTSIDER_PHONE)  # the outsider confirms the text subscription on their own phone

    # The booking system later sends the victim with only the email: the outsider's phone must not come along.
    patient = booking(client, email=victim_email, phone="")
    assert patient.phone is None and patient.is_patient
    assert Contact.objects.get(phone=OUTSIDER_PHONE).pk != patient.pk
    assert not has_consent(patient, Channel.SMS, Purpose.EDUCATION)

    # And with the victim's own phone: the outsider's confirmation does not carry over to it.
    patient = booking(client, email=victim_email, phone=victim_phone)
    assert str(patient.phone) == victim_phone
    assert not has_consent(patient, Channel.SMS, Purpose.EDUCATION)
    assert Contact.objects.get(phone=OUTSIDER_PHONE).origin == "subscribe_form"


@pytest.mark.django_db
@pytest.mark.usefixtures("celery_eager")
def test_a_subscribers_own_address_is_linked_with_its_history_when_the_booking_system_sends_it(client):
    make_topic("ptsd")
    phone, email = fictional_phone(3701), "reader@example.com"
    subscribe(client, phone=phone, email=email)
    text(client, "YES", phone)
    text(client, "STOP", phone)  # an opt-out sticks, whoever the number turns out to be

    patient = booking(client, phone=phone, email=email)
    assert Contact.objects.count() == 1 and patient.is_patient
    assert set(patient.subscriptions.values_list("topic__slug", flat=True)) == {"ptsd"}
    assert not has_consent(patient, Channel.SMS, Purpose.CARE)  # the booking system's "yes" does not lift STOP
    assert InboundMessage.objects.filter(contact=patient).count() == 2
    reply, inbound = text(client, "C", phone)  # now a patient: their own visit keywords work
    assert Consultation.objects.get(contact=patient).status == Consultation.Status.CONFIRMED
    # ... but the number opted out of texts: no answer is texted (issue 14 §1), and the text stays open for staff.
    assert "<Message>" not in reply and inbound.handled_at is None
