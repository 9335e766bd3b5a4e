"""Retention on schedule: beat runs config.tasks.retention daily; content past its period is blanked or deleted,
the metadata and the consent ledger stay."""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from celery.schedules import crontab
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from config.tasks import retention
from outreach.models import ConsentRecord, DeliveryEvent, InboundMessage, MessageStatus, OutboundMessage
from tests.outreach.factories import make_contact, sent_sms_row

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def outbound(contact, created_days_ago, status=MessageStatus.SENT):
    row = sent_sms_row(contact=contact, status=status, body="See you tomorrow at 9", sid="SM-test")
    OutboundMessage.objects.filter(pk=row.pk).update(created_at=days_ago(created_days_ago))
    return row


def inbound(contact, received_days_ago, handled=True, sid="SM1"):
    row = InboundMessage.objects.create(
        contact=contact,
        from_number=str(contact.phone),
        body="yes thanks",
        reply_sent="Thanks!",
        provider_message_id=sid,
        handled_at=timezone.now() if handled else None,
    )
    InboundMessage.objects.filter(pk=row.pk).update(received_at=days_ago(received_days_ago))
    return row


def event(row, received_days_ago, key):
    made = DeliveryEvent.objects.create(
        provider="twilio", event="delivered", message=row, dedupe_key=key, payload={"MessageStatus": "delivered"}
    )
    DeliveryEvent.objects.filter(pk=made.pk).update(received_at=days_ago(received_days_ago))
    return made


def login_records(days):
    when = days_ago(days)
    common = {"user_agent": "test", "ip_address": "192.0.2.10", "http_accept": "*/*", "path_info": "/admin/login/"}
    attempt = AccessAttempt.objects.create(
        username=f"staff{days}", get_data="", post_data="", failures_since_start=1, **common
    )
    log = AccessLog.objects.create(username=f"staff{days}", **common)
    failure = AccessFailureLog.objects.create(username=f"staff{days}", **common)
    for model, pk in ((AccessAttempt, attempt.pk), (AccessLog, log.pk), (AccessFailureLog, failure.pk)):
        model.objects.filter(pk=pk).update(attempt_time=when)


def test_retention_runs_daily_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["retention"]
    assert entry["task"] == "config.tasks.retention"
    assert isinstance(entry["schedule"], crontab)
    # Once a day: the schedule fires at exactly one minute of the day.
    assert len(entry["schedule"].hour) == 1 and len(entry["schedule"].minute) == 1
    from celery_app import app

    assert "config.tasks.retention" in app.tasks


@override_settings(
    RETENTION_MESSAGE_BODY_DAYS=30,
    RETENTION_INBOUND_DAYS=60,
    RETENTION_DELIVERY_EVENT_DAYS=90,
    RETENTION_LOGIN_ATTEMPT_DAYS=120,
)
def test_each_kind_goes_after_its_own_period_and_the_consent_ledger_stays():
    contact = make_contact()
    ledger_before = list(ConsentRecord.objects.filter(contact=contact).values())
    assert ledger_before

    old_out, young_out = outbound(contact, 31), outbound(contact, 29)
    pending = outbound(contact, 31, status=MessageStatus.SCHEDULED)
    old_in, young_in = inbound(contact, 61, sid="SM-old"), inbound(contact, 59, sid="SM-young")
    unhandled = inbound(contact, 61, handled=False, sid="SM-open")
    old_event, young_event = event(old_out, 91, "k-old"), event(old_out, 89, "k-young")
    login_records(121)
    login_records(119)

    retention()

    old_out.refresh_from_db(), young_out.refresh_from_db(), pending.refresh_from_db()
    assert old_out.body == "" and old_out.status == MessageStatus.SENT and old_out.provider_message_id == "SM-test"
    assert young_out.body and pending.body  # inside the period; a row still to be sent keeps its text

    old_in.refresh_from_db(), young_in.refresh_from_db(), unhandled.refresh_from_db()
    assert (old_in.body, old_in.reply_sent, old_in.from_number) == ("", "", "")
    assert old_in.contact_id == contact.pk and old_in.kind and old_in.received_at
    assert young_in.body and young_in.from_number
    assert unhandled.body and unhandled.from_number  # staff have not read it yet

    old_event.refresh_from_db(), young_event.refresh_from_db()
    assert old_event.payload == {} and old_event.event == "delivered" and old_event.message_id == old_out.pk
    assert young_event.payload

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert list(model.objects.values_list("username", flat=True)) == ["staff119"]

    assert list(ConsentRecord.objects.filter(contact=contact).values()) == ledger_before

    # A second run changes nothing more.
    from outreach.consent.retention import apply_retention

    report = apply_retention()
    assert (report.outbound_bodies, report.inbound_texts, report.delivery_payloads) == (0, 0, 0)
