"""The reminders a consultation has and will have, for the consultation screen.

The planner writes outbox rows only shortly before they are due (see outreach.engine.planner), so a visit booked for
next week has no rows yet. This lists both: rows already in the outbox, and the rows the planner will write for each
active step, with what would stop them today (no consent, suppression, a paused campaign).
"""

from dataclasses import dataclass

from django.utils import timezone

from outreach.consent import ledger
from outreach.engine.planner import rows_for
from outreach.models import CampaignStep, Channel, OutboundMessage, Suppression


@dataclass
class Reminder:
    step: CampaignStep
    channel: str
    due_at: object
    status: str  # an outbox status, or "planned" for a row the planner has not written yet
    message: OutboundMessage | None = None
    warning: str = ""

    @property
    def status_label(self):
        if self.message is None:
            return "Planned (not yet in the outbox)"
        return self.message.get_status_display()

    @property
    def detail(self):
        if self.message is not None:
            return self.message.get_skip_reason_display() or self.message.error_message
        return self.warning

    @property
    def channel_label(self):
        return Channel(self.channel).label


def upcoming_warning(step, contact, channel):
    if not step.campaign.active:
        return "campaign paused: will not be sent unless it is activated"
    if not ledger.has_consent(contact, channel, step.campaign.purpose):
        return f"no {Channel(channel).label} consent for {step.campaign.purpose}: would be skipped"
    address = contact.address_for(channel)
    if address and Suppression.is_suppressed(channel, address):
        return "address suppressed: would be skipped"
    return ""


def upcoming_steps(consultation, now):
    """(step, due moment) for each step the planner may still write a row for."""
    Trigger = CampaignStep.Trigger
    steps = CampaignStep.objects.select_related("campaign")
    if consultation.is_remindable and consultation.starts_at > now:
        for step in steps.filter(trigger=Trigger.BEFORE_START):
            yield step, consultation.starts_at - step.offset
    if consultation.status == consultation.Status.COMPLETED and consultation.completed_at:
        for step in steps.filter(trigger=Trigger.AFTER_COMPLETED):
            yield step, consultation.completed_at + step.offset


def reminders_for(consultation):
    rows = list(
        OutboundMessage.objects.filter(consultation=consultation)
        .select_related("step__campaign")
        .order_by("due_at", "pk")
    )
    reminders = [
        Reminder(step=row.step, channel=row.channel, due_at=row.due_at, status=row.status, message=row) for row in rows
    ]
    now = timezone.now()
    existing = {(row.step_id, row.consultation_starts_at, row.channel) for row in rows}
    for step, due_at in upcoming_steps(consultation, now):
        for row in rows_for(step, consultation, due_at=due_at):
            if (step.pk, row.consultation_starts_at, row.channel) in existing or row.not_after <= now:
                continue
            reminders.append(
                Reminder(
                    step=step,
                    channel=row.channel,
                    due_at=row.due_at,
                    status="planned",
                    warning=upcoming_warning(step, consultation.contact, row.channel),
                )
            )
    reminders.sort(key=lambda reminder: reminder.due_at)
    return reminders
