"""Send-time rules, with the console providers (no network)."""

import datetime

import pytest
from django.utils import timezone

from outreach.consent import ledger as consent
from outreach.engine.dispatch import claim_due
from outreach.engine.planner import plan_due
from outreach.engine.sending import send_message
from outreach.models import CampaignStep, Channel, ConsentRecord, MessageStatus, OutboundMessage, Purpose, Suppression
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone, night_zone, plan_and_send

pytestmark = pytest.mark.django_db
Skip = OutboundMessage.SkipReason


def due_row(contact=None, **campaign):
    make_campaign(**campaign)
    consultation = make_consultation(
        contact or make_contact(time_zone=daytime_zone()), in_hours=23.95, notes="INTERNAL-NOTE-SECRET"
    )
    return consultation


def test_a_due_reminder_is_sent_once_with_the_local_time_and_no_internal_notes(clinic):
    consultation = due_row()
    assert len(plan_and_send()) == 1
    row = OutboundMessage.objects.get()
    assert row.status == MessageStatus.SENT
    assert row.provider == "console" and row.provider_message_id.startswith("console-")
    local = consultation.starts_at.astimezone(consultation.contact.zone)
    assert local.strftime("%B ") + str(local.day) in row.body
    assert "Test Clinic" in row.body and "(203) 555-0100" in row.body and "STOP" in row.body
    assert "INTERNAL-NOTE-SECRET" not in row.body
    assert plan_and_send() == []  # nothing twice


def test_a_row_not_claimed_by_this_worker_is_left_alone(clinic):
    due_row()
    plan_due()
    row = OutboundMessage.objects.get()
    assert send_message(row.pk) is None
    row.refresh_from_db()
    assert row.status == MessageStatus.SCHEDULED


def test_no_consent_skips(clinic):
    due_row(make_contact(time_zone=daytime_zone(), sms=False))
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert (row.status, row.skip_reason) == (MessageStatus.SKIPPED, Skip.NO_CONSENT)


def test_opt_out_after_planning_is_honoured_at_send_time(clinic):
    consultation = due_row()
    plan_due()
    claim_due()
    consent.record_consent(consultation.contact, Channel.SMS, Purpose.CARE, False, ConsentRecord.Source.KEYWORD)
    send_message(OutboundMessage.objects.get().pk)
    assert OutboundMessage.objects.get().skip_reason == Skip.NO_CONSENT


def test_suppressed_address_skips(clinic):
    consultation = due_row()
    Suppression.add(Channel.SMS, str(consultation.contact.phone), Suppression.Reason.MANUAL)
    plan_and_send()
    assert OutboundMessage.objects.get().skip_reason == Skip.SUPPRESSED


def test_unreachable_number_skips(clinic):
    due_row(make_contact(time_zone=daytime_zone(), sms_reachable=False))
    plan_and_send()
    assert OutboundMessage.objects.get().skip_reason == Skip.UNREACHABLE


def test_night_time_defers_to_the_morning_in_the_contacts_zone(clinic):
    zone = night_zone()
    contact = make_contact(time_zone=zone)
    make_campaign(steps=[{"max_lateness": datetime.timedelta(hours=12)}])
    make_consultation(contact, in_hours=23.95)
    plan_and_send()
    row = OutboundMessage.objects.get()
    assert row.status == MessageStatus.SCHEDULED
    local = row.scheduled_for.astimezone(contact.zone)
    assert local.hour == 8 and local.minute <= 2
    assert row.scheduled_for > timezone.now()
    assert row.attempts == 0


def test_night_time_past_the_lateness_expires(clinic):
    contact = make_contact(time_zone=night_zone())
    make_campaign(steps=[{"max_lateness": datetime.timedelta(minutes=30)}])
    make_consultation(contact, in_hours=23.95)
    plan_and_send()
    assert OutboundMessage.objects.get().status == MessageStatus.EXPIRED


def test_daily_sms_cap_skips_the_second_text_of_the_day(clinic):
    contact = make_contact(time_zone=daytime_zone())
    make_campaign(steps=[{"offset": datetime.timedelta(hours=24)}, {"offset": datetime.timedelta(hours=2)}])
    make_consultation(contact, in_hours=23.95)
    make_consultation(contact, in_hours=1.95)
    plan_and_send()
    statuses = sorted(OutboundMessage.objects.values_list("status", "skip_reason"))
    assert statuses == [(MessageStatus.SENT, ""), (MessageStatus.SKIPPED, Skip.FREQUENCY_CAP)]


def test_weekly_cap(clinic):
    contact = make_contact(time_zone=daytime_zone())
    make_campaign(sms_per_day=5, sms_per_week=2, steps=[{"offset": datetime.timedelta(hours=1)}])
    for _ in range(3):
        make_consultation(contact, in_hours=0.95)
    plan_and_send()
    assert sorted(OutboundMessage.objects.values_list("status", flat=True)) == ["sent", "sent", "skipped"]


def test_a_moved_or_cancelled_consultation_cancels_a_claimed_reminder(clinic):
    consultation = due_row()
    plan_due()
    claim_due()
    consultation.starts_at += datetime.timedelta(hours=3)
    consultation.save()
    send_message(OutboundMessage.objects.get().pk)
    assert OutboundMessage.objects.get().status == MessageStatus.CANCELLED


def test_email_carries_footer_and_one_click_unsubscribe_headers(clinic):
    from outreach.engine.composer import build_context, compose

    consultation = due_row(steps=[{"send_sms": False, "send_email": True}])
    campaign_step = CampaignStep.objects.get()
    outgoing = compose(campaign_step, consultation.contact, "email", build_context(consultation.contact, consultation))
    assert outgoing.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert outgoing.headers["List-Unsubscribe"].startswith("<http")
    assert "1 Example Way" in outgoing.text and "Unsubscribe: http" in outgoing.text
    assert "1 Example Way" in outgoing.html and "INTERNAL-NOTE-SECRET" not in outgoing.html
