"""Safe campaign changes: before a change makes a campaign send, say who would be messaged and when, and ask.

The change (an edited or new campaign from its form, or an activation) is made for real inside a transaction that
is then rolled back, and the gate's forecast (outreach/admin/forecasts.py) is read in between: so what staff are
told is exactly what the engine would do, by its one implementation, not an estimate kept beside it.

What is asked:
- Steps that already fell due for existing consultations (an early "2 days before" step added to a live campaign,
  a campaign activated with visits tomorrow): these are never sent unless staff choose to ("backfill"); the
  campaign's `plan_from` records the choice (outreach.engine.planner.plan_window).
- Messages the change adds in the next days (a new or reactivated campaign, an earlier offset, a channel ticked).
A change that sends nothing new (wording, a paused campaign) is saved without asking.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from outreach.admin import forecasts
from outreach.admin.wording import plural
from outreach.models import Campaign

HORIZON_DAYS = 7
CHOICE_FIELD = "overdue_steps"
CONFIRM_FIELD = "change_confirmed"
SEND_OVERDUE, SKIP_OVERDUE = "send", "skip"


@dataclass
class DayCount:
    label: str
    messages: int


@dataclass
class Impact:
    overdue: list = field(default_factory=list)  # forecast lines due before now, unplanned, that would send
    added: list = field(default_factory=list)  # lines due in the next days that send after the change, not before
    horizon_days: int = HORIZON_DAYS

    @property
    def needs_asking(self):
        return bool(self.overdue or self.added)

    @property
    def added_patients(self):
        return len({line.contact.pk for line in self.added if line.contact})

    @property
    def overdue_patients(self):
        return len({line.contact.pk for line in self.overdue if line.contact})

    @property
    def first_added(self):
        return min((line.when for line in self.added), default=None)

    @property
    def overdue_range(self):
        dues = [line.due_at for line in self.overdue]
        return (min(dues), max(dues)) if dues else (None, None)

    def added_by_day(self, zone):
        days = {}
        for line in sorted(self.added, key=lambda line: line.when):
            local = line.when.astimezone(zone)
            key = f"{local:%a} {local.day} {local:%b}"
            days[key] = days.get(key, 0) + 1
        return [DayCount(label, count) for label, count in days.items()]

    def summary(self):
        parts = []
        if self.added:
            parts.append(
                f"{plural(self.added_patients, 'patient', 'patients')} would be messaged in the next "
                f"{self.horizon_days} days ({plural(len(self.added), 'message', 'messages')})"
            )
        if self.overdue:
            parts.append(
                f"{plural(self.overdue_patients, 'patient has', 'patients have')} steps that already fell due "
                f"({plural(len(self.overdue), 'message', 'messages')}), not sent unless you choose to"
            )
        return "; ".join(parts)


def _key(line):
    consultation = line.consultation
    return (consultation.pk if consultation else None, line.step.name, line.channel, line.due_at)


def _sending_lines(campaign_id, start, end, now):
    return [
        line
        for line in forecasts.in_window(start, end, now)
        if line.campaign.pk == campaign_id and line.message is None and line.decision.sends
    ]


def _window(campaign_id, now):
    lateness = Campaign.objects.filter(pk=campaign_id).aggregate(longest=Max("steps__max_lateness"))[
        "longest"
    ] or datetime.timedelta(0)
    back = lateness + datetime.timedelta(seconds=settings.OUTREACH_PLAN_LOOKBACK_SECONDS)
    return now - back, now + datetime.timedelta(days=HORIZON_DAYS)


def impact_of(make_change, *, campaign_id, now):
    """What `make_change()` (which saves the change and returns the campaign) would send, compared with today.

    The change is rolled back; nothing is written. `campaign_id` is None for a campaign not created yet."""
    before = set()
    if campaign_id is not None and Campaign.objects.filter(pk=campaign_id, active=True).exists():
        start, end = _window(campaign_id, now)
        before = {_key(line) for line in _sending_lines(campaign_id, now, end, now)}
    with transaction.atomic():
        campaign = make_change()
        if not campaign.active:
            transaction.set_rollback(True)
            return Impact()
        # What choosing to send the overdue steps would send: the planner's limit lifted.
        Campaign.objects.filter(pk=campaign.pk).update(plan_from=None)
        start, end = _window(campaign.pk, now)
        after = _sending_lines(campaign.pk, start, end, now)
        transaction.set_rollback(True)
    overdue = [line for line in after if line.due_at < now]
    added = [line for line in after if line.due_at >= now and _key(line) not in before]
    return Impact(overdue=overdue, added=added)


def plan_from_for(choice, now):
    """The campaign's `plan_from` after staff chose: None lets overdue steps be sent; else only steps due from now."""
    return None if choice == SEND_OVERDUE else now


def context(impact, zone):
    first, last = impact.overdue_range
    return {
        "impact": impact,
        "summary": impact.summary(),
        "added_by_day": impact.added_by_day(zone),
        "overdue_first": first,
        "overdue_last": last,
        "choice_field": CHOICE_FIELD,
        "confirm_field": CONFIRM_FIELD,
        "send_overdue": SEND_OVERDUE,
        "skip_overdue": SKIP_OVERDUE,
    }
