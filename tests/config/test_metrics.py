"""/metrics: token-protected Prometheus text with the outbox, crisis, periodic and send/webhook figures."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from config import periodic
from outreach.models import InboundMessage, MessageStatus
from tests.outreach.factories import make_campaign, make_consultation, make_contact, sent_sms_row
from tests.support.engine import daytime_zone, plan_and_send

pytestmark = pytest.mark.django_db
TOKEN = "metrics-token-for-tests-0123456789"


def scrape(client):
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_are_off_without_a_token_and_refuse_a_wrong_one(client):
    with override_settings(METRICS_TOKEN=""):
        assert client.get("/metrics").status_code == 404
        assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    with override_settings(METRICS_TOKEN=TOKEN):
        assert client.get("/metrics").status_code == 401
        assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}x").status_code == 401
        assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401
        assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405


@override_settings(METRICS_TOKEN=TOKEN)
def test_outbox_gauges_come_from_the_database(client):
    now = timezone.now()

    def row(status, channel="sms", due_minutes_ago=0):
        scheduled_for = now - datetime.timedelta(minutes=due_minutes_ago)
        return sent_sms_row(status=status, channel=channel, scheduled_for=scheduled_for)

    row(MessageStatus.SENT), row(MessageStatus.SENT), row(MessageStatus.FAILED, "email")
    row(MessageStatus.SCHEDULED, due_minutes_ago=10), row(MessageStatus.SCHEDULED, due_minutes_ago=-60)
    row(MessageStatus.SENDING, due_minutes_ago=1)

    samples = scrape(client)
    assert value(samples, "clinic_outbox_messages", status="sent", channel="sms") == 2
    assert value(samples, "clinic_outbox_messages", status="failed", channel="email") == 1
    assert value(samples, "clinic_outbox_messages", status="scheduled", channel="sms") == 2
    assert value(samples, "clinic_outbox_due_unsent") == 2  # the future row is not due yet
    assert 600 <= value(samples, "clinic_outbox_oldest_due_seconds") < 660


@override_settings(METRICS_TOKEN=TOKEN)
def test_unhandled_crisis_texts_and_their_age(client):
    contact = make_contact()
    old = InboundMessage.objects.create(
        contact=contact, from_number=str(contact.phone), provider_message_id="SM-c1", kind="crisis", urgent=True
    )
    InboundMessage.objects.filter(pk=old.pk).update(received_at=timezone.now() - datetime.timedelta(minutes=20))
    InboundMessage.objects.create(
        contact=contact,
        from_number=str(contact.phone),
        provider_message_id="SM-c2",
        kind="crisis",
        handled_at=timezone.now(),
    )
    samples = scrape(client)
    assert value(samples, "clinic_crisis_unhandled") == 1
    assert 1200 <= value(samples, "clinic_crisis_unhandled_oldest_seconds") < 1260


@override_settings(METRICS_TOKEN=TOKEN)
def test_sends_errors_and_webhook_outcomes_are_counted(client, twilio_settings):
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "Test Clinic"
    clinic.save()
    make_campaign()
    before = scrape(client)
    zone = daytime_zone()
    make_consultation(make_contact(time_zone=zone), in_hours=23.95)
    invalid = make_contact(time_zone=zone)
    twilio_settings.set_rule(str(invalid.phone), "invalid")
    make_consultation(invalid, in_hours=23.95)
    plan_and_send()
    client.post("/webhooks/twilio/status/", {"MessageSid": "SM1", "MessageStatus": "delivered"})  # unsigned
    periodic.record_run("outreach-tick")

    after = scrape(client)
    sent = value(after, "clinic_messages_sent_total", channel="sms", provider="twilio")
    assert sent - value(before, "clinic_messages_sent_total", channel="sms", provider="twilio") == 1
    error = {"channel": "sms", "code": "21211", "kind": "permanent"}
    assert value(after, "clinic_send_errors_total", **error) - value(before, "clinic_send_errors_total", **error) == 1
    rejected = {"provider": "twilio", "outcome": "rejected"}
    assert (
        value(after, "clinic_webhook_requests_total", **rejected)
        - value(before, "clinic_webhook_requests_total", **rejected)
        == 1
    )
    last = value(after, "clinic_periodic_last_run_timestamp_seconds", task="outreach-tick")
    assert abs(last - timezone.now().timestamp()) < 30


@override_settings(METRICS_TOKEN=TOKEN)
def test_metrics_carry_no_personal_data(client, twilio_settings):
    from cms.clinic import get_clinic_settings

    get_clinic_settings().save()
    make_campaign()
    contact = make_contact(time_zone=daytime_zone())
    make_consultation(contact, in_hours=23.95)
    plan_and_send()
    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    digits = str(contact.phone).lstrip("+")
    assert digits not in text and contact.email not in text and contact.first_name not in text
