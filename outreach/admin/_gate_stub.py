"""TEMPORARY stand-in for outreach.engine.gate's forecast (the `gate` branch owns the real one; /work/scratch/GATE.md).

Only used by outreach/admin/forecasts.py while outreach.engine.gate does not exist; deleted when gate is merged.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from outreach.consent import ledger
from outreach.engine import policy, timing
from outreach.engine.planner import plan_window, rows_for
from outreach.models import (
    CampaignStep,
    Channel,
    Consultation,
    MessageStatus,
    OutboundMessage,
    Suppression,
)


@dataclass(frozen=True)
class Decision:
    verdict: str
    at: datetime.datetime | None
    reason: str
    words: str

    @property
    def sends(self):
        return self.verdict in ("send", "defer")


@dataclass(frozen=True)
class Forecast:
    step: CampaignStep
    channel: str
    due_at: datetime.datetime
    decision: Decision
    message: OutboundMessage | None
    consultation: Consultation | None = None


def _clock(moment, zone):
    local = moment.astimezone(zone)
    return f"{local.strftime('%I').lstrip('0')}:{local:%M %p} {local.tzname()}"


def _decide(step, consultation, channel, due_at, not_after, now):
    contact, campaign = consultation.contact, step.campaign
    label = Channel(channel).label
    if not campaign.active:
        return Decision("skip", None, "campaign paused", "not sent: the campaign is paused")
    address = contact.address_for(channel)
    if not address:
        return Decision("skip", None, "no address", f"skipped: no {label} address")
    if channel == Channel.SMS and not contact.sms_reachable:
        return Decision("skip", None, "unreachable", "skipped: the number cannot receive texts")
    if not ledger.has_consent(contact, channel, campaign.purpose):
        return Decision("skip", None, "no consent", f"skipped: no {label} consent")
    if Suppression.is_suppressed(channel, address):
        return Decision("skip", None, "suppressed", "skipped: address suppressed")
    moment = max(due_at, now)
    if moment > not_after:
        return Decision("expire", None, "late", "will expire: past its latest sending delay")
    allowed = policy.next_allowed_moment(moment, contact.zone, campaign.quiet_hours_start, campaign.quiet_hours_end)
    if allowed > not_after:
        lateness = step.max_lateness
        words = (
            f"will expire: quiet hours last until {_clock(allowed, contact.zone)} and the step allows "
            f"{int(lateness.total_seconds() // 60)} minutes"
        )
        return Decision("expire", None, "quiet hours", words)
    return Decision("send", allowed, "", f"will send at {_clock(allowed, contact.zone)}")


def _row_forecast(row, now):
    if row.status == MessageStatus.SCHEDULED:
        decision = _decide(row.step, row.consultation, row.channel, row.scheduled_for, row.not_after, now)
    else:
        decision = Decision("done", None, row.status, row.get_status_display().lower())
    return Forecast(row.step, row.channel, row.due_at, decision, row, row.consultation)


def _planned(step, consultation, now):
    due = timing.due_at(step, consultation)
    if due is None:
        return
    earliest, _ = plan_window(step, now)
    for row in rows_for(step, consultation, due_at=due):
        if due <= earliest:
            words = "not sent: fell due before the campaign was activated"
            decision = Decision("skip", None, "before activation", words)
        else:
            decision = _decide(step, consultation, row.channel, due, row.not_after, now)
        yield Forecast(step, row.channel, due, decision, None, consultation)


def _steps():
    return list(
        CampaignStep.objects.filter(campaign__active=True)
        .exclude(trigger=CampaignStep.Trigger.NEW_ARTICLE)
        .select_related("campaign")
    )


def _wanted(step, consultation, now):
    if step.trigger == CampaignStep.Trigger.BEFORE_START:
        return consultation.is_remindable and consultation.starts_at > now
    return consultation.status == Consultation.Status.COMPLETED


def forecast(consultation, now):
    rows = list(OutboundMessage.objects.filter(consultation=consultation).select_related("step__campaign", "contact"))
    for row in rows:
        row.consultation = consultation
    result = [_row_forecast(row, now) for row in rows]
    keys = {(row.step_id, row.consultation_starts_at, row.channel) for row in rows}
    for step in _steps():
        if _wanted(step, consultation, now):
            result.extend(
                f for f in _planned(step, consultation, now) if (step.pk, consultation.starts_at, f.channel) not in keys
            )
    return sorted(result, key=lambda f: f.due_at)


def forecast_window(start, end, now):
    result = []
    rows = (
        OutboundMessage.objects.filter(status=MessageStatus.SCHEDULED, scheduled_for__gte=start, scheduled_for__lt=end)
        .exclude(consultation=None)
        .select_related("step__campaign", "contact", "consultation__contact")
    )
    keys = set()
    for row in rows:
        keys.add((row.step_id, row.consultation_id, row.consultation_starts_at, row.channel))
        result.append(_row_forecast(row, now))
    for step in _steps():
        shift = timing.max_shift(step)
        if step.trigger == CampaignStep.Trigger.BEFORE_START:
            query = Q(
                status__in=Consultation.REMINDABLE,
                starts_at__gt=max(now, start + step.offset - shift),
                starts_at__lte=end + step.offset + shift,
            )
        else:
            query = Q(
                status=Consultation.Status.COMPLETED,
                completed_at__gte=start - step.offset,
                completed_at__lt=end - step.offset,
            )
        for consultation in Consultation.objects.filter(query).select_related("contact"):
            for f in _planned(step, consultation, now):
                if not (start <= f.due_at < end):
                    continue
                key = (step.pk, consultation.pk, consultation.starts_at, f.channel)
                if key in keys:
                    continue
                exists = OutboundMessage.objects.filter(
                    step=step,
                    consultation=consultation,
                    consultation_starts_at=consultation.starts_at,
                    channel=f.channel,
                ).first()
                result.append(_row_forecast(exists, now) if exists else f)
    return sorted(result, key=lambda f: f.due_at)
