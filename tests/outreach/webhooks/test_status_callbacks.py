"""Twilio status callbacks move outbox rows up a one-way ladder, whatever their order and however often they come."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from outreach.consent import ledger as consent
from outreach.engine.delivery import mask_payload
from outreach.models import Channel, DeliveryEvent, MessageStatus, OutboundMessage, Purpose
from tests.fixtures.loaders import PUBLIC_BASE_URL, TWILIO_TOKEN, post_twilio, twilio_form
from tests.outreach.factories import SID, sent_sms_row

pytestmark = pytest.mark.django_db
STATUS = "/webhooks/twilio/status/"


@pytest.fixture(autouse=True)
def twilio_settings(settings):
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.PUBLIC_BASE_URL = PUBLIC_BASE_URL


def callback(client, row, name, **overrides):
    response = post_twilio(client, f"{STATUS}?m={row.pk}", twilio_form(name, **overrides))
    assert response.status_code == 204
    row.refresh_from_db()
    return row


def test_sent_then_delivered(client):
    row = sent_sms_row(status=MessageStatus.SENDING, sid="", sent_at=None)
    callback(client, row, "status_sent")
    assert row.status == MessageStatus.SENT and row.sent_at is not None
    assert row.provider == "twilio" and row.provider_message_id == SID  # filled in: the worker may be slower
    callback(client, row, "status_delivered")
    assert row.status == MessageStatus.DELIVERED and row.delivered_at is not None


def test_queued_and_sending_change_nothing(client):
    row = sent_sms_row()
    callback(client, row, "status_queued")
    callback(client, row, "status_sending")
    assert row.status == MessageStatus.SENT
    assert DeliveryEvent.objects.filter(event=DeliveryEvent.Event.QUEUED).count() == 2


def test_a_late_sent_never_overwrites_delivered(client):
    row = sent_sms_row()
    callback(client, row, "status_delivered")
    callback(client, row, "status_sent")
    assert row.status == MessageStatus.DELIVERED


def test_undelivered_fails_the_row_with_the_error_code(client):
    row = sent_sms_row()
    callback(client, row, "status_undelivered_30006")
    assert row.status == MessageStatus.FAILED
    assert row.error_code == "30006" and "landline" in row.error_message
    assert row.failed_at is not None


def test_30006_marks_the_contact_unreachable_by_text_but_keeps_consent(client):
    row = sent_sms_row()
    callback(client, row, "status_undelivered_30006")
    row.contact.refresh_from_db()
    assert row.contact.sms_reachable is False
    assert consent.has_consent(row.contact, Channel.SMS, Purpose.CARE)


def test_21610_records_an_sms_opt_out_for_every_purpose_and_cancels_pending_texts(client):
    row = sent_sms_row()
    pending = sent_sms_row(sid="", status=MessageStatus.SCHEDULED, contact=row.contact)
    callback(client, row, "status_failed_21610")
    assert row.status == MessageStatus.FAILED and row.error_code == "21610"
    for purpose in Purpose.values:
        record = consent.latest(row.contact, Channel.SMS, purpose)
        assert record.granted is False and record.source == "provider_event"
    pending.refresh_from_db()
    assert pending.status == MessageStatus.CANCELLED
    row.contact.refresh_from_db()
    assert row.contact.sms_reachable is True


def test_a_failure_after_delivery_does_not_undo_it(client):
    row = sent_sms_row()
    callback(client, row, "status_delivered")
    callback(client, row, "status_undelivered_30006")
    assert row.status == MessageStatus.DELIVERED


def test_a_callback_without_the_outbox_id_finds_the_row_by_message_sid(client):
    row = sent_sms_row()
    response = post_twilio(client, STATUS, twilio_form("status_delivered"))
    assert response.status_code == 204
    row.refresh_from_db()
    assert row.status == MessageStatus.DELIVERED


def test_a_callback_for_an_unknown_message_is_kept_and_changes_nothing(client):
    response = post_twilio(client, STATUS, twilio_form("status_delivered", MessageSid="SMunknown", SmsSid="SMunknown"))
    assert response.status_code == 204
    event = DeliveryEvent.objects.get()
    assert event.message is None and event.applied is False


def test_a_report_proves_a_message_we_had_given_up_on_did_go_out(client):
    row = sent_sms_row(status=MessageStatus.FAILED, sid="", error_code="outcome_unknown")
    callback(client, row, "status_delivered")
    assert row.status == MessageStatus.DELIVERED and row.provider_message_id == SID


def test_the_kept_payload_has_no_phone_numbers(client):
    row = sent_sms_row()
    callback(client, row, "status_delivered")
    payload = DeliveryEvent.objects.get().payload
    assert "+12035550111" not in str(payload) and "+12035550100" not in str(payload)
    assert payload["To"] == "***0111" and payload["MessageStatus"] == "delivered"


def test_mask_payload_drops_content_and_masks_addresses():
    masked = mask_payload(
        {"Email": "patient@example.com", "Subject": "Your visit", "Details": "to patient@example.com"}
    )
    assert masked == {"Email": "p***@example.com", "Details": "to p***@example.com"}


# -- Shuffled and duplicated sequences ------------------------------------------------------------------------------

HAPPY = ["status_queued", "status_sending", "status_sent", "status_delivered"]
LANDLINE = ["status_queued", "status_sending", "status_sent", "status_undelivered_30006"]


def sequences(realistic):
    # Each report at least once, some repeated, in any order.
    return st.lists(st.sampled_from(realistic), min_size=0, max_size=6).flatmap(
        lambda extra: st.permutations(realistic + extra)
    )


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=sequences(HAPPY))
def test_any_order_of_a_delivered_sequence_ends_delivered(client, order):
    row = sent_sms_row(status=MessageStatus.SENDING, sid="", sent_at=None)
    for name in order:
        callback(client, row, name)
    assert row.status == MessageStatus.DELIVERED
    assert row.provider_message_id == SID and row.sent_at is not None and row.delivered_at is not None
    assert row.error_code == ""
    OutboundMessage.objects.all().delete()
    DeliveryEvent.objects.all().delete()


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=sequences(LANDLINE))
def test_any_order_of_an_undelivered_sequence_ends_failed_and_unreachable(client, order):
    row = sent_sms_row(status=MessageStatus.SENDING, sid="", sent_at=None)
    for name in order:
        callback(client, row, name)
    assert row.status == MessageStatus.FAILED and row.error_code == "30006"
    row.contact.refresh_from_db()
    assert row.contact.sms_reachable is False
    assert DeliveryEvent.objects.count() == len(LANDLINE)  # duplicates wrote nothing
    OutboundMessage.objects.all().delete()
    DeliveryEvent.objects.all().delete()
