"""The patient chooses the language of their messages on the preference page (issue 20)."""

import pytest
from django.test import Client

from outreach.consent import ledger as consent
from outreach.consent import links
from outreach.models import Channel, ConsentRecord, Contact, Purpose
from tests.outreach.factories import make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient():
    return make_contact(first_name="Lucía")


def path(contact):
    return f"/preferences/{links.make_token(contact)}/"


def post(contact, **data):
    client = Client(enforce_csrf_checks=True)
    page = client.get(path(contact))
    return client.post(path(contact), data={"csrfmiddlewaretoken": page.cookies["csrftoken"].value, **data})


def test_the_page_offers_each_language_named_in_itself_with_the_current_one_chosen(client, patient):
    page = client.get(path(patient)).content.decode()
    assert 'name="language" value="en" checked' in page and 'name="language" value="es">' in page
    assert "Español" in page and "Idioma de los mensajes" in page


def test_choosing_spanish_is_saved_with_the_other_choices(patient):
    response = post(patient, language="es", sms__care="on", email__care="on")
    assert response.status_code == 302
    assert Contact.objects.get(pk=patient.pk).language == "es"
    assert consent.has_consent(patient, Channel.SMS, Purpose.CARE)
    page = Client().get(path(patient)).content.decode()
    assert 'name="language" value="es" checked' in page


def test_saving_without_a_language_keeps_the_patients(patient):
    Contact.objects.filter(pk=patient.pk).update(language="es")
    assert post(patient, sms__care="on", email__care="on").status_code == 302
    assert Contact.objects.get(pk=patient.pk).language == "es"


def test_an_unknown_language_is_refused_naming_the_field_and_nothing_is_written(patient):
    records = ConsentRecord.objects.count()
    response = post(patient, language="fr")  # everything unticked too: it must not be recorded
    assert response.status_code == 400
    assert "Language: unknown language: use one of en, es" in response.content.decode()
    assert Contact.objects.get(pk=patient.pk).language == ""
    assert ConsentRecord.objects.count() == records


def test_a_spanish_speaking_patients_pages_are_in_spanish_and_the_ledger_keeps_the_spanish_label(patient):
    Contact.objects.filter(pk=patient.pk).update(language="es")
    page = Client().get(path(patient)).content.decode()
    assert '<html lang="es">' in page and "Elija qué mensajes recibe" in page
    assert "Mensajes de texto: Recordatorios de sus visitas" in page
    post(patient, language="es", email__care="on")
    record = consent.latest(patient, Channel.SMS, Purpose.CARE)
    assert record.wording == 'Preference page: "Mensajes de texto: Recordatorios de sus visitas" unticked'
    unsubscribe = Client().get(f"/u/{links.make_token(patient)}/").content.decode()
    assert '<html lang="es">' in unsubscribe and "Darme de baja de todos los correos" in unsubscribe
    done = Client().post(f"/u/{links.make_token(patient)}/").content.decode()
    assert "Se dio de baja" in done


def test_an_english_speaking_patients_pages_stay_in_english(client, patient):
    page = client.get(path(patient)).content.decode()
    assert '<html lang="en">' in page and "Choose what you receive" in page
