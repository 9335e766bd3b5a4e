"""When a step falls due (outreach/engine/timing.py), and the planner's two rules about it: moved reminders are
planned at their moved time, and a campaign never backfills steps that fell due before it was activated."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from outreach.engine import timing
from outreach.engine.planner import plan_due
from outreach.models import CampaignStep, OutboundMessage
from tests.outreach.factories import make_campaign, make_consultation, make_contact

pytestmark = pytest.mark.django_db
NY = zoneinfo.ZoneInfo("America/New_York")
W = CampaignStep.OutsideWindow


def local(day, hour, minute=0):
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=NY).astimezone(datetime.UTC)


def two_hour_step(option):
    campaign = make_campaign(steps=[{"offset": datetime.timedelta(hours=2), "outside_window": option}])
    return campaign.steps.get()


@pytest.mark.parametrize(
    ("option", "visit", "expected"),
    [
        (W.WAIT, local(2, 9), local(2, 7)),  # stays due before the window: the worker holds it, then expires it
        (W.WINDOW_OPENS, local(2, 9), local(2, 8)),  # the window's opening, an hour before the visit
        (W.WINDOW_OPENS, local(2, 8), local(2, 6)),  # the opening is the visit itself: not moved (it will expire)
        (W.EVENING_BEFORE, local(2, 9), local(1, 20)),  # an hour before yesterday's window closed
        (W.EVENING_BEFORE, local(2, 22, 30), local(2, 20, 30)),  # due 8:30 PM: inside the window, not moved
        (W.EVENING_BEFORE, local(2, 23, 30), local(2, 20)),  # due 9:30 PM, after today's window: today's
        (W.WINDOW_OPENS, local(2, 14), local(2, 12)),  # inside the window: never moved
    ],
)
def test_due_moment_per_option(option, visit, expected):
    step = two_hour_step(option)
    assert timing.reminder_due_at(step, visit, NY) == expected


def test_moved_reminders_are_planned_at_their_moved_time():
    """The planner finds a reminder moved to the window's opening though `starts_at - offset` is an hour earlier,
    and only when the moved moment comes near."""
    two_hour_step(W.WINDOW_OPENS)
    consultation = make_consultation(make_contact(time_zone="America/New_York"), starts_at=local(2, 9))
    assert plan_due(local(2, 6, 55)) == 0  # the plain due time (7:00) is near: not planned then
    assert plan_due(local(2, 7, 50)) == 1  # ten minutes before the window opens
    row = OutboundMessage.objects.get()
    assert row.consultation == consultation
    assert (row.due_at, row.not_after) == (local(2, 8), local(2, 9))  # never later than the visit


def test_no_backfill_of_steps_due_before_activation():
    now = timezone.now()
    campaign = make_campaign(
        steps=[{"offset": datetime.timedelta(hours=24), "max_lateness": datetime.timedelta(hours=4)}]
    )
    overdue = make_consultation(in_hours=23)  # fell due an hour ago: still inside its lateness
    campaign.plan_from = now - datetime.timedelta(minutes=5)  # activated five minutes ago
    campaign.save()
    assert plan_due(now) == 0
    campaign.plan_from = None  # staff chose to send the overdue steps too
    campaign.save()
    assert plan_due(now) == 1
    assert OutboundMessage.objects.get().consultation == overdue


def test_steps_due_after_activation_are_planned():
    now = timezone.now()
    campaign = make_campaign()
    make_consultation(in_hours=24.1)
    campaign.plan_from = now - datetime.timedelta(minutes=5)
    campaign.save()
    assert plan_due(now) == 1
