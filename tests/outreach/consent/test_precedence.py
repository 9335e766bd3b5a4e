"""Issue 14, section 2: an opt-out sticks, whoever recorded it, and only the patient lifts it.

The class: every source that can record a "no" x every source that can say "yes". Then the paths around it: a
staff-recorded opt-out against the next CSV import, a STOP from a number that is not yet a contact's (remembered by
address, adopted when the booking system sends the number, never texted from the inbox), and what START brings back.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from outreach.admin.sends import reply_refusal
from outreach.consent import ledger
from outreach.engine.planner import plan_due
from outreach.models import (
    ApiToken,
    Channel,
    ConsentRecord,
    Contact,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    Purpose,
    Suppression,
)
from tests.outreach.csv_helpers import row, run_import, write_csv
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone, plan_and_send
from tests.support.inbound import configure, suppression_for, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
Source = ConsentRecord.Source
UNKNOWN = "+12035550177"

# Who can record a "no": the patient by any means, a provider on their behalf, staff writing down what they said,
# and the booking system.
PATIENTS_NO = [Source.KEYWORD, Source.UNSUBSCRIBE_LINK, Source.PREFERENCE_LINK, Source.PROVIDER_EVENT, Source.ADMIN]
BOOKING = [Source.IMPORT, Source.API]
# Who can say "yes", and whether it speaks for the patient. Staff speak for the patient only with their words.
YES = [
    ("keyword START", Source.KEYWORD, "START", True),
    ("preference page", Source.PREFERENCE_LINK, 'Preference page: "Text messages" ticked', True),
    ("double opt-in", Source.CONFIRMATION, "YES reply", True),
    ("Twilio START", Source.PROVIDER_EVENT, "UNSTOP", True),
    ("staff with the patient's words", Source.ADMIN, "Patient at the desk: 'please text me again'", True),
    ("staff without words", Source.ADMIN, "", False),
    ("CSV import", Source.IMPORT, "", False),
    ("API", Source.API, "", False),
]


@pytest.mark.parametrize("no_source", PATIENTS_NO + BOOKING)
@pytest.mark.parametrize(("who", "yes_source", "wording", "speaks_for_patient"), YES, ids=[y[0] for y in YES])
def test_every_no_against_every_yes(no_source, who, yes_source, wording, speaks_for_patient):
    contact = make_contact()
    lifts = no_source in BOOKING or speaks_for_patient
    for channel, purpose in [(Channel.SMS, Purpose.CARE), (Channel.EMAIL, Purpose.EDUCATION)]:
        ledger.record_consent(contact, channel, purpose, False, no_source, wording="no", reason="test")
        assert not ledger.has_consent(contact, channel, purpose)
        if not lifts and yes_source == Source.ADMIN:
            with pytest.raises(ValidationError) as raised:
                ledger.record_consent(contact, channel, purpose, True, yes_source, wording=wording)
            assert "own words" in str(raised.value)
        else:
            ledger.record_consent(contact, channel, purpose, True, yes_source, wording=wording)
        assert ledger.has_consent(contact, channel, purpose) == lifts, (channel, purpose)
        if not lifts:
            assert ledger.latest(contact, channel, purpose).source == no_source


@pytest.mark.parametrize("no_source", PATIENTS_NO)
def test_a_repeated_yes_from_the_booking_system_never_wears_a_no_down(no_source):
    contact = make_contact()
    ledger.record_consent(contact, Channel.SMS, Purpose.CARE, False, no_source, wording="no")
    for _ in range(3):
        for source in BOOKING:
            assert ledger.record_consent(contact, Channel.SMS, Purpose.CARE, True, source) is None
    assert not ledger.has_consent(contact, Channel.SMS, Purpose.CARE)


@pytest.mark.parametrize("booking", BOOKING)
def test_a_stop_after_the_booking_systems_own_no_is_still_the_patients(client, inbound, booking):
    # Found by the property test: STOP recorded nothing when the booking system had already said no, so its next
    # "yes" lifted the patient's STOP.
    contact = make_contact()
    ledger.record_consent(contact, Channel.SMS, Purpose.CARE, False, booking)
    replies, _ = text(client, "STOP", contact.phone)
    assert len(replies) == 1
    assert ledger.latest(contact, Channel.SMS, Purpose.CARE).source == Source.KEYWORD
    ledger.record_consent(contact, Channel.SMS, Purpose.CARE, True, booking)
    assert not ledger.has_consent(contact, Channel.SMS, Purpose.CARE)


def test_a_staff_recorded_opt_out_survives_the_next_csv_import_and_nothing_is_sent(admin_client, tmp_path):
    line = row(timezone=daytime_zone(), starts_at=(timezone.now() + datetime.timedelta(hours=23.95)).isoformat())
    make_campaign()
    assert run_import(write_csv(tmp_path / "day1.csv", [line]))[0] == 0
    contact = Contact.objects.get(phone=line["phone"])
    assert ledger.has_consent(contact, Channel.SMS, Purpose.CARE)

    response = admin_client.post(
        reverse("outreach_contacts:record_consent", args=[contact.pk]),
        {"channel": "sms", "purpose": "care", "granted": "false", "reason": "Said at the front desk", "wording": ""},
    )
    assert response.status_code == 302
    assert run_import(write_csv(tmp_path / "day2.csv", [line]))[0] == 0  # still says sms_consent: yes

    assert not ledger.has_consent(contact, Channel.SMS, Purpose.CARE)
    assert ledger.latest(contact, Channel.SMS, Purpose.CARE).source == Source.ADMIN
    plan_and_send()
    assert not OutboundMessage.objects.filter(contact=contact, provider_call_started_at__isnull=False).exists()


# -- A STOP from a number that is not yet a contact's --------------------------------------------------------------


@pytest.fixture
def inbound(settings, db):
    configure(settings)


@pytest.mark.parametrize("body", ["STOP", "Stop texting me", "take me off your list", "no me manden más mensajes"])
def test_a_stop_from_an_unknown_number_is_remembered_by_address_and_confirmed_once(client, inbound, body):
    replies, message = text(client, body, UNKNOWN)
    # Written in Spanish, answered in Spanish (issue 20).
    assert len(replies) == 1 and ("Se dio de baja" if "manden" in body else "unsubscribed") in replies[0]
    assert message.contact is None and message.kind == InboundMessage.Kind.OPT_OUT
    suppression = suppression_for(UNKNOWN)
    assert suppression.reason == Suppression.Reason.OPTED_OUT
    assert UNKNOWN not in suppression.hint and UNKNOWN[-4:] in suppression.hint  # a keyed hash, a masked hint
    again, _ = text(client, "STOP", UNKNOWN)
    assert again == []  # one confirmation per opt-out


def test_staff_cannot_text_an_unknown_number_that_opted_out_from_the_inbox(client, inbound):
    _, question = text(client, "who is this?", UNKNOWN)
    assert reply_refusal(question) is None
    text(client, "Stop texting me", UNKNOWN)
    assert reply_refusal(question) is not None


def test_the_opt_out_follows_the_number_into_the_contact_a_csv_import_makes(client, inbound, tmp_path):
    make_campaign(steps=[{"send_sms": True}])
    text(client, "Stop texting me please", UNKNOWN)
    line = row(
        phone=UNKNOWN,
        sms_consent="yes",
        timezone=daytime_zone(),
        starts_at=(timezone.now() + datetime.timedelta(hours=23.95)).isoformat(),
    )
    assert run_import(write_csv(tmp_path / "import.csv", [line]))[0] == 0
    contact = Contact.objects.get(phone=UNKNOWN)
    for purpose in Purpose.values:
        record = ledger.latest(contact, Channel.SMS, purpose)
        assert not record.granted and record.source == Source.KEYWORD
        assert record.wording == "Stop texting me please"  # what the patient texted, so staff see it
    assert suppression_for(UNKNOWN) is None  # now held by the contact's ledger
    plan_and_send()
    assert not OutboundMessage.objects.filter(contact=contact, provider_call_started_at__isnull=False).exists()
    assert run_import(write_csv(tmp_path / "again.csv", [line]))[0] == 0  # the import repeats "yes"
    assert not ledger.has_consent(contact, Channel.SMS, Purpose.CARE)


def test_the_opt_out_follows_the_number_into_a_contact_through_the_api(client, inbound):
    token = ApiToken.issue("booking")[1]
    text(client, "STOP", UNKNOWN)
    body = {**row(phone=UNKNOWN), "sms_consent": True, "email_consent": True}
    response = client.post(
        "/api/outreach/v1/consultations/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 201
    contact = Contact.objects.get(phone=UNKNOWN)
    assert not ledger.has_consent(contact, Channel.SMS, Purpose.CARE)
    assert ledger.has_consent(contact, Channel.EMAIL, Purpose.CARE)  # the opt-out was by text only


def test_a_number_given_to_an_existing_contact_brings_its_opt_out_along(client, inbound, tmp_path):
    contact = make_contact(phone=False)
    text(client, "STOP", UNKNOWN)
    line = row(email=contact.email, phone=UNKNOWN, first_name=contact.first_name, sms_consent="yes")
    assert run_import(write_csv(tmp_path / "import.csv", [line]))[0] == 0
    contact.refresh_from_db()
    assert str(contact.phone) == UNKNOWN
    assert not ledger.has_consent(contact, Channel.SMS, Purpose.CARE)


def test_start_from_that_number_lifts_its_opt_out(client, inbound, tmp_path):
    text(client, "STOP", UNKNOWN)
    replies, message = text(client, "START", UNKNOWN)
    assert len(replies) == 1 and message.kind == InboundMessage.Kind.OPT_IN
    assert suppression_for(UNKNOWN) is None
    assert run_import(write_csv(tmp_path / "import.csv", [row(phone=UNKNOWN, sms_consent="yes")]))[0] == 0
    assert ledger.has_consent(Contact.objects.get(phone=UNKNOWN), Channel.SMS, Purpose.CARE)


def test_start_from_a_number_that_never_opted_out_is_left_for_staff(client, inbound):
    replies, message = text(client, "START", UNKNOWN)
    assert replies == [] and message.kind == InboundMessage.Kind.UNKNOWN and message.handled_at is None


@pytest.mark.parametrize("reason", [Suppression.Reason.ERASED, Suppression.Reason.HARD_BOUNCE])
def test_start_never_lifts_a_permanent_suppression(client, inbound, reason):
    text(client, "STOP", UNKNOWN)
    Suppression.add(Channel.SMS, UNKNOWN, reason)  # e.g. the number was erased on request meanwhile
    assert suppression_for(UNKNOWN).reason == reason
    text(client, "START", UNKNOWN)
    assert suppression_for(UNKNOWN).reason == reason


def test_staff_recording_the_patients_words_lifts_a_remembered_opt_out_on_their_number(client, inbound):
    text(client, "STOP", UNKNOWN)
    contact = Contact.objects.create(first_name="Walk-in", phone=UNKNOWN)  # typed by staff in the admin
    ledger.record_consent(contact, Channel.SMS, Purpose.CARE, True, Source.ADMIN)  # no words: not the patient
    assert suppression_for(UNKNOWN) is not None
    ledger.record_consent(
        contact, Channel.SMS, Purpose.CARE, True, Source.ADMIN, wording="Patient: 'you can text me now'"
    )
    assert suppression_for(UNKNOWN) is None


# -- Opting back in brings back what the opt-out stopped ------------------------------------------------------------


def test_stop_then_start_brings_back_the_reminders_the_opt_out_cancelled_and_that_are_still_useful(client, inbound):
    patient = make_contact(time_zone=daytime_zone())
    make_campaign(steps=[{"offset": datetime.timedelta(hours=24)}, {"offset": datetime.timedelta(hours=2)}])
    visit = make_consultation(patient, in_hours=23.9)
    plan_due()
    plan_due(visit.starts_at - datetime.timedelta(hours=2))  # both reminders planned
    rows = list(OutboundMessage.objects.filter(consultation=visit).order_by("due_at"))
    assert len(rows) == 2
    stale = rows[0]
    OutboundMessage.objects.filter(pk=stale.pk).update(not_after=timezone.now() - datetime.timedelta(minutes=1))

    text(client, "STOP", patient.phone)
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.CANCELLED}
    text(client, "START", patient.phone)

    useful = OutboundMessage.objects.get(pk=rows[1].pk)
    assert useful.status == MessageStatus.SCHEDULED and useful.error_message == ""
    assert OutboundMessage.objects.get(pk=stale.pk).status == MessageStatus.CANCELLED  # past its lateness


def test_start_does_not_bring_back_a_reminder_for_a_visit_the_patient_asked_to_move(client, inbound):
    patient = make_contact()
    make_campaign()
    visit = make_consultation(patient, in_hours=23.95)
    plan_due()
    text(client, "STOP", patient.phone)
    text(client, "R", patient.phone)  # an opted-out patient can still ask to move a visit
    text(client, "START", patient.phone)
    reminder = OutboundMessage.objects.get(consultation=visit)
    assert reminder.status == MessageStatus.CANCELLED


def test_a_skipped_for_no_consent_reminder_comes_back_when_consent_is_granted():
    patient = make_contact(sms=False)
    make_campaign()
    make_consultation(patient, in_hours=23.95)
    plan_and_send()
    reminder = OutboundMessage.objects.get(contact=patient)
    assert reminder.skip_reason == OutboundMessage.SkipReason.NO_CONSENT
    ledger.record_consent(patient, Channel.SMS, Purpose.CARE, True, Source.IMPORT)
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.SCHEDULED and reminder.skip_reason == ""


@pytest.mark.parametrize("order", [("STOP", "R", "START", "C"), ("R", "STOP", "C", "START")])
def test_a_reminder_stopped_twice_comes_back_once_both_causes_are_lifted_in_any_order(client, inbound, order):
    patient = make_contact(time_zone=daytime_zone())
    make_campaign()
    visit = make_consultation(patient, in_hours=23.95)
    plan_due()
    for body in order:
        text(client, body, patient.phone)
    reminder = OutboundMessage.objects.get(consultation=visit)
    assert reminder.status == MessageStatus.SCHEDULED
    plan_and_send()
    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.SENT
