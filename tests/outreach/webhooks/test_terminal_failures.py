"""Every event with which Postmark or Mailgun (as anymail reports it) ends a message's delivery without delivering it
fails the outbox row: none leaves it `sent` forever. Stored payloads of each shape, through anymail's webhooks."""

import json
from urllib.parse import urlencode

import pytest
from anymail.webhooks.postmark import PostmarkTrackingWebhookView

from outreach.models import Channel, DeliveryEvent, MessageStatus, Suppression
from outreach.webhooks.anymail import POSTMARK_UNDELIVERED
from tests.fixtures.loaders import esp_json, mailgun_legacy_form, sign_mailgun
from tests.outreach.factories import make_contact, sent_sms_row
from tests.outreach.webhooks.test_anymail_webhooks import EMAIL, MAILGUN, POSTMARK, auth, post

pytestmark = pytest.mark.django_db
Reason = Suppression.Reason
FAILED, BOUNCED, SENT = MessageStatus.FAILED, MessageStatus.BOUNCED, MessageStatus.SENT


@pytest.fixture(autouse=True)
def anymail_settings(settings):
    from tests.fixtures.loaders import MAILGUN_SIGNING_KEY, WEBHOOK_SECRET

    settings.ANYMAIL = {
        **settings.ANYMAIL,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_SIGNING_KEY,
    }


@pytest.fixture
def row():
    contact = make_contact(email=EMAIL)
    return sent_sms_row(channel=Channel.EMAIL, sid="<unused>", contact=contact, provider="mailgun")


def suppression():
    record = Suppression.objects.first()
    return record.reason if record else None


# (fixture, status the row ends in, suppression it records or None, error code kept on the row)
MAILGUN_TERMINAL = [
    ("failed_permanent", BOUNCED, Reason.HARD_BOUNCE, "bounced"),
    ("failed_permanent_old", FAILED, None, "old"),  # retried until too old, then dropped (issue 14)
    ("failed_permanent_espblock", FAILED, None, "espblock"),
    ("failed_permanent_suppress_bounce", BOUNCED, Reason.HARD_BOUNCE, "bounced"),
    ("failed_permanent_suppress_complaint", FAILED, Reason.COMPLAINT, "suppress-complaint"),
    ("failed_permanent_suppress_unsubscribe", FAILED, Reason.PROVIDER_REFUSED, "suppress-unsubscribe"),
    ("rejected", FAILED, None, "other"),
]


@pytest.mark.parametrize(("name", "status", "reason", "code"), MAILGUN_TERMINAL)
def test_mailgun_terminal_failures_fail_the_row(client, row, name, status, reason, code):
    assert post(client, MAILGUN, esp_json("mailgun", name, outbox_id=row.pk)).status_code == 200
    row.refresh_from_db()
    assert (row.status, suppression(), row.error_code) == (status, reason, code)
    assert row.failed_at is not None and EMAIL not in row.error_message


@pytest.mark.parametrize("form_type", ["multipart", "urlencoded"])
@pytest.mark.parametrize(
    ("name", "status", "reason"),
    [("legacy_dropped_old", FAILED, None), ("legacy_dropped_hardfail", BOUNCED, Reason.HARD_BOUNCE)],
)
def test_mailgun_legacy_dropped_webhooks_fail_the_row(client, row, name, status, reason, form_type, settings):
    settings.EMAIL_PROVIDER = "mailgun"  # only the configured provider's route answers
    # Mailgun posts legacy webhooks as multipart/form-data (with attachments) or urlencoded; both are read.
    fields = mailgun_legacy_form(name, outbox_id=row.pk)
    if form_type == "multipart":
        response = client.post(MAILGUN, data=fields, **auth())
    else:
        response = client.post(
            MAILGUN, data=urlencode(fields), content_type="application/x-www-form-urlencoded", **auth()
        )
    assert response.status_code == 200
    row.refresh_from_db()
    assert (row.status, suppression()) == (status, reason)


@pytest.mark.parametrize(
    "reason", ["bounce", "old", "espblock", "generic", "hardfail", "suppress-bounce", "suppress-unsubscribe"]
)
def test_any_permanent_mailgun_failure_fails_the_row_and_a_temporary_one_does_not(client, row, reason):
    permanent = esp_json("mailgun", "failed_permanent_old", outbox_id=row.pk, reason=reason)
    temporary = esp_json("mailgun", "failed_temporary", outbox_id=row.pk, reason=reason)
    post(client, MAILGUN, temporary)
    row.refresh_from_db()
    assert row.status == SENT
    post(client, MAILGUN, permanent)
    row.refresh_from_db()
    assert row.status in (FAILED, BOUNCED)


POSTMARK_TERMINAL = [
    ("bounce_hard", BOUNCED, Reason.HARD_BOUNCE),
    ("bounce_soft", FAILED, None),
    ("bounce_unknown", FAILED, None),
    ("bounce_spam_notification", FAILED, None),  # the receiving server's filter, not the patient: no suppression
    ("bounce_virus_notification", FAILED, None),
    ("bounce_bad_email_address", FAILED, Reason.PROVIDER_REFUSED),
    ("bounce_manually_deactivated", FAILED, None),
    ("bounce_unconfirmed", FAILED, None),
    ("bounce_blocked", FAILED, None),
    ("bounce_smtp_api_error", FAILED, None),
    ("bounce_dmarc_policy", FAILED, None),
    ("bounce_template_rendering_failed", FAILED, None),
]


@pytest.mark.parametrize(("name", "status", "reason"), POSTMARK_TERMINAL)
def test_postmark_terminal_failures_fail_the_row(client, row, name, status, reason):
    payload = esp_json("postmark", name, outbox_id=row.pk)
    assert post(client, POSTMARK, payload).status_code == 200
    row.refresh_from_db()
    assert (row.status, suppression()) == (status, reason)
    assert row.error_code and row.failed_at is not None


@pytest.mark.parametrize("name", ["bounce_transient", "bounce_dns_error", "bounce_auto_responder"])
def test_postmark_delays_and_auto_replies_leave_the_row_sent(client, row, name):
    post(client, POSTMARK, esp_json("postmark", name, outbox_id=row.pk))
    row.refresh_from_db()
    assert row.status == SENT and not Suppression.objects.exists()


# Postmark bounce types that do not end a message's delivery without delivering it: deferrals Postmark retries,
# replies to a delivered message, a spam complaint (it reached the inbox), subscription changes and inbound errors.
POSTMARK_NOT_TERMINAL_FAILURES = {
    "Transient",
    "DnsError",
    "OpenRelayTest",
    "AutoResponder",
    "AddressChange",
    "ChallengeVerification",
    "Subscribe",
    "Unsubscribe",
    "ManualSuppression",
    "SpamComplaint",
    "InboundError",
}


@pytest.mark.parametrize("bounce_type", sorted(PostmarkTrackingWebhookView.event_types))
def test_every_postmark_bounce_type_anymail_knows_is_placed(client, row, bounce_type):
    """A bounce type anymail learns later must be placed on one side or the other, not left `sent` by accident."""
    post(client, POSTMARK, esp_json("postmark", "bounce_soft", outbox_id=row.pk, Type=bounce_type))
    row.refresh_from_db()
    if bounce_type in POSTMARK_NOT_TERMINAL_FAILURES:
        assert row.status in (SENT, MessageStatus.DELIVERED)
    else:
        assert row.status in (FAILED, BOUNCED), bounce_type


def test_postmark_types_anymail_does_not_count_as_failures_are_ours_to_fail():
    assert set(POSTMARK_UNDELIVERED) <= set(PostmarkTrackingWebhookView.event_types)


def test_a_mailgun_batch_event_without_metadata_finds_its_recipients_row(client):
    """Batch-sent rows share Mailgun's message id; the event's recipient picks the right one."""
    shared = "<20261126214638.1.4A7D468E9BC18C5D@mg.clinic.example>"
    ours = sent_sms_row(channel=Channel.EMAIL, sid=shared, contact=make_contact(email=EMAIL), provider="mailgun")
    other = sent_sms_row(
        channel=Channel.EMAIL, sid=shared, contact=make_contact(email="someone.else@example.com"), provider="mailgun"
    )
    payload = esp_json("mailgun", "failed_permanent_old")
    payload["event-data"]["user-variables"] = {}
    sign_mailgun(payload)
    post(client, MAILGUN, payload)
    ours.refresh_from_db()
    other.refresh_from_db()
    assert (ours.status, other.status) == (FAILED, SENT)
    assert json.dumps(DeliveryEvent.objects.get().payload).count(EMAIL) == 0


def test_a_legacy_form_with_a_nul_is_refused_and_writes_nothing(client, row, settings):
    settings.EMAIL_PROVIDER = "mailgun"
    fields = mailgun_legacy_form("legacy_dropped_old", outbox_id=row.pk)
    fields["description"] = "Too\x00old"
    assert client.post(MAILGUN, data=fields, **auth()).status_code == 400
    assert not DeliveryEvent.objects.exists()
