"""Issue 14, section 4, through the webhook: an opt-out however written, CANCEL flagged for staff, and Twilio's
Advanced Opt-Out recorded exactly as Twilio acted, with no second answer."""

import pytest

from outreach.consent import ledger
from outreach.followups.subscriptions import request_subscription
from outreach.models import Channel, ConsentRecord, InboundMessage, MessageStatus, Purpose
from tests.outreach.factories import make_contact, sent_sms_row
from tests.support.inbound import configure, suppression_for, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
Kind = InboundMessage.Kind
UNKNOWN = "+12035550178"


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
    return make_contact()


def texts_revoked(contact):
    return not any(ledger.has_consent(contact, Channel.SMS, purpose) for purpose in Purpose.values)


@pytest.mark.parametrize(
    "body",
    ["Stop sending me messages", "Don’t text me", "take me off your list", "no more texts", "leave me alone",
     "No me manden más mensajes", "ya no quiero mensajes", "para", "basta", "stop all"],
)  # fmt: skip
def test_an_opt_out_however_written_revokes_texts_cancels_pending_and_confirms_once(client, patient, body):
    pending = sent_sms_row(sid="", status=MessageStatus.SCHEDULED, contact=patient)
    replies, inbound = text(client, body, patient.phone)
    # Written in Spanish, answered in Spanish (issue 20).
    spanish = body in {"No me manden más mensajes", "ya no quiero mensajes", "para", "basta"}
    assert len(replies) == 1 and ("Se dio de baja" if spanish else "unsubscribed") in replies[0]
    assert inbound.kind == Kind.OPT_OUT
    assert texts_revoked(patient)
    assert ledger.latest(patient, Channel.SMS, Purpose.CARE).wording == body
    pending.refresh_from_db()
    assert pending.status == MessageStatus.CANCELLED
    assert ledger.has_consent(patient, Channel.EMAIL, Purpose.CARE)
    again, _ = text(client, body, patient.phone)
    assert again == []


def test_a_reply_that_says_more_than_a_keyword_opts_out_and_stays_open_for_staff(client, patient):
    _, keyword = text(client, "STOP", patient.phone)
    _, sentence = text(client, "Stop texting me, I'm so tired of all this", patient.phone)
    assert keyword.handled_at is not None
    assert sentence.kind == Kind.OPT_OUT and sentence.handled_at is None


def test_stop_the_emails_texted_is_an_email_opt_out(client, patient):
    replies, _ = text(client, "please stop the emails", patient.phone)
    assert "no more emails" in replies[0]
    assert not ledger.has_consent(patient, Channel.EMAIL, Purpose.CARE)
    assert ledger.has_consent(patient, Channel.SMS, Purpose.CARE)


@pytest.mark.parametrize("body", ["CANCEL", "cancel please", "Cancelar"])
def test_cancel_opts_out_and_is_flagged_for_staff_as_a_possible_cancellation(
    client, patient, body, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        replies, inbound = text(client, body, patient.phone)
    assert inbound.kind == Kind.OPT_OUT and texts_revoked(patient)
    assert inbound.handled_at is None  # open in the inbox for staff
    # The answer says how to cancel a visit, in the language the patient wrote in.
    assert len(replies) == 1 and ("cancelar una visita" if body == "Cancelar" else "cancel a visit") in replies[0]
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["front-desk@clinic.example"] and "Possible cancellation" in email.subject
    assert str(patient.phone) not in email.body and patient.first_name not in email.body


def test_cancel_my_appointment_is_not_an_opt_out(client, patient):
    replies, inbound = text(client, "Cancel my appointment on Tuesday please", patient.phone)
    assert replies == [] and inbound.kind == Kind.UNKNOWN
    assert ledger.has_consent(patient, Channel.SMS, Purpose.CARE)


# -- Twilio Advanced Opt-Out ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["STOP", "ARRET", "Stop please"])  # ARRET: a custom keyword only Twilio knows
def test_twilio_stop_is_recorded_as_twilio_acted_and_not_answered_again(client, patient, body):
    pending = sent_sms_row(sid="", status=MessageStatus.SCHEDULED, contact=patient)
    replies, inbound = text(client, body, patient.phone, OptOutType="STOP")
    assert replies == []  # Twilio already answered
    assert inbound.kind == Kind.OPT_OUT and inbound.handled_at is not None and inbound.reply_sent == ""
    assert texts_revoked(patient)
    record = ledger.latest(patient, Channel.SMS, Purpose.CARE)
    assert record.source == ConsentRecord.Source.PROVIDER_EVENT and record.wording == body
    assert "OptOutType STOP" in record.reason
    pending.refresh_from_db()
    assert pending.status == MessageStatus.CANCELLED


@pytest.mark.parametrize("body", ["START", "REJOINDRE"])
def test_twilio_start_is_recorded_and_not_answered_again(client, patient, body):
    text(client, "STOP", patient.phone, OptOutType="STOP")
    replies, inbound = text(client, body, patient.phone, OptOutType="START")
    assert replies == [] and inbound.kind == Kind.OPT_IN
    record = ledger.latest(patient, Channel.SMS, Purpose.CARE)
    assert record.granted and record.source == ConsentRecord.Source.PROVIDER_EVENT


def test_twilio_help_is_not_answered_again(client, patient):
    replies, inbound = text(client, "INFO", patient.phone, OptOutType="HELP")
    assert replies == [] and inbound.kind == Kind.HELP and inbound.handled_at is not None


def test_twilio_yes_for_a_pending_subscription_confirms_it_without_a_second_answer(client, patient):
    request_subscription(
        {"email": "", "phone": patient.phone, "first_name": "", "consent_wording": "Text me articles", "topics": []}
    )
    replies, _ = text(client, "YES", patient.phone, OptOutType="START")
    assert replies == []
    assert ledger.latest(patient, Channel.SMS, Purpose.EDUCATION).source == ConsentRecord.Source.CONFIRMATION


def test_twilio_stop_from_an_unknown_number_is_remembered_and_start_lifts_it(client):
    replies, inbound = text(client, "STOP", UNKNOWN, OptOutType="STOP")
    assert replies == [] and inbound.kind == Kind.OPT_OUT
    assert suppression_for(UNKNOWN) is not None
    replies, inbound = text(client, "START", UNKNOWN, OptOutType="START")
    assert replies == [] and inbound.kind == Kind.OPT_IN
    assert suppression_for(UNKNOWN) is None


def test_a_crisis_text_is_still_answered_when_twilio_reports_a_keyword(client, patient):
    replies, inbound = text(client, "stop. i want to die", patient.phone, OptOutType="STOP")
    assert len(replies) == 1 and "988" in replies[0] and "unsubscribed" not in replies[0]
    assert inbound.kind == Kind.CRISIS and texts_revoked(patient)
