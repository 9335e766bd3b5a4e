"""When a campaign step falls due for a consultation: one function for the planner, the forecast and the agenda.

A reminder is due `offset` before the visit, a follow-up `offset` after it was completed. A reminder due outside
the campaign's sending window (in the patient's zone) can be moved, per step (`CampaignStep.outside_window`):

- WAIT (the default): it stays due then; the worker holds it until the window opens and it expires if its latest
  sending delay runs out first (a 2-hour reminder of a 9:00 AM visit, due 7:00 AM, allowed 45 minutes).
- WINDOW_OPENS: it falls due when the window opens, if that is still before the visit (the same reminder goes at
  8:00 AM, an hour before the visit; a visit at 8:00 AM or earlier gets none, its 24-hour reminder stands).
- EVENING_BEFORE: it falls due one hour before the previous window closes (8:00 PM the evening before, with the
  default window), so early visits get it the evening before.

Only the due moment moves; every send-time rule still applies to it (outreach.engine.gate).
"""

import datetime

from outreach.engine import policy
from outreach.models import CampaignStep

Trigger = CampaignStep.Trigger
OutsideWindow = CampaignStep.OutsideWindow
# How far a moved due moment can be from `starts_at - offset`: less than a day either way.
MAX_SHIFT = datetime.timedelta(days=1)


def max_shift(step):
    """How far the planner must widen its search around `starts_at - offset` for this step."""
    if step.trigger == Trigger.BEFORE_START and step.outside_window != OutsideWindow.WAIT:
        return MAX_SHIFT
    return datetime.timedelta(0)


def due_at(step, consultation):
    """When `step` falls due for `consultation` (None when it never does: a follow-up of a visit not completed)."""
    if step.trigger == Trigger.AFTER_COMPLETED:
        return consultation.completed_at + step.offset if consultation.completed_at else None
    if step.trigger != Trigger.BEFORE_START:
        return None
    return reminder_due_at(step, consultation.starts_at, consultation.contact.zone)


def reminder_due_at(step, starts_at, zone):
    due = starts_at - step.offset
    campaign = step.campaign
    opens, closes = campaign.quiet_hours_start, campaign.quiet_hours_end
    local = due.astimezone(zone)
    if step.outside_window == OutsideWindow.WAIT or opens <= local.time() < closes:
        return due
    if step.outside_window == OutsideWindow.WINDOW_OPENS:
        opening = policy.next_allowed_moment(due, zone, opens, closes)
        return opening if opening < starts_at else due
    # EVENING_BEFORE: the window before `due` is today's when `due` is after it closed, else yesterday's.
    day = local.date() if local.time() >= closes else local.date() - datetime.timedelta(days=1)
    window_opens = datetime.datetime.combine(day, opens, tzinfo=zone)
    moved = max(datetime.datetime.combine(day, closes, tzinfo=zone) - datetime.timedelta(hours=1), window_opens)
    return moved.astimezone(datetime.UTC)
