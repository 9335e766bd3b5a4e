"""What will happen to each message, as the admin shows it: the consultation page, the agenda and the campaign-change
check all read `gate.forecast` / `gate.forecast_window` (outreach.engine.gate), which apply the worker's own send-time
decision at the moment a message falls due. Nothing here decides; it only words and groups the gate's decisions.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from outreach.engine import gate
from outreach.engine.local_time import PATIENT_LABEL
from outreach.models import Channel, MessageStatus

# The outcomes staff filter by (the gate's verdicts), in the order of the filter.
OUTCOMES = {
    "send": "Will send",
    "defer": "Waits",
    "expire": "Will expire",
    "skip": "Skipped",
    "cancel": "Cancelled",
    "fail": "Failed",
}
STILL_OPEN = (MessageStatus.SCHEDULED, MessageStatus.SENDING)


@dataclass
class Line:
    """One message: a gate Forecast with what the screens need around it."""

    forecast: object

    @property
    def step(self):
        return self.forecast.step

    @property
    def campaign(self):
        return self.forecast.step.campaign

    @property
    def channel(self):
        return self.forecast.channel

    @property
    def channel_label(self):
        return Channel(self.forecast.channel).label

    @property
    def due_at(self):
        return self.forecast.due_at

    @property
    def message(self):
        return self.forecast.message

    @property
    def consultation(self):
        return self.forecast.consultation

    @property
    def contact(self):
        found = getattr(self.forecast, "contact", None)
        if found is None and self.consultation is not None:
            found = self.consultation.contact
        return found

    @property
    def settled(self):
        """The row already has its outcome (sent, failed, expired...): the screen says what happened."""
        return self.message is not None and self.message.status not in STILL_OPEN

    @property
    def decision(self):
        return self.forecast.decision

    @property
    def outcome(self):
        if self.decision is None:
            return {MessageStatus.SKIPPED: "skip", MessageStatus.EXPIRED: "expire"}.get(self.message.status, "cancel")
        return self.decision.verdict

    @property
    def outcome_label(self):
        if self.settled:
            return self.message.get_status_display()
        return OUTCOMES.get(self.outcome, self.outcome)

    @property
    def words(self):
        if self.decision is None:  # a row outside the forecast: what it recorded
            message = self.message
            detail = message.get_skip_reason_display() or message.error_message
            return f"{message.get_status_display().lower()}: {detail}" if detail else message.get_status_display()
        return self.decision.words

    @property
    def words_need_label(self):
        """The gate labels the patient times it writes; words naming only a time of day get the label here."""
        return f"({PATIENT_LABEL}," not in self.words

    @property
    def sends_at(self):
        decision = self.decision
        return decision.at if decision is not None and decision.verdict in ("send", "defer") else None

    @property
    def when(self):
        """The moment the agenda files the message under: when it will go, else when it falls due."""
        return self.sends_at or self.due_at


@dataclass(frozen=True)
class _Unforecast:
    """An outbox row the forecast does not cover (a paused campaign's history): shown as it stands."""

    message: object
    decision: object = None

    @property
    def step(self):
        return self.message.step

    @property
    def channel(self):
        return self.message.channel

    @property
    def due_at(self):
        return self.message.due_at

    @property
    def consultation(self):
        return self.message.consultation

    @property
    def contact(self):
        return self.message.contact


def for_consultation(consultation, now=None):
    """Every reminder and follow-up of one consultation: those in the outbox and those the planner will write, each
    with the gate's forecast; outbox rows the forecast leaves out (reminders for an earlier time of the visit) as
    they stand."""
    now = now or timezone.now()
    lines = [Line(forecast) for forecast in gate.forecast(consultation, now)]
    covered = {line.message.pk for line in lines if line.message is not None}
    others = consultation.messages.exclude(pk__in=covered).select_related("step__campaign", "contact")
    lines += [Line(_Unforecast(row)) for row in others]
    return sorted(lines, key=lambda line: line.due_at)


def in_window(start, end, now=None):
    now = now or timezone.now()
    return [Line(forecast) for forecast in gate.forecast_window(start, end, now)]


def days_ahead(now, days):
    return now, now + datetime.timedelta(days=days)
