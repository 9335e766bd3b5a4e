"""The dashboard panel: numbers per day and channel from seeded rows, in a fixed number of queries."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.admin import dashboard
from outreach.consent.ledger import opt_out
from outreach.models import Channel, ConsentRecord, Consultation, InboundMessage, MessageStatus

from .conftest import make_row

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")


@pytest.fixture
def seeded(world):
    now = timezone.now()
    yesterday = now - datetime.timedelta(days=1)
    step, contact, consultation = world["step"], world["contact"], world["consultation"]
    statuses = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.DELIVERED, MessageStatus.BOUNCED)
    for index, status in enumerate(statuses):
        make_row(
            step, contact, None, status=status, sent_at=yesterday, due_at=yesterday - datetime.timedelta(seconds=index)
        )
    world["scheduled"].__dict__.update(status=MessageStatus.DELIVERED, sent_at=now)  # the consultation's email
    world["scheduled"].save()
    world["failed"].failed_at = now
    world["failed"].save()
    make_row(step, contact, None, status=MessageStatus.FAILED, failed_at=now, due_at=now - datetime.timedelta(hours=2))
    make_row(
        step,
        contact,
        None,
        status=MessageStatus.SENT,
        sent_at=now - datetime.timedelta(days=30),
        due_at=now - datetime.timedelta(days=30),
    )  # outside the window
    InboundMessage.objects.create(
        contact=contact,
        consultation=consultation,
        from_number="+1",
        body="C",
        kind=InboundMessage.Kind.CONFIRM,
        provider_message_id="SM-C",
    )
    Consultation.objects.create(
        external_id="NS-1",
        contact=contact,
        starts_at=now - datetime.timedelta(days=2),
        status=Consultation.Status.NO_SHOW,
    )
    opt_out(contact, Channel.SMS, ConsentRecord.Source.KEYWORD, wording="STOP")
    return now


def counts(stats, channel, day):
    entry = next(c for c in stats.by_channel[channel] if c.day == day)
    return entry.sent, entry.delivered, entry.failed


def test_numbers_per_day_and_channel(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        stats = dashboard.collect(now=seeded, zone=UTC)
    today = seeded.date()
    yesterday = today - datetime.timedelta(days=1)
    assert len(stats.days) == 14 and stats.days[-1] == today
    assert counts(stats, Channel.SMS, yesterday) == (4, 2, 1)
    assert counts(stats, Channel.SMS, today) == (0, 0, 2)  # the fixture's failed row and the seeded one
    assert counts(stats, Channel.EMAIL, today) == (1, 1, 0)
    assert stats.totals[Channel.SMS].sent == 4  # the 30-day-old message is left out
    assert (stats.reminded, stats.confirmed, stats.confirmation_rate) == (1, 1, 100)
    assert stats.no_shows == 1
    assert stats.opt_outs == 1


def test_panel_shows_chart_and_table(client, users, seeded):
    client.force_login(users["marketing_editor"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "<svg" in html and "<rect" in html
    yesterday = seeded.astimezone(zoneinfo.ZoneInfo("America/New_York")) - datetime.timedelta(days=1)
    assert 'data-table="sms"' in html and 'data-figure="no-shows">1<' in html
    assert yesterday.strftime("%Y-%m-%d") in html or seeded.strftime("%Y-%m-%d") in html
    assert "Dana" not in html  # counts only: no patient details on the dashboard
