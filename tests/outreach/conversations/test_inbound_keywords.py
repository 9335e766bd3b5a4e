"""Every reply a patient can send by text, and what it does.

Keyword rule (outreach/keywords.py): the whole reply, ignoring case, surrounding whitespace, punctuation anywhere
("Stop." and "opt-out" count) and one polite word ("please stop"), must be the keyword. Longer sentences are not
keywords (except a few unambiguous opt-out sentences) and go to the staff inbox.
"""

import datetime
import logging
import uuid

import pytest
from django.utils import timezone

from outreach.consent import ledger as consent
from outreach.conversations import keywords
from outreach.engine.composer import format_local
from outreach.models import Channel, Consultation, InboundMessage, MessageStatus, Purpose
from tests.fixtures.loaders import PUBLIC_BASE_URL, TWILIO_TOKEN, post_twilio, twilio_form
from tests.outreach.factories import make_consultation, make_contact, sent_sms_row, set_clinic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
INBOUND = "/webhooks/twilio/inbound/"
UNKNOWN_NUMBER = "+12035550199"


@pytest.fixture(autouse=True)
def twilio_settings(settings):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL
    settings.OUTREACH_STAFF_EMAIL = "front-desk@clinic.example"
    settings.OUTREACH_ONCALL_EMAIL = "on-call@clinic.example"


@pytest.fixture(autouse=True)
def clinic():
    return set_clinic()


def text(client, body, sender):
    """Post an inbound text; returns (the reply texts, the stored InboundMessage)."""
    sid = "SM" + uuid.uuid4().hex
    response = post_twilio(client, INBOUND, twilio_form("inbound_sms", Body=body, From=str(sender), MessageSid=sid))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    content = response.content.decode()
    replies = [part.split("</Message>")[0] for part in content.split("<Message>")[1:]]
    return replies, InboundMessage.objects.get(provider_message_id=sid)


@pytest.fixture
def patient():
    return make_contact()


def sms_revoked_everywhere(contact):
    return all(
        not consent.has_consent(contact, Channel.SMS, purpose)
        and consent.latest(contact, Channel.SMS, purpose).source == "keyword"
        for purpose in Purpose.values
    )


# -- Normalisation --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("STOP", "STOP"),
        ("stop", "STOP"),
        ("  Stop \n", "STOP"),
        ("Stop.", "STOP"),
        ("STOP!!!", "STOP"),
        ("opt-out", "OPT OUT"),
        ("Opt  out", "OPT OUT"),
        ("please stop", "STOP"),
        ("Stop please.", "STOP"),
        ("C thanks", "C"),
        ("Ｓｔｏｐ", "STOP"),  # full-width letters from some keyboards
        ("Yes 👍", "YES"),
        ("Can I stop taking my meds?", "CAN I STOP TAKING MY MEDS"),
    ],
)
def test_normalise(body, expected):
    assert keywords.normalise(body) == expected


# -- Opt-out -----------------------------------------------------------------------------------------------------


OPT_OUT_VARIANTS = [
    "STOP", "stop", " Stop ", "Stop.", "STOP!", "StopAll", "UNSUBSCRIBE", "unsubscribe", "END", "end.",
    "QUIT", "Revoke", "OPTOUT", "OPT OUT", "opt out", "Opt-out", "please stop", "Stop please",
]  # fmt: skip


@pytest.mark.parametrize("body", OPT_OUT_VARIANTS)
def test_opt_out_keywords_revoke_sms_for_every_purpose_cancel_pending_texts_and_confirm_once(client, patient, body):
    pending = sent_sms_row(sid="", status=MessageStatus.SCHEDULED, contact=patient)
    replies, inbound = text(client, body, patient.phone)
    assert len(replies) == 1 and "unsubscribed" in replies[0] and "START" in replies[0]
    assert "Test Clinic" in replies[0] and "(203) 555-0100" in replies[0]
    assert inbound.kind == InboundMessage.Kind.OPT_OUT and inbound.contact == patient
    assert inbound.handled_at is not None and inbound.reply_sent == replies[0]
    assert sms_revoked_everywhere(patient)
    assert consent.latest(patient, Channel.SMS, Purpose.CARE).wording == body
    pending.refresh_from_db()
    assert pending.status == MessageStatus.CANCELLED
    assert consent.has_consent(patient, Channel.EMAIL, Purpose.CARE)  # email is untouched


def test_a_second_stop_is_recorded_but_not_confirmed_again(client, patient):
    first, _ = text(client, "STOP", patient.phone)
    second, inbound = text(client, "stop", patient.phone)
    assert len(first) == 1 and second == []
    assert inbound.kind == InboundMessage.Kind.OPT_OUT


# -- Opt-in, help ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["START", "start", "Unstop", "YES", "yes!", "Yes please"])
def test_opt_in_keywords_restore_care_texts(client, patient, body):
    text(client, "STOP", patient.phone)
    replies, inbound = text(client, body, patient.phone)
    assert len(replies) == 1 and "subscribed again" in replies[0] and "STOP" in replies[0]
    assert inbound.kind == InboundMessage.Kind.OPT_IN
    record = consent.latest(patient, Channel.SMS, Purpose.CARE)
    assert record.granted and record.source == "keyword"
    assert not consent.has_consent(patient, Channel.SMS, Purpose.EDUCATION)  # only care comes back


@pytest.mark.parametrize("body", ["HELP", "help", "Help?", "INFO", "info."])
def test_help_keywords_answer_with_the_clinic_name_phone_and_how_to_opt_out(client, patient, body):
    replies, inbound = text(client, body, patient.phone)
    assert len(replies) == 1
    assert "Test Clinic" in replies[0] and "(203) 555-0100" in replies[0] and "STOP" in replies[0]
    assert inbound.kind == InboundMessage.Kind.HELP and inbound.handled_at is not None
    assert consent.has_consent(patient, Channel.SMS, Purpose.CARE)


# -- Confirm and reschedule ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["C", "c", "C.", "CONFIRM", "confirm", "Confirm!"])
def test_confirm_confirms_the_next_upcoming_visit_and_says_when(client, patient, body):
    later = make_consultation(patient, in_hours=72)
    nearest = make_consultation(patient, in_hours=20)
    make_consultation(patient, in_hours=-5)  # past
    make_consultation(patient, in_hours=10, status=Consultation.Status.CANCELLED)
    replies, inbound = text(client, body, patient.phone)
    nearest.refresh_from_db()
    later.refresh_from_db()
    assert nearest.status == Consultation.Status.CONFIRMED
    assert later.status == Consultation.Status.SCHEDULED
    date_text, time_text = format_local(nearest.starts_at, patient.zone)
    assert len(replies) == 1 and "confirmed" in replies[0]
    assert date_text in replies[0] and time_text in replies[0]
    assert inbound.kind == InboundMessage.Kind.CONFIRM and inbound.consultation == nearest
    assert inbound.handled_at is not None


def test_confirm_uses_the_patients_own_time_zone(client):
    patient = make_contact(time_zone="America/Los_Angeles")
    visit = make_consultation(patient, starts_at=timezone.now() + datetime.timedelta(days=2))
    replies, _ = text(client, "C", patient.phone)
    assert format_local(visit.starts_at, patient.zone)[1] in replies[0]
    assert "PST" in replies[0] or "PDT" in replies[0]


def test_confirm_after_asking_to_reschedule_brings_the_reminders_back(client, patient):
    visit = make_consultation(patient, in_hours=30)
    reminder = sent_sms_row(sid="", status=MessageStatus.SCHEDULED, contact=patient, consultation=visit)
    text(client, "R", patient.phone)
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.CANCELLED
    text(client, "C", patient.phone)
    reminder.refresh_from_db()
    visit.refresh_from_db()
    assert visit.status == Consultation.Status.CONFIRMED and reminder.status == MessageStatus.SCHEDULED


@pytest.mark.parametrize("body", ["C", "R"])
def test_no_upcoming_visit_gets_a_polite_answer_and_stays_open_for_staff(client, patient, body):
    make_consultation(patient, in_hours=-30)
    replies, inbound = text(client, body, patient.phone)
    assert len(replies) == 1 and "couldn't find an upcoming visit" in replies[0] and "(203) 555-0100" in replies[0]
    assert inbound.consultation is None and inbound.handled_at is None


@pytest.mark.parametrize("body", ["R", "r", "R.", "RESCHEDULE", "Reschedule please"])
def test_reschedule_marks_the_visit_cancels_its_reminders_and_tells_staff(
    client, patient, body, mailoutbox, django_capture_on_commit_callbacks
):
    visit = make_consultation(patient, in_hours=30)
    reminder = sent_sms_row(sid="", status=MessageStatus.SCHEDULED, contact=patient, consultation=visit)
    with django_capture_on_commit_callbacks(execute=True):
        replies, inbound = text(client, body, patient.phone)
    visit.refresh_from_db()
    reminder.refresh_from_db()
    assert visit.status == Consultation.Status.RESCHEDULE_REQUESTED
    assert reminder.status == MessageStatus.CANCELLED
    assert len(replies) == 1 and "move your visit" in replies[0]
    assert inbound.kind == InboundMessage.Kind.RESCHEDULE and inbound.consultation == visit
    assert inbound.handled_at is None  # staff must call back
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["front-desk@clinic.example"]
    assert f"inbound message {inbound.pk}" in email.body and f"{PUBLIC_BASE_URL}/admin/" in email.body
    for secret in (str(patient.phone), str(patient.phone)[-4:], patient.first_name, patient.last_name):
        assert secret not in email.subject + email.body


def test_a_second_reschedule_request_does_not_email_staff_again(
    client, patient, mailoutbox, django_capture_on_commit_callbacks
):
    make_consultation(patient, in_hours=30)
    with django_capture_on_commit_callbacks(execute=True):
        text(client, "R", patient.phone)
        text(client, "R", patient.phone)
    assert len(mailoutbox) == 1


# -- Everything else --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Running 10 minutes late",
        "Stop by at 3?",
        "can I reschedule",
        "Yes I will be there",
        "Can I stop taking my meds?",
        "Cancel my appointment on Tuesday please",
        "",
    ],
)
def test_anything_else_goes_to_the_staff_inbox_linked_to_the_contact(client, patient, body):
    replies, inbound = text(client, body, patient.phone)
    assert replies == []
    assert inbound.kind == InboundMessage.Kind.UNKNOWN and inbound.contact == patient
    assert inbound.handled_at is None and not inbound.urgent and inbound.body == body
    assert consent.has_consent(patient, Channel.SMS, Purpose.CARE)


def test_the_inbox_lists_open_urgent_messages_first(client, patient):
    _, ordinary = text(client, "Running late", patient.phone)
    _, urgent = text(client, "I want to die", patient.phone)
    _, newer = text(client, "Thanks!", patient.phone)
    _, handled = text(client, "HELP", patient.phone)
    assert list(InboundMessage.objects.inbox()) == [urgent, newer, ordinary, handled]
    assert set(InboundMessage.objects.needing_attention()) == {urgent, newer, ordinary}


# -- Unknown numbers -----------------------------------------------------------------------------------------------


def test_unknown_number_stop_is_confirmed_and_kept_without_inventing_a_contact(client):
    replies, inbound = text(client, "STOP", UNKNOWN_NUMBER)
    assert len(replies) == 1 and "unsubscribed" in replies[0]
    assert inbound.contact is None and inbound.kind == InboundMessage.Kind.OPT_OUT
    assert inbound.from_number == UNKNOWN_NUMBER


def test_unknown_number_help_is_answered(client):
    replies, inbound = text(client, "help", UNKNOWN_NUMBER)
    assert len(replies) == 1 and "(203) 555-0100" in replies[0]
    assert inbound.contact is None


@pytest.mark.parametrize("body", ["C", "R", "START", "YES", "Who is this?"])
def test_unknown_number_anything_else_is_kept_for_staff_and_not_answered(client, body):
    replies, inbound = text(client, body, UNKNOWN_NUMBER)
    assert replies == []
    assert inbound.contact is None and inbound.kind == InboundMessage.Kind.UNKNOWN and inbound.handled_at is None


def test_a_short_code_sender_is_kept_as_unknown(client):
    replies, inbound = text(client, "Your carrier message", "22395")
    assert replies == [] and inbound.contact is None


# -- Privacy and extension -------------------------------------------------------------------------------------


def test_logs_carry_ids_not_numbers_or_message_text(client, patient, caplog):
    caplog.set_level(logging.DEBUG)
    text(client, "Running late, sorry - SECRET-BODY", patient.phone)
    text(client, "STOP", patient.phone)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "SECRET-BODY" not in logged
    assert str(patient.phone) not in logged and str(patient.phone)[2:] not in logged


def test_a_keyword_can_be_added_or_taken_over_without_editing_the_module(client, patient):
    original = keywords.registered()["YES"]

    @keywords.register("YES", kind=InboundMessage.Kind.CONFIRM, replace=True)
    def double_opt_in(ctx):
        return keywords.Outcome(kind=InboundMessage.Kind.CONFIRM, reply="Subscription confirmed")

    try:
        replies, _ = text(client, "yes", patient.phone)
        assert replies == ["Subscription confirmed"]
        with pytest.raises(ValueError, match="already registered"):
            keywords.register("YES", kind=InboundMessage.Kind.OPT_IN)(lambda ctx: None)
    finally:
        keywords.register(*original.words, kind=original.kind, replace=True)(original.handler)
    assert keywords.registered()["YES"].handler is original.handler


def test_every_keyword_the_issue_names_is_registered():
    named = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT", "START",
             "UNSTOP", "YES", "HELP", "INFO", "C", "CONFIRM", "R", "RESCHEDULE"}  # fmt: skip
    assert named <= set(keywords.registered())
