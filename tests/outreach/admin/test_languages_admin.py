"""Languages in the admin: a contact's language shown and edited, step translations in the campaign editor
(validated in their own language), and the campaign list naming the steps that lack a translation (issue 20)."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from outreach.models import Campaign, Contact, StepTranslation
from tests.outreach.campaign_forms import edit_form_data, step_fields, translation_forms
from tests.outreach.factories import make_campaign, make_contact

pytestmark = pytest.mark.django_db

ES_SMS = (
    "{{ clinic_name }}: su visita es el {{ appointment_date }}, {{ appointment_time }}. Tel {{ clinic_phone }}. "
    "Responda PARAR para no recibir mensajes."
)


def test_the_contact_page_shows_the_language_and_staff_can_change_it(admin_user_client):
    contact = make_contact(first_name="Lucía")
    page = admin_user_client.get(reverse("outreach_contacts:inspect", args=[contact.pk])).content.decode()
    assert 'data-language="en"' in page and "Default (English)" in page
    url = reverse("outreach_contacts:language", args=[contact.pk])
    assert url in page
    form = admin_user_client.get(url).content.decode()
    assert "The clinic&#x27;s default (English)" in form and '<option value="es">Español</option>' in form
    response = admin_user_client.post(url, {"language": "es"})
    assert response.status_code == 302
    assert Contact.objects.get(pk=contact.pk).language == "es"
    entry = ModelLogEntry.objects.get(action="outreach.contact.language", object_id=str(contact.pk))
    assert entry.data == {"previous": "", "language": "es"}
    listing = admin_user_client.get(reverse("outreach_contacts:index")).content.decode()
    assert "Español" in listing


def test_an_unknown_language_is_a_field_error_and_changes_nothing(admin_user_client):
    contact = make_contact()
    response = admin_user_client.post(reverse("outreach_contacts:language", args=[contact.pk]), {"language": "fr"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Contact.objects.get(pk=contact.pk).language == ""


def test_staff_who_cannot_record_consent_cannot_change_the_language(client, users):
    contact = make_contact()
    client.force_login(users["marketing_editor"])
    response = client.post(reverse("outreach_contacts:language", args=[contact.pk]), {"language": "es"})
    assert response.status_code in (302, 403)
    assert Contact.objects.get(pk=contact.pk).language == ""


def edit(client, campaign, translations):
    step = campaign.steps.get()
    fields = {**step_fields(step), **translation_forms(translations)}
    return client.post(reverse("outreach_campaigns:edit", args=[campaign.pk]), edit_form_data(campaign, [fields]))


def test_a_step_translation_is_added_in_the_campaign_editor(admin_user_client):
    campaign = make_campaign()
    response = edit(admin_user_client, campaign, [{"language": "es", "sms_body": ES_SMS}])
    assert response.status_code == 302, response.content.decode()[:3000]
    translation = StepTranslation.objects.get(step__campaign=campaign)
    assert (translation.language, translation.sms_body) == ("es", ES_SMS)


def test_a_spanish_care_text_without_a_spanish_opt_out_is_refused_on_its_field(admin_user_client):
    campaign = make_campaign()
    response = edit(admin_user_client, campaign, [{"language": "es", "sms_body": ES_SMS.replace("PARAR", "NADA")}])
    assert response.status_code == 200
    assert "A care text must say how to opt out in Español" in response.content.decode()
    assert not StepTranslation.objects.exists()


def test_two_translations_in_one_language_are_refused(admin_user_client):
    campaign = make_campaign()
    response = edit(
        admin_user_client, campaign, [{"language": "es", "sms_body": ES_SMS}, {"language": "es", "sms_body": ES_SMS}]
    )
    assert response.status_code == 200
    assert "Please correct the duplicate data for step and language" in response.content.decode()
    assert not StepTranslation.objects.exists()


def test_the_campaign_list_names_the_steps_that_lack_a_translation(admin_user_client):
    campaign = make_campaign(name="Reminders A", steps=[{"name": "24 hours before"}, {"name": "2 hours before"}])
    first = campaign.steps.get(name="24 hours before")
    StepTranslation.objects.create(step=first, language="es", sms_body=ES_SMS)
    make_campaign(name="Reminders B", steps=[{"name": "only step"}])
    StepTranslation.objects.create(
        step=Campaign.objects.get(name="Reminders B").steps.get(), language="es", sms_body=ES_SMS
    )
    page = admin_user_client.get(reverse("outreach_campaigns:index")).content.decode()
    assert "Missing translations" in page
    assert "Español: 2 hours before (SMS)" in page
    assert "24 hours before (SMS)" not in page
