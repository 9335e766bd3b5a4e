"""The outbox: filters, a failed message's error, retry, cancel, and the CSV export."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from outreach.models import Channel, MessageStatus

from .conftest import make_row

pytestmark = pytest.mark.django_db


def listed(client, **params):
    html = client.get(reverse("outreach_outbox:index"), params).content.decode()
    return html


@pytest.mark.parametrize(
    ("params", "shows_failed", "shows_scheduled"),
    [
        ({"status": "failed"}, True, False),
        ({"status": "scheduled"}, False, True),
        ({"channel": "email"}, False, True),
        ({"channel": "sms"}, True, False),
    ],
)
def test_filters(admin_user_client, world, params, shows_failed, shows_scheduled):
    html = listed(admin_user_client, **params)
    assert (reverse("outreach_outbox:inspect", args=[world["failed"].pk]) in html) is shows_failed
    assert (reverse("outreach_outbox:inspect", args=[world["scheduled"].pk]) in html) is shows_scheduled


def test_filter_by_campaign_and_date(admin_user_client, world):
    other_step = world["education"].steps.get()
    old = make_row(other_step, world["contact"], scheduled_for=timezone.now() - datetime.timedelta(days=20))
    html = listed(admin_user_client, campaign=world["education"].pk)
    assert reverse("outreach_outbox:inspect", args=[old.pk]) in html
    assert reverse("outreach_outbox:inspect", args=[world["failed"].pk]) not in html
    today = timezone.now().date().isoformat()
    html = listed(admin_user_client, scheduled_for_from=today)
    assert reverse("outreach_outbox:inspect", args=[old.pk]) not in html
    assert reverse("outreach_outbox:inspect", args=[world["failed"].pk]) in html


def test_detail_shows_the_error(admin_user_client, world):
    html = admin_user_client.get(reverse("outreach_outbox:inspect", args=[world["failed"].pk])).content.decode()
    assert "30003" in html and "Unreachable destination handset" in html
    assert 'data-action="retry"' in html


def test_retry_reschedules_now_and_is_audited(admin_user_client, world):
    row = world["failed"]
    row.lease_expires_at = timezone.now()
    row.provider_call_started_at = timezone.now() - datetime.timedelta(minutes=5)
    row.save()
    before = timezone.now()
    response = admin_user_client.post(reverse("outreach_outbox:retry", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == MessageStatus.SCHEDULED
    assert row.scheduled_for >= before
    assert (row.error_code, row.error_message, row.lease_expires_at, row.provider_call_started_at) == (
        "",
        "",
        None,
        None,
    )
    entry = ModelLogEntry.objects.get(action="outreach.outbox.retry", object_id=str(row.pk))
    assert entry.user == admin_user_client.user


def test_retry_refuses_an_expired_message(admin_user_client, world):
    row = world["failed"]
    row.not_after = timezone.now() - datetime.timedelta(minutes=1)
    row.save()
    response = admin_user_client.post(reverse("outreach_outbox:retry", args=[row.pk]), follow=True)
    assert "expired" in response.content.decode()
    row.refresh_from_db()
    assert row.status == MessageStatus.FAILED
    assert not ModelLogEntry.objects.filter(action="outreach.outbox.retry").exists()


def test_cancel_scheduled(admin_user_client, world):
    row = world["scheduled"]
    assert admin_user_client.post(reverse("outreach_outbox:cancel", args=[row.pk])).status_code == 302
    row.refresh_from_db()
    assert row.status == MessageStatus.CANCELLED
    assert ModelLogEntry.objects.filter(action="outreach.outbox.cancel", user=admin_user_client.user).exists()


def test_cancel_refuses_a_failed_message(admin_user_client, world):
    admin_user_client.post(reverse("outreach_outbox:cancel", args=[world["failed"].pk]))
    world["failed"].refresh_from_db()
    assert world["failed"].status == MessageStatus.FAILED


def test_csv_export_columns(admin_user_client, world):
    response = admin_user_client.get(reverse("outreach_outbox:index"), {"export": "csv", "status": "failed"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header = [name.lower() for name in rows[0]]
    assert header[:8] == [
        "id",
        "created at (utc)",
        "due at (utc)",
        "scheduled for (utc)",
        "not after (utc)",
        "channel",
        "status",
        "skip reason",
    ]
    assert {"campaign", "step", "contact id", "consultation", "error code", "error message"} <= set(header)
    [row] = rows[1:]
    record = dict(zip(header, row, strict=True))
    assert record["status"] == "failed" and record["channel"] == Channel.SMS
    assert record["campaign"] == "Visit reminders" and record["error code"] == "30003"
    assert str(world["contact"].phone) not in ",".join(row)
