"""Email events from Postmark and Mailgun (stored payloads) through anymail's webhooks to the outbox,
the suppression list and the consent ledger."""

import base64
import json

import pytest

from outreach.consent import ledger as consent
from outreach.models import Channel, DeliveryEvent, MessageStatus, Purpose, Suppression
from tests.fixtures.loaders import MAILGUN_SIGNING_KEY, WEBHOOK_SECRET, esp_json, post_email_event, sign_mailgun
from tests.outreach.factories import make_contact, sent_sms_row

pytestmark = pytest.mark.django_db
POSTMARK = "/webhooks/anymail/postmark/tracking/"
MAILGUN = "/webhooks/anymail/mailgun/tracking/"
EMAIL = "patient@example.com"


@pytest.fixture(autouse=True)
def anymail_settings(settings):
    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY,
    }


def auth(secret=WEBHOOK_SECRET):
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post(client, path, payload, **headers):
    headers = headers or auth()
    return post_email_event(client, path.split("/")[3], payload, **headers)


@pytest.fixture
def patient():
    return make_contact(email=EMAIL)


def email_row(patient, message_id, status=MessageStatus.SENT):
    return sent_sms_row(channel=Channel.EMAIL, sid=message_id, contact=patient, status=status, provider="postmark")


# -- Authentication ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "esp"), [(POSTMARK, "postmark"), (MAILGUN, "mailgun")])
@pytest.mark.parametrize("headers", [{}, auth("anymail-user:wrong"), auth("someone:else")])
def test_basic_auth_is_required(client, patient, path, esp, headers):
    row = email_row(patient, "x")
    payload = esp_json(esp, "delivery" if esp == "postmark" else "delivered", outbox_id=row.pk)
    response = post_email_event(client, esp, payload, **headers)
    assert response.status_code == 400
    assert not DeliveryEvent.objects.exists()
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT


def test_mailgun_also_needs_its_signature(client, patient):
    row = email_row(patient, "x")
    payload = sign_mailgun(esp_json("mailgun", "delivered", outbox_id=row.pk), key="not-the-key")
    assert post(client, MAILGUN, payload).status_code == 400
    assert not DeliveryEvent.objects.exists()


# -- Postmark ----------------------------------------------------------------------------------------------------


def test_postmark_delivery_marks_the_row_delivered(client, patient):
    row = email_row(patient, "883953f4-6105-42a2-a16a-77a8eac79483")
    assert post(client, POSTMARK, esp_json("postmark", "delivery", outbox_id=row.pk)).status_code == 200
    row.refresh_from_db()
    assert row.status == MessageStatus.DELIVERED and row.delivered_at is not None
    event = DeliveryEvent.objects.get()
    assert event.provider == "postmark" and event.event == "delivered" and event.message == row and event.applied
    assert EMAIL not in json.dumps(event.payload)


def test_postmark_hard_bounce_bounces_the_row_and_suppresses_the_address_for_every_purpose(client, patient):
    row = email_row(patient, "2706ee8a-737c-4285-b032-ccd317af53ed")
    assert post(client, POSTMARK, esp_json("postmark", "bounce_hard", outbox_id=row.pk)).status_code == 200
    row.refresh_from_db()
    assert row.status == MessageStatus.BOUNCED and row.error_code == "bounced"
    assert EMAIL not in row.error_message
    assert Suppression.is_suppressed(Channel.EMAIL, EMAIL)
    assert Suppression.objects.get().reason == Suppression.Reason.HARD_BOUNCE
    payload = json.dumps(DeliveryEvent.objects.get().payload)
    assert EMAIL not in payload and "Content" not in payload and "Your visit" not in payload


def test_postmark_soft_bounce_fails_the_row_without_suppressing(client, patient):
    row = email_row(patient, "5a3c1e9b-2f4d-4e6a-9b8c-7d6e5f4a3b2c")
    post(client, POSTMARK, esp_json("postmark", "bounce_soft", outbox_id=row.pk))
    row.refresh_from_db()
    assert row.status == MessageStatus.FAILED
    assert not Suppression.objects.exists()


def test_postmark_spam_complaint_suppresses_the_address(client, patient):
    row = email_row(patient, "00000000-0000-0000-0000-000000000000")
    post(client, POSTMARK, esp_json("postmark", "spam_complaint", outbox_id=row.pk))
    row.refresh_from_db()
    assert row.status == MessageStatus.DELIVERED  # it reached the inbox to be complained about
    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT


def test_postmark_unsubscribe_records_an_email_opt_out_for_every_purpose(client, patient):
    row = email_row(patient, "a4909a96-73d7-4c49-b148-a54522d3f7ac")
    post(client, POSTMARK, esp_json("postmark", "subscription_change_unsubscribe", outbox_id=row.pk))
    for purpose in Purpose.values:
        record = consent.latest(patient, Channel.EMAIL, purpose)
        assert record.granted is False and record.source == "provider_event"
    assert consent.has_consent(patient, Channel.SMS, Purpose.CARE)
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT


def test_postmark_open_implies_delivery_but_never_undoes_a_bounce(client, patient):
    row = email_row(patient, "f4830d10-9c35-4f0c-bca3-3d9b459821f8")
    post(client, POSTMARK, esp_json("postmark", "open", outbox_id=row.pk))
    row.refresh_from_db()
    assert row.status == MessageStatus.DELIVERED
    bounced = email_row(patient, "b", status=MessageStatus.BOUNCED)
    post(client, POSTMARK, esp_json("postmark", "open", outbox_id=bounced.pk, MessageID="b"))
    bounced.refresh_from_db()
    assert bounced.status == MessageStatus.BOUNCED


def test_postmark_event_without_metadata_finds_the_row_by_message_id(client, patient):
    row = email_row(patient, "883953f4-6105-42a2-a16a-77a8eac79483")
    payload = esp_json("postmark", "delivery")
    payload.pop("Metadata")
    post(client, POSTMARK, payload)
    row.refresh_from_db()
    assert row.status == MessageStatus.DELIVERED


def test_a_duplicate_postmark_event_changes_nothing(client, patient):
    row = email_row(patient, "2706ee8a-737c-4285-b032-ccd317af53ed")
    payload = esp_json("postmark", "bounce_hard", outbox_id=row.pk)
    post(client, POSTMARK, payload)
    post(client, POSTMARK, payload)
    assert DeliveryEvent.objects.count() == 1 and Suppression.objects.count() == 1


def test_a_late_delivery_after_a_bounce_does_not_undo_it(client, patient):
    row = email_row(patient, "2706ee8a-737c-4285-b032-ccd317af53ed")
    post(client, POSTMARK, esp_json("postmark", "bounce_hard", outbox_id=row.pk))
    post(client, POSTMARK, esp_json("postmark", "delivery", outbox_id=row.pk))
    row.refresh_from_db()
    assert row.status == MessageStatus.BOUNCED


def test_a_bounce_for_an_unknown_message_still_suppresses_the_address(client):
    post(client, POSTMARK, esp_json("postmark", "bounce_hard", Email="gone@example.com"))
    assert Suppression.is_suppressed(Channel.EMAIL, "gone@example.com")
    assert DeliveryEvent.objects.get().message is None


# -- Mailgun -----------------------------------------------------------------------------------------------------

MAILGUN_ID = "<20261126211713.1.DF5966851B4BAA99@mg.clinic.example>"


def test_mailgun_delivered(client, patient):
    row = email_row(patient, MAILGUN_ID)
    assert post(client, MAILGUN, esp_json("mailgun", "delivered", outbox_id=row.pk)).status_code == 200
    row.refresh_from_db()
    assert row.status == MessageStatus.DELIVERED


def test_mailgun_delivered_found_by_message_id_with_or_without_brackets(client, patient):
    row = email_row(patient, MAILGUN_ID.strip("<>"))
    payload = esp_json("mailgun", "delivered")
    payload["event-data"]["user-variables"] = {}
    sign_mailgun(payload)
    post(client, MAILGUN, payload)
    row.refresh_from_db()
    assert row.status == MessageStatus.DELIVERED


def test_mailgun_permanent_failure_bounces_and_suppresses(client, patient):
    row = email_row(patient, "m1")
    post(client, MAILGUN, esp_json("mailgun", "failed_permanent", outbox_id=row.pk))
    row.refresh_from_db()
    assert row.status == MessageStatus.BOUNCED
    assert Suppression.objects.get().reason == Suppression.Reason.HARD_BOUNCE


def test_mailgun_temporary_failure_changes_nothing_but_is_recorded(client, patient):
    row = email_row(patient, "m2")
    post(client, MAILGUN, esp_json("mailgun", "failed_temporary", outbox_id=row.pk))
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT and not Suppression.objects.exists()
    assert DeliveryEvent.objects.get().event == DeliveryEvent.Event.DEFERRED


def test_mailgun_complaint_suppresses(client, patient):
    row = email_row(patient, "m3")
    post(client, MAILGUN, esp_json("mailgun", "complained", outbox_id=row.pk))
    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT


def test_mailgun_unsubscribe_opts_out_of_email(client, patient):
    row = email_row(patient, "m4")
    post(client, MAILGUN, esp_json("mailgun", "unsubscribed", outbox_id=row.pk))
    assert not consent.has_consent(patient, Channel.EMAIL, Purpose.CARE)
    assert consent.latest(patient, Channel.EMAIL, Purpose.CARE).source == "provider_event"


def test_mailgun_unsubscribe_without_a_row_finds_the_contact_by_address(client, patient):
    post(client, MAILGUN, esp_json("mailgun", "unsubscribed", **{"user-variables": {}}))
    assert not consent.has_consent(patient, Channel.EMAIL, Purpose.CARE)


def test_mailgun_open_implies_delivery(client, patient):
    row = email_row(patient, "m5")
    post(client, MAILGUN, esp_json("mailgun", "opened", outbox_id=row.pk))
    row.refresh_from_db()
    assert row.status == MessageStatus.DELIVERED


def test_an_email_event_never_moves_an_sms_row(client, patient):
    sms = sent_sms_row(contact=patient)
    post(client, MAILGUN, esp_json("mailgun", "failed_permanent", outbox_id=sms.pk))
    sms.refresh_from_db()
    assert sms.status == MessageStatus.SENT
