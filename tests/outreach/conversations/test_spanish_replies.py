"""Issue 20: patients answer in Spanish. Spanish keywords act like the English ones and are answered in Spanish;
every answer exists in every language; the crisis answer is in the patient's language."""

import datetime

import pytest

from outreach.consent import ledger
from outreach.conversations import answers
from outreach.conversations.answers import ANSWERS, placeholders
from outreach.languages import NAMES
from outreach.models import Channel, Consultation, Contact, InboundMessage, Purpose
from tests.outreach.factories import make_consultation, make_contact
from tests.support.inbound import configure, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
Kind = InboundMessage.Kind
UNKNOWN = "+12035550177"
# Tuesday 1 December 2026, 2:30 PM in New York.
VISIT = datetime.datetime(2026, 12, 1, 19, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def settings_and_clinic(settings):
    configure(settings)
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "Test Clinic"
    clinic.phone = "(203) 555-0100"
    clinic.save()


@pytest.fixture
def patient():
    contact = make_contact()
    make_consultation(contact, starts_at=VISIT)
    return contact


def language_of(contact):
    return Contact.objects.get(pk=contact.pk).language


@pytest.mark.parametrize("key", sorted(ANSWERS))
def test_every_answer_exists_in_every_language_with_the_same_placeholders(key):
    texts = ANSWERS[key]
    assert set(texts) == set(NAMES), key
    assert len({frozenset(placeholders(text)) for text in texts.values()}) == 1, key


def test_the_spanish_crisis_answer_gives_988_in_spanish():
    reply = answers.crisis("KCC", "(203) 555-0100", "es")
    assert reply.startswith("KCC: ")
    assert "marque o envíe un mensaje de texto al 988" in reply and "marque 2 para español" in reply
    assert "911" in reply and "llámenos al (203) 555-0100" in reply


@pytest.mark.parametrize("body", ["PARAR", "parar", "Parar por favor", "BAJA", "Alto", "no más"])
def test_a_spanish_opt_out_keyword_opts_out_is_settled_and_answered_in_spanish(client, patient, body):
    replies, inbound = text(client, body, patient.phone)
    assert inbound.kind == Kind.OPT_OUT and inbound.handled_at is not None
    assert not any(ledger.has_consent(patient, Channel.SMS, purpose) for purpose in Purpose.values)
    assert replies == [
        "Test Clinic: Se dio de baja y no recibirá más mensajes de texto de nuestra parte. Responda COMENZAR para "
        "volver a suscribirse. Para cambiar o cancelar una visita: llame al (203) 555-0100."
    ]


def test_cancelar_opts_out_in_spanish_and_stays_open_as_a_possible_cancellation(client, patient):
    replies, inbound = text(client, "CANCELAR", patient.phone)
    assert inbound.kind == Kind.OPT_OUT and inbound.handled_at is None
    assert "Se dio de baja" in replies[0] and "cancelar una visita" in replies[0]


def test_comenzar_after_parar_subscribes_again_in_spanish(client, patient):
    text(client, "PARAR", patient.phone)
    replies, inbound = text(client, "COMENZAR", patient.phone)
    assert inbound.kind == Kind.OPT_IN and ledger.has_consent(patient, Channel.SMS, Purpose.CARE)
    assert replies[0].startswith("Test Clinic: Está suscrito de nuevo") and "PARAR" in replies[0]


def test_si_opts_back_in_like_yes(client, patient):
    text(client, "PARAR", patient.phone)
    replies, inbound = text(client, "Sí", patient.phone)
    assert inbound.kind == Kind.OPT_IN and replies[0].startswith("Test Clinic: Está suscrito de nuevo")


def test_ayuda_is_answered_in_spanish_even_to_an_unknown_number(client):
    replies, inbound = text(client, "AYUDA", UNKNOWN)
    assert inbound.kind == Kind.HELP
    assert replies == [
        "Test Clinic: recordatorios de visitas y mensajes de su atención. Para obtener ayuda, llame al "
        "(203) 555-0100. Responda PARAR para no recibir más. Pueden aplicarse tarifas de mensajes y datos."
    ]


def test_confirmar_confirms_the_visit_with_a_spanish_date(client, patient):
    replies, inbound = text(client, "CONFIRMAR", patient.phone)
    assert inbound.kind == Kind.CONFIRM
    assert Consultation.objects.get(contact=patient).status == Consultation.Status.CONFIRMED
    assert replies == [
        "Test Clinic: Gracias, su visita del martes, 1 de diciembre, 2:30 p. m. EST, está confirmada. Para "
        "cambiarla responda CAMBIAR o llame al (203) 555-0100."
    ]


@pytest.mark.parametrize("body", ["CAMBIAR", "reprogramar", "Cambio gracias"])
def test_cambiar_asks_to_reschedule_in_spanish(client, patient, body):
    replies, inbound = text(client, body, patient.phone)
    assert inbound.kind == Kind.RESCHEDULE and inbound.handled_at is None
    assert Consultation.objects.get(contact=patient).status == Consultation.Status.RESCHEDULE_REQUESTED
    assert replies[0].startswith("Test Clinic: Gracias, avisamos a nuestro equipo que desea cambiar su visita del ")
    assert "martes, 1 de diciembre, 2:30 p. m. EST" in replies[0]


def test_a_spanish_keyword_sets_the_language_of_a_patient_who_never_chose_one(client, patient):
    assert patient.language == ""
    text(client, "CONFIRMAR", patient.phone)
    assert language_of(patient) == "es"
    # From then on, words of any language are answered in Spanish.
    replies, _ = text(client, "R", patient.phone)
    assert replies[0].startswith("Test Clinic: Gracias, avisamos")
    replies, _ = text(client, "HELP", patient.phone)
    assert "Para obtener ayuda" in replies[0]


def test_a_chosen_language_is_never_changed_by_a_keyword_but_the_answer_follows_the_words(client):
    patient = make_contact(language="en")
    replies, _ = text(client, "AYUDA", patient.phone)
    assert "Para obtener ayuda" in replies[0]
    assert language_of(patient) == "en"
    replies, _ = text(client, "HELP", patient.phone)
    assert "For help, call (203) 555-0100" in replies[0]


def test_a_spanish_speaking_patient_gets_spanish_answers_to_universal_keywords(client):
    patient = make_contact(language="es")
    make_consultation(patient, starts_at=VISIT)
    replies, _ = text(client, "C", patient.phone)
    assert "está confirmada" in replies[0]
    replies, _ = text(client, "STOP", patient.phone)
    assert "Se dio de baja" in replies[0]


# -- Crisis --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["me quiero morir", "Ya no aguanto, quiero matarme"])
def test_a_crisis_written_in_spanish_is_answered_in_spanish_with_988(client, body):
    replies, inbound = text(client, body, UNKNOWN)
    assert inbound.kind == Kind.CRISIS and inbound.urgent
    assert replies[0].startswith("Test Clinic: Gracias por escribirnos.") and "988" in replies[0]


def test_a_spanish_speaking_patients_crisis_is_answered_in_spanish_whatever_language_it_is_written_in(client):
    patient = make_contact(language="es")
    replies, inbound = text(client, "I want to kill myself", patient.phone)
    assert inbound.kind == Kind.CRISIS
    assert "marque o envíe un mensaje de texto al 988" in replies[0]


def test_an_english_crisis_from_an_english_patient_keeps_the_english_answer(client, patient):
    replies, _ = text(client, "I want to kill myself", patient.phone)
    assert replies[0].startswith("Test Clinic: We're glad you reached out.") and "call or text 988" in replies[0]
    assert language_of(patient) == ""


def test_parar_with_a_crisis_gets_both_answers_in_spanish(client, patient):
    replies, inbound = text(client, "Parar. Me quiero morir", patient.phone)
    assert inbound.kind == Kind.CRISIS
    crisis_answer, opt_out_answer = replies[0].split("\n\n")
    assert crisis_answer.startswith("Test Clinic: Gracias por escribirnos.")
    assert opt_out_answer.startswith("Test Clinic: Se dio de baja")


@pytest.mark.parametrize(
    ("body", "spanish"),
    [("me quiero morir", True), ("Ya no aguanto mas", True), ("no quiero vivir así", True),
     ("I want to die", False), ("I can't do this anymore", False), ("no", False), ("ok", False)],
)  # fmt: skip
def test_the_language_a_reply_is_written_in(body, spanish):
    from outreach.conversations.reading import looks_spanish

    assert looks_spanish(body) is spanish


def test_the_language_of_the_corpus_replies_is_told_apart():
    """Measured on the crisis tuning corpus (category `spanish` vs the rest): 135/140 Spanish replies read as
    Spanish (the misses are Spanglish, e.g. "I want to die, ya no aguanto"), 1/772 others (a lone "gracias")."""
    from outreach.conversations.corpora import read_corpus
    from outreach.conversations.reading import looks_spanish

    rows = read_corpus()
    spanish = [row for row in rows if row.category == "spanish"]
    others = [row for row in rows if row.category != "spanish"]
    assert sum(looks_spanish(row.text) for row in spanish) >= 135
    assert sum(looks_spanish(row.text) for row in others) <= 1
