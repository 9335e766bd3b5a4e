"""A step's templates per language: chosen for each patient at send time, validated in their own language, and
falling back to the clinic's default language per channel; the visit's date in the language of the template sent."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from outreach.engine.composer import build_context, compose
from outreach.engine.sensitive import find_terms
from outreach.engine.templating import missing_translations, templates_in, validate_translation
from outreach.models import CampaignStep, MessageStatus, OutboundMessage, Purpose, StepTranslation
from tests.outreach.factories import make_campaign, make_consultation, make_contact, set_clinic
from tests.support.engine import daytime_zone, plan_and_send

pytestmark = pytest.mark.django_db

ES_SMS = (
    "Hola {{ first_name }}, le escribe {{ clinic_name }}: su visita es el {{ appointment_date }}, "
    "{{ appointment_time }}. Responda C para confirmar. Tel {{ clinic_phone }}. "
    "Responda PARAR para no recibir mensajes."
)
ES_EMAIL = {
    "email_subject": "Su visita del {{ appointment_date }}",
    "email_text": "Hola {{ first_name }}, le esperamos el {{ appointment_date }}, {{ appointment_time }}.",
    "email_html": "<p>Hola {{ first_name }}, le esperamos el {{ appointment_date }}.</p>",
}


@pytest.fixture(autouse=True)
def clinic():
    return set_clinic()


def care_step(**translation):
    campaign = make_campaign(steps=[{"send_sms": True, "send_email": True}])
    step = campaign.steps.get()
    if translation:
        StepTranslation.objects.create(step=step, language="es", **translation)
    return step


def visit_for(language, zone="America/New_York"):
    contact = make_contact(language=language, time_zone=zone)
    # Tuesday 1 December 2026, 2:30 PM in New York.
    starts_at = datetime.datetime(2026, 12, 1, 19, 30, tzinfo=datetime.UTC)
    return contact, make_consultation(contact, starts_at=starts_at)


def composed(step, contact, consultation, channel):
    return compose(step, contact, channel, build_context(contact, consultation))


def test_a_spanish_patient_gets_the_spanish_text_with_a_spanish_date():
    step = care_step(sms_body=ES_SMS, **ES_EMAIL)
    contact, consultation = visit_for("es")
    sms = composed(step, contact, consultation, "sms")
    assert sms.body.startswith(
        f"Hola {contact.first_name}, le escribe Test Clinic: su visita es el martes, 1 de diciembre"
    )
    assert "2:30 p. m. EST" in sms.body and "PARAR" in sms.body
    email = composed(step, contact, consultation, "email")
    assert email.subject == "Su visita del martes, 1 de diciembre"
    assert 'lang="es"' in email.html and "Darse de baja" in email.html and "Darse de baja:" in email.text


def test_an_english_patient_of_the_same_step_gets_english():
    step = care_step(sms_body=ES_SMS, **ES_EMAIL)
    contact, consultation = visit_for("")
    sms = composed(step, contact, consultation, "sms")
    assert "on Tuesday, December 1 at 2:30 PM EST" in sms.body
    email = composed(step, contact, consultation, "email")
    assert email.subject == "Your visit on Tuesday, December 1" and "Unsubscribe" in email.html


def test_a_channel_without_translation_falls_back_to_the_default_language_whole_date_included():
    """The translation has only the text: the Spanish patient's email is the English one, with an English date and
    footer, never a Spanish date inside English words."""
    step = care_step(sms_body=ES_SMS)
    contact, consultation = visit_for("es")
    assert "martes, 1 de diciembre" in composed(step, contact, consultation, "sms").body
    email = composed(step, contact, consultation, "email")
    assert email.subject == "Your visit on Tuesday, December 1"
    assert "see you on Tuesday, December 1 at 2:30 PM EST" in email.text
    assert 'lang="en"' in email.html and "Unsubscribe" in email.html


def test_a_step_without_any_translation_sends_the_default_language_to_everyone():
    step = care_step()
    contact, consultation = visit_for("es")
    assert "Tuesday, December 1" in composed(step, contact, consultation, "sms").body
    templates = templates_in(step, "es")
    assert templates.sms_language == templates.email_language == "en"


def test_when_spanish_is_the_clinics_default_the_steps_own_templates_are_spanish(clinic):
    """The step's own fields are in the clinic's default language: with Spanish as default they are sent to
    patients without a language, dates in Spanish."""
    clinic.default_language = "es"
    clinic.save()
    campaign = make_campaign(steps=[{"sms_body": ES_SMS}])
    contact, consultation = visit_for("")
    body = composed(campaign.steps.get(), contact, consultation, "sms").body
    assert "martes, 1 de diciembre, 2:30 p. m. EST" in body


def test_the_worker_sends_each_patient_their_language():
    step = care_step(sms_body=ES_SMS)
    zone = daytime_zone()
    spanish = make_contact(language="es", time_zone=zone)
    english = make_contact(time_zone=zone)
    for contact in (spanish, english):
        make_consultation(contact, in_hours=23.95)
    plan_and_send()
    sent = {row.contact_id: row for row in OutboundMessage.objects.filter(step=step, channel="sms")}
    assert sent[spanish.pk].status == MessageStatus.SENT and "PARAR" in sent[spanish.pk].body
    assert sent[english.pk].status == MessageStatus.SENT and "Reply STOP" in sent[english.pk].body


# -- Validation ------------------------------------------------------------------------------------------------------


def translation_errors(step, purpose=Purpose.CARE, **fields):
    translation = StepTranslation(step=step, language=fields.pop("language", "es"), **fields)
    try:
        validate_translation(translation, step, purpose)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def test_a_valid_spanish_translation_passes():
    assert translation_errors(care_step(), sms_body=ES_SMS, **ES_EMAIL) == {}


def test_a_spanish_care_text_must_say_how_to_opt_out_in_spanish():
    step = care_step()
    english_opt_out = ES_SMS.replace("Responda PARAR para no recibir mensajes.", "Reply with the word to opt out.")
    errors = translation_errors(step, sms_body=english_opt_out)
    assert errors == {
        "sms_body": ["A care text must say how to opt out in Español, e.g. 'Responda PARAR para no recibir más.'"]
    }
    # STOP is a keyword carriers honour in every language: "Responda STOP" says it too.
    assert translation_errors(step, sms_body=ES_SMS.replace("PARAR", "STOP")) == {}


def test_a_spanish_care_text_must_name_the_clinic_and_give_its_phone():
    errors = translation_errors(care_step(), sms_body=ES_SMS.replace("{{ clinic_phone }}", "la clinica"))
    assert errors["sms_body"] == ["A care text must name the clinic and give its phone: add {{ clinic_phone }}."]


def test_an_education_translation_has_no_care_rules_but_the_same_template_rules():
    step = care_step()
    assert translation_errors(step, Purpose.EDUCATION, sms_body="Hola {{ first_name }}") == {}
    errors = translation_errors(step, Purpose.EDUCATION, sms_body="Hola {{ nombre }}")
    assert errors["sms_body"][0].startswith("Unknown variable {{ nombre }}")


def test_a_translated_email_needs_its_subject_and_text():
    errors = translation_errors(care_step(), email_html="<p>Hola</p>")
    assert errors == {
        "email_subject": ["An email step needs a subject."],
        "email_text": ["An email step needs a plain-text part."],
    }


def test_an_empty_translation_or_one_in_the_default_language_is_refused():
    step = care_step()
    assert "Empty translation" in translation_errors(step)["sms_body"][0]
    assert translation_errors(step, language="en", sms_body=ES_SMS) == {
        "language": ["English is the clinic's default language: write it in the step's own templates above."]
    }
    assert "Not a language" in translation_errors(step, language="fr", sms_body=ES_SMS)["language"][0]


def test_a_spanish_text_is_measured_with_a_spanish_sample_date():
    """The sample date is "miércoles, 30 de septiembre": a text that fits with it fits on most days."""
    errors = translation_errors(care_step(), sms_body=ES_SMS + " Gracias." * 16)
    assert errors["sms_body"][0].startswith("With sample values this text is 3 segments")
    assert translation_errors(care_step(), sms_body=ES_SMS + " Gracias." * 12) == {}


def test_missing_translations_name_the_language_and_channels():
    step = care_step()
    assert missing_translations(step) == {"es": ["SMS", "email"]}
    StepTranslation.objects.create(step=step, language="es", sms_body=ES_SMS)
    step = CampaignStep.objects.get(pk=step.pk)
    assert missing_translations(step) == {"es": ["email"]}
    assert step.campaign.missing_translations_label == "Español: step 0 (email)"
    StepTranslation.objects.filter(step=step).update(**ES_EMAIL)
    assert missing_translations(CampaignStep.objects.get(pk=step.pk)) == {}
    assert step.campaign.missing_translations_label == "—"


# -- Sensitive terms in Spanish -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Su cita sobre el cáncer", ["cancer"]),  # named as the list first writes it
        ("Su cita sobre el CANCER", ["cancer"]),
        ("Control del dolor mañana", ["dolor"]),
        ("Grupo de DEPRESION", ["depresión"]),
        ("infusión de ketamina", ["ketamina", "infusion"]),
        ("Apoyo para TEPT y ansiedad", ["tept", "ansiedad"]),
        ("Prevención del suicidio", ["suicidio"]),
        ("Su cita es el martes a las 2:30 p. m.", []),
        ("Hola, le escribe la clínica: dolorosa noticia no", []),
    ],
)
def test_the_sensitive_terms_guard_reads_spanish_with_or_without_accents(text, found):
    assert sorted(find_terms(text)) == sorted(found)


def test_a_spanish_text_naming_a_treatment_is_blocked_at_send_time():
    step = care_step(sms_body=ES_SMS.replace("su visita", "su infusión de ketamina"))
    contact = make_contact(language="es", time_zone=daytime_zone())
    make_consultation(contact, in_hours=23.95)
    plan_and_send()
    row = OutboundMessage.objects.get(step=step, contact=contact, channel="sms")
    assert row.status == MessageStatus.SKIPPED and row.skip_reason == OutboundMessage.SkipReason.SENSITIVE_TERM
