"""The dashboard panel: numbers per day and channel from seeded rows, in a fixed number of queries."""

import datetime
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from outreach.admin import dashboard
from outreach.consent.ledger import opt_out
from outreach.models import Channel, ConsentRecord, Consultation, InboundMessage, MessageStatus, OutboundMessage

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
    # Chart, outcomes, visits, opt-outs, inbox, review queue: the same six whatever the volume.
    with django_assert_max_num_queries(6):
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


def test_every_outcome_is_counted_with_its_reasons(world):
    now = timezone.now()
    step, contact = world["step"], world["contact"]
    earlier = now - datetime.timedelta(hours=3)
    skip = OutboundMessage.SkipReason
    for index, (status, fields) in enumerate(
        [
            (MessageStatus.SKIPPED, {"skip_reason": skip.NO_CONSENT}),
            (MessageStatus.SKIPPED, {"skip_reason": skip.NO_CONSENT}),
            (MessageStatus.SKIPPED, {"skip_reason": skip.FREQUENCY_CAP}),
            (MessageStatus.EXPIRED, {"error_message": "quiet hours last past its maximum lateness"}),
            (MessageStatus.CANCELLED, {"error_message": "consultation cancelled"}),
            (MessageStatus.DELIVERED, {}),
        ]
    ):
        make_row(step, contact, None, status=status, due_at=earlier - datetime.timedelta(seconds=index), **fields)
    stats = dashboard.collect(now=now, zone=UTC)
    assert [outcome.status for outcome in stats.outcomes] == list(MessageStatus.values)  # every status, even at 0
    skipped = stats.outcome(MessageStatus.SKIPPED)
    assert (skipped.count, skipped.reasons) == (3, [("No consent", 2), ("Frequency cap reached", 1)])
    expired = stats.outcome(MessageStatus.EXPIRED)
    assert expired.reasons == [("quiet hours last past its maximum lateness", 1)]
    assert stats.outcome(MessageStatus.CANCELLED).reasons == [("consultation cancelled", 1)]
    failed = stats.outcome(MessageStatus.FAILED)  # the fixture's row, due now
    assert (failed.count, failed.reasons) == (1, [("30003 Unreachable destination handset", 1)])
    assert stats.outcome(MessageStatus.SENDING).count == 0


def test_what_needs_action_comes_first_with_links_for_who_may_follow_them(client, users, world):
    InboundMessage.objects.create(
        contact=world["contact"],
        from_number="+1",
        body="help me",
        kind=InboundMessage.Kind.CRISIS,
        urgent=True,
        provider_message_id="SM-X",
    )
    client.force_login(users["outreach_admin"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    panel = soup.select_one("[data-outreach-dashboard]")
    first_list = panel.find(["ul", "table"])
    assert first_list.has_attr("data-needs-action")  # before the outcomes and the chart
    items = {li["data-action-item"]: li for li in first_list.select("li")}
    assert list(items) == ["failed", "expired", "open-inbox", "pages-awaiting-review"]
    assert items["failed"].get_text(strip=True) == "1 failed or bounced message"
    assert items["failed"].a["href"] == "/admin/outreach/outbox/?status=failed&status=bounced"
    assert items["open-inbox"].get_text(" ", strip=True) == "2 patient replies waiting for staff (1 possible crisis)"
    assert items["open-inbox"].a["href"].endswith("?open=true")
    assert items["expired"].a is None  # nothing to follow at 0

    client.force_login(users["marketing_editor"])
    soup = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content.decode(), "html.parser")
    items = {li["data-action-item"]: li for li in soup.select("[data-needs-action] li")}
    assert items["failed"].a is None and items["open-inbox"].a is None  # counts, but no patient screens
    assert "1 failed or bounced message" in items["failed"].get_text()


def test_pages_awaiting_review_are_counted(world, users):
    from tests.cms.factories import make_article, make_site_tree

    _home, index = make_site_tree()[:2]
    article = make_article(index, publish=False, title="Draft")
    article.save_revision(user=users["marketing_editor"])
    article.get_workflow().start(article, users["marketing_editor"])
    assert dashboard.collect().pages_awaiting_review == 1
