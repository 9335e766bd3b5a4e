"""Crisis replies: recognised on realistic wording and misspellings, never on everyday idioms; always answered with
988 at once, flagged urgent at the top of the inbox, and the on-call clinician emailed without patient details.

The decisions behind the lists are documented in outreach/crisis.py.
"""

import uuid

import pytest

from outreach.consent import ledger as consent
from outreach.conversations.alerts import admin_link
from outreach.conversations.crisis import is_crisis, normalise
from outreach.models import Channel, InboundMessage, Purpose
from tests.fixtures.loaders import PUBLIC_BASE_URL, TWILIO_TOKEN, post_twilio, twilio_form
from tests.outreach.factories import make_contact

pytestmark = pytest.mark.usefixtures("celery_eager")

CRISIS_MESSAGES = [
    # Said plainly.
    "I want to kill myself",
    "I WANT TO DIE",
    "I want to end my life",
    "I'm going to take my own life",
    "I'm going to end it all tonight",
    "I don't want to live anymore",
    "I don’t want to live anymore",  # curly apostrophe from a phone keyboard
    "I dont wanna be alive",
    "i dont want to be here anymore",
    "I wish I wasn't alive",
    "Wish I was dead",
    "everyone would be better off without me",
    "I have nothing to live for",
    "there's no reason to live",
    "Life isn't worth living",
    "Hi it's Pat. I don't know who else to tell, I want to kill myself",
    "The pain is killing me and honestly I want to die",
    # Suicide named; a negation answering a question blanks only its own words, so what follows still counts.
    "I keep thinking about suicide",
    "feeling suicidal tonight",
    "I'm not suicidal, just tired of everything",
    "been having suicidal thoughts since the last infusion",
    # Self-harm.
    "I've been cutting myself again",
    "thinking about hurting myself",
    "I want to hurt myself",
    "self harm urges are bad today",
    "selfharm again",
    "I'm not safe with myself tonight",
    # Methods and overdose.
    "I want to hang myself",
    "gonna jump off the bridge",
    "I took a bunch of pills",
    "I took too many sleeping pills",
    "I'm going to overdose",
    "i want to OD on my meds",
    "i overdosed",
    # Despair and goodbyes.
    "I can't go on like this",
    "cant take it anymore",
    "this is goodbye",
    # Slang, misspellings, masking.
    "kms",
    "i wanna kill my self",
    "Im gonna kil myself",
    "im so sucidal",
    "suicdal thoughts again",
    "thinking of suiside",
    "i want to hurt myslef",
    "i wanna dieee",
    "I want to unalive myself",
    "k*ll myself",
    "su1cidal",
    "I want 2 die",
]

NOT_CRISIS = [
    # Idioms about something else: they reach staff as ordinary replies. "The pain is killing me" is about pain
    # (patients here also have chronic pain); staff read it in the inbox; if it says more, the rest triggers.
    "the pain is killing me",
    "this traffic is killing me, running 10 min late",
    "I'd kill for a coffee",
    "you guys are killing it, thanks",
    "I killed it at my interview",
    "my kids will kill me if I'm late",
    "I'm dying to know my results",
    "I'm going to die of boredom in the waiting room",
    "The cake was to die for",
    "My killer headache is gone",
    # Accidents, not intent.
    "I hurt myself at the gym, can I still come?",
    "I cut myself shaving lol",
    "I overdid it at the gym",
    # Medicines and safety asked about, not acts.
    "can I take all my meds before the infusion?",
    "I took all my meds this morning like you said",
    "Is it safe to take ibuprofen?",
    "I don't feel safe driving after the infusion, can someone pick me up?",
    "side effects made me dizzy",
    # Ordinary replies and keywords.
    "stop",
    "STOP",
    "can I reschedule",
    "C",
    "YES",
    "Thanks, see you Tuesday! Goodbye",
    "My grandmother died last week so I need to reschedule",
    "I'm willing myself to keep going to the gym",  # one typo from "killing myself": fuzzy matching must not reach
    "I feel ill, can we move it",
    "I'd rather be home",
    "I want to end my subscription to the newsletter",
    "Can I bring my husband?",
]


@pytest.mark.parametrize("message", CRISIS_MESSAGES)
def test_crisis_messages_are_recognised(message):
    assert is_crisis(message), normalise(message)


@pytest.mark.parametrize("message", NOT_CRISIS)
def test_everyday_neighbours_do_not_trigger(message):
    assert not is_crisis(message), normalise(message)


def test_normalise_spells_out_what_patients_type():
    assert normalise("I don’t wanna be here any more!!") == "i do not want to be here anymore"
    assert normalise("Im gonna k*ll my self") == "i am going to kill myself"
    assert normalise("su1c1dal") == "suicidal"


# -- Through the webhook ----------------------------------------------------------------------------------------


@pytest.fixture
def configured(settings, db):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.OUTREACH_ONCALL_EMAIL = "on-call@clinic.example"
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "Test Clinic"
    clinic.phone = "(203) 555-0100"
    clinic.save()


def send(client, body, sender):
    sid = "SM" + uuid.uuid4().hex
    response = post_twilio(
        client, "/webhooks/twilio/inbound/", twilio_form("inbound_sms", Body=body, From=sender, MessageSid=sid)
    )
    assert response.status_code == 200
    return response.content.decode(), InboundMessage.objects.get(provider_message_id=sid)


def test_a_crisis_reply_gets_988_at_once_is_urgent_and_pages_on_call(
    client, configured, mailoutbox, django_capture_on_commit_callbacks
):
    patient = make_contact(first_name="Jordan", last_name="Rivers")
    body = "I don't want to live anymore"
    with django_capture_on_commit_callbacks(execute=True):
        twiml, inbound = send(client, body, str(patient.phone))
    assert twiml.count("<Message>") == 1
    assert "988" in twiml and "(203) 555-0100" in twiml and "911" in twiml
    assert inbound.kind == InboundMessage.Kind.CRISIS and inbound.urgent and inbound.handled_at is None
    assert inbound.contact == patient
    assert list(InboundMessage.objects.inbox())[0] == inbound
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["on-call@clinic.example"] and "URGENT" in email.subject
    assert f"inbound message {inbound.pk}" in email.body and f"{PUBLIC_BASE_URL}/admin/" in email.body
    assert admin_link(inbound.pk) in email.body  # the message itself in the admin inbox, when installed
    everything = email.subject + email.body
    for secret in ("Jordan", "Rivers", str(patient.phone), str(patient.phone)[-4:], "live anymore"):
        assert secret not in everything


@pytest.mark.parametrize(
    "body", ["stop. I want to die", "I want to die. STOP", "Stop texting me, I want to kill myself"]
)
def test_a_crisis_text_that_also_opts_out_gets_the_crisis_answer_and_the_opt_out(
    client, configured, body, mailoutbox, django_capture_on_commit_callbacks
):
    # Issue 14: the crisis answer and the on-call alert come first, and the patient's "stop" is honoured too.
    patient = make_contact()
    with django_capture_on_commit_callbacks(execute=True):
        twiml, inbound = send(client, body, str(patient.phone))
    assert inbound.kind == InboundMessage.Kind.CRISIS and inbound.urgent and inbound.handled_at is None
    assert twiml.index("988") < twiml.index("unsubscribed")
    assert not consent.has_consent(patient, Channel.SMS, Purpose.CARE)
    assert consent.latest(patient, Channel.SMS, Purpose.CARE).source == "keyword"
    assert [email.to for email in mailoutbox] == [["on-call@clinic.example"]]


def test_a_patient_who_opted_out_still_gets_the_crisis_reply(client, configured):
    patient = make_contact()
    send(client, "STOP", str(patient.phone))
    twiml, inbound = send(client, "i want to kill myself", str(patient.phone))
    assert inbound.kind == InboundMessage.Kind.CRISIS and "988" in twiml


def test_an_unknown_number_in_crisis_is_answered_and_on_call_is_told(
    client, configured, mailoutbox, django_capture_on_commit_callbacks
):
    # The one exception to "unknown numbers get answers only to STOP and HELP": a person in danger gets 988.
    with django_capture_on_commit_callbacks(execute=True):
        twiml, inbound = send(client, "kms", "+12035550198")
    assert "988" in twiml and inbound.contact is None and inbound.urgent
    assert len(mailoutbox) == 1 and "an unknown number" in mailoutbox[0].body


def test_the_reply_still_goes_out_if_the_alert_email_fails(
    client, configured, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.outreach.conversations.test_crisis.BrokenEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        twiml, inbound = send(client, "I want to die", "+12035550197")
    assert "988" in twiml and inbound.urgent


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")
