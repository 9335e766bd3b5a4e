"""Rows sent together (outreach/engine/batches.py): every send-time rule per row, as the single-row path decides it,
at a cost per batch that does not grow with its size; through the real twilio and anymail clients to the fakes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outreach.consent import ledger
from outreach.engine import sending
from outreach.engine.batches import send_batch
from outreach.engine.dispatch import claim_due
from outreach.engine.planner import plan_due
from outreach.models import Channel, Consultation, Contact, MessageStatus, OutboundMessage, Suppression
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone, night_zone

pytestmark = pytest.mark.django_db
Skip = OutboundMessage.SkipReason


def due_for(contact):
    return make_consultation(contact, in_hours=23.95)


def patients_at_every_edge():
    """{label: consultation}: one patient for each thing that stops a message at send time, and two who may have it."""
    consultations = {
        "goes": due_for(make_contact(time_zone=daytime_zone())),
        "goes too": due_for(make_contact(time_zone=daytime_zone())),
        "night": due_for(make_contact(time_zone=night_zone())),
        "opted out after planning": due_for(make_contact(time_zone=daytime_zone())),
        "suppressed after planning": due_for(make_contact(time_zone=daytime_zone())),
        "landline": due_for(make_contact(time_zone=daytime_zone())),
        "cancelled after planning": due_for(make_contact(time_zone=daytime_zone())),
        "abroad": due_for(make_contact(time_zone=daytime_zone(), phone="+442071838750")),
    }
    plan_due()
    ledger.opt_out(consultations["opted out after planning"].contact, Channel.SMS, ledger.Source.KEYWORD)
    Suppression.add(
        Channel.SMS, str(consultations["suppressed after planning"].contact.phone), Suppression.Reason.MANUAL
    )
    Contact.objects.filter(pk=consultations["landline"].contact_id).update(sms_reachable=False)
    Consultation.objects.filter(pk=consultations["cancelled after planning"].pk).update(
        status=Consultation.Status.CANCELLED
    )
    return consultations


EXPECTED = {
    "goes": (MessageStatus.SENT, ""),
    "goes too": (MessageStatus.SENT, ""),
    "night": (MessageStatus.SCHEDULED, ""),
    "opted out after planning": (MessageStatus.CANCELLED, ""),
    "suppressed after planning": (MessageStatus.SKIPPED, Skip.SUPPRESSED),
    "landline": (MessageStatus.SKIPPED, Skip.UNREACHABLE),
    "cancelled after planning": (MessageStatus.CANCELLED, ""),
    "abroad": (MessageStatus.SKIPPED, Skip.COUNTRY),
}


def outcomes(consultations):
    by_consultation = {row.consultation_id: row for row in OutboundMessage.objects.all()}
    return {
        label: (by_consultation[c.pk].status, by_consultation[c.pk].skip_reason)
        for label, c in consultations.items()
        if c.pk in by_consultation
    }


@pytest.mark.parametrize("path", ["one row per task", "a batch"])
def test_a_batch_decides_every_row_as_the_single_row_path_does(clinic, path, settings):
    settings.OUTREACH_SMS_ALLOWED_COUNTRIES = ["US", "CA"]
    make_campaign(steps=[{"max_lateness": datetime.timedelta(hours=23)}])  # the night's row waits for the morning
    consultations = patients_at_every_edge()
    ids = claim_due()
    assert len(ids) == len(consultations) - 1  # the opt-out cancelled its row at once
    if path == "a batch":
        send_batch(ids)
    else:
        for message_id in ids:
            sending.send_message(message_id)
    found = outcomes(consultations)
    assert {label: found[label] for label in found} == {label: EXPECTED[label] for label in found}
    night = OutboundMessage.objects.get(consultation=consultations["night"])
    assert night.scheduled_for > timezone.now() and night.error_message == "deferred: quiet hours"
    sent = OutboundMessage.objects.filter(status=MessageStatus.SENT)
    assert all(row.provider_message_id.startswith("console-") and "Test Clinic" in row.body for row in sent)
    assert all(row.attempts == 1 and row.lease_expires_at is None for row in sent)


def test_two_messages_to_one_patient_in_one_batch_are_capped_as_if_sent_one_after_the_other(clinic):
    make_campaign(
        sms_per_day=1,
        steps=[{"offset": datetime.timedelta(hours=24)}, {"offset": datetime.timedelta(hours=23, minutes=59)}],
    )
    contact = make_contact(time_zone=daytime_zone())
    make_consultation(contact, in_hours=23.95)
    plan_due()
    ids = claim_due()
    assert len(ids) == 2
    send_batch(ids)
    rows = OutboundMessage.objects.order_by("pk")
    assert sorted((row.status, row.skip_reason) for row in rows) == [
        (MessageStatus.SENT, ""),
        (MessageStatus.SKIPPED, Skip.FREQUENCY_CAP),
    ]


def test_rows_that_are_not_this_workers_claim_are_left_alone(clinic):
    make_campaign()
    for _ in range(3):
        due_for(make_contact(time_zone=daytime_zone()))
    plan_due()
    scheduled, settled, in_call = OutboundMessage.objects.order_by("pk")
    claim_due()
    OutboundMessage.objects.filter(pk=scheduled.pk).update(status=MessageStatus.SCHEDULED, lease_expires_at=None)
    OutboundMessage.objects.filter(pk=settled.pk).update(status=MessageStatus.SENT)
    OutboundMessage.objects.filter(pk=in_call.pk).update(provider_call_started_at=timezone.now())
    assert send_batch([scheduled.pk, settled.pk, in_call.pk]) == {}
    assert [row.status for row in OutboundMessage.objects.order_by("pk")] == [
        MessageStatus.SCHEDULED,
        MessageStatus.SENT,
        MessageStatus.SENDING,
    ]
    assert not OutboundMessage.objects.exclude(provider_message_id="").exists()


def test_a_batch_costs_the_same_queries_whatever_its_size(clinic):
    make_campaign(steps=[{"send_email": True}])

    def queries_for(patients):
        OutboundMessage.objects.all().delete()
        Consultation.objects.all().delete()
        for _ in range(patients):
            due_for(make_contact(time_zone=daytime_zone()))
        plan_due()
        ids = claim_due()
        with CaptureQueriesContext(connection) as captured:
            sent = send_batch(ids)
        assert len(sent) == 2 * patients and set(sent.values()) == {MessageStatus.SENT}
        return len(captured.captured_queries)

    assert queries_for(3) == queries_for(30)


def test_through_twilio_each_row_once_and_a_refusal_is_recorded_for_its_own_row(clinic, twilio_settings, caplog):
    fake = twilio_settings
    make_campaign()
    consultations = [due_for(make_contact(time_zone=daytime_zone())) for _ in range(12)]
    refused = consultations[5].contact
    fake.set_rule(str(refused.phone), "opted_out")
    plan_due()
    send_batch(claim_due())
    rows = {row.contact_id: row for row in OutboundMessage.objects.all()}
    assert rows[refused.pk].status == MessageStatus.FAILED and rows[refused.pk].error_code == "21610"
    assert not ledger.has_consent(Contact.objects.get(pk=refused.pk), Channel.SMS, "care")
    accepted = {message.to: message.id for message in fake.messages}
    others = [c.contact for c in consultations if c.contact_id != refused.pk]
    assert len(fake.messages) == len(others) == len(accepted)  # once each
    for contact in others:
        row = rows[contact.pk]
        assert row.status == MessageStatus.SENT and row.provider == "twilio"
        assert row.provider_message_id == accepted[str(contact.phone)]  # each result mapped back to its own row
    # twilio's clients log every request's URL and headers at INFO: silenced (LOGGING), not eight lines a text.
    assert [record.name for record in caplog.records if record.name.startswith("twilio")] == []


def test_an_ambiguous_failure_in_a_batch_is_asked_about_before_any_resend(clinic, twilio_settings):
    fake = twilio_settings
    make_campaign()
    for _ in range(6):
        due_for(make_contact(time_zone=daytime_zone()))
    plan_due()
    fake.set_ambiguous(every=3, outcomes=(500,))  # accepted, then answered 500: the patient has it
    send_batch(claim_due())
    ambiguous = list(OutboundMessage.objects.exclude(ambiguous_since=None))
    assert len(ambiguous) == 2 and all(row.status == MessageStatus.SCHEDULED for row in ambiguous)
    fake.set_ambiguous(None)
    OutboundMessage.objects.filter(pk__in=[row.pk for row in ambiguous]).update(scheduled_for=timezone.now())
    send_batch(claim_due())
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    to = [message.to for message in fake.messages]
    assert len(to) == len(set(to)) == 6  # the provider's copy was adopted, not sent again


def test_email_rows_leave_in_one_postmark_batch_request_with_each_result_mapped_back(clinic, postmark_settings):
    fake = postmark_settings
    make_campaign(steps=[{"send_sms": False, "send_email": True}])
    consultations = [due_for(make_contact(time_zone=daytime_zone())) for _ in range(8)]
    inactive = consultations[2].contact
    fake.set_rule(inactive.email, "inactive")
    plan_due()
    send_batch(claim_due())
    sends = [request for request in fake.requests if request.method == "POST"]
    assert [request.path for request in sends] == ["/email/batch"]
    rows = {row.contact_id: row for row in OutboundMessage.objects.all()}
    assert rows[inactive.pk].status == MessageStatus.FAILED
    assert Suppression.is_suppressed(Channel.EMAIL, inactive.email)
    accepted = {message.to.lower(): message.id for message in fake.messages}
    for consultation in consultations:
        if consultation.contact_id != inactive.pk:
            row = rows[consultation.contact_id]
            assert row.status == MessageStatus.SENT
            assert row.provider_message_id == accepted[consultation.contact.email.lower()]
