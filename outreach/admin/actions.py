"""What staff can do to engine records from the admin, each a small function with its rules and audit entry.

Kept apart from the views so the rules read in one place and tests can call them directly.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from outreach.admin.audit import audit
from outreach.admin.wording import plural
from outreach.consent.ledger import OPT_OUT_CANCEL_REASON, cancel_pending, record_consent
from outreach.engine.planner import consultation_changed
from outreach.models import ConsentRecord, Consultation, MessageStatus, OutboundMessage

Status = Consultation.Status
# The outcomes staff record by hand. Confirmed and reschedule-requested come from the patient's replies.
STAFF_STATUSES = {
    "completed": Status.COMPLETED,
    "cancelled": Status.CANCELLED,
    "no_show": Status.NO_SHOW,
}


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str


def set_consultation_status(consultation, status, user, now=None):
    """Record a visit's outcome and keep its reminders true to it (a cancelled visit gets no reminder)."""
    now = now or timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        previous_status, previous_starts_at = consultation.status, consultation.starts_at
        if previous_status == status:
            return Outcome(False, f"The consultation is already {consultation.get_status_display().lower()}.")
        consultation.status = status
        if status == Status.COMPLETED:
            consultation.completed_at = consultation.completed_at or now
        consultation.save(update_fields=["status", "completed_at", "updated_at"])
        changed = consultation_changed(
            consultation, previous_starts_at=previous_starts_at, previous_status=previous_status
        )
        audit(
            consultation,
            "outreach.consultation.status",
            user,
            previous=previous_status,
            status=status,
            reminders_changed=changed,
        )
    label = consultation.get_status_display().lower()
    return Outcome(True, f"Marked {label}; {plural(changed, 'pending reminder', 'pending reminders')} updated.")


def retry_message(message, user, now=None):
    """Put a failed row back in the queue, unless it is past its lateness (then it is not worth sending)."""
    now = now or timezone.now()
    if message.status != MessageStatus.FAILED:
        return Outcome(False, "Only failed messages can be retried.")
    if now >= message.not_after:
        return Outcome(False, "This message is past its latest useful moment (it has expired): it was not retried.")
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
            status=MessageStatus.SCHEDULED,
            scheduled_for=now,
            error_code="",
            error_message="",
            lease_expires_at=None,
            provider_call_started_at=None,
            failed_at=None,
            updated_at=now,
        )
        if not updated:
            return Outcome(False, "The message changed meanwhile; nothing was done.")
        audit(message, "outreach.outbox.retry", user, previous_error=message.error_code)
    return Outcome(True, "The message is scheduled to be sent again now.")


def cancel_message(message, user, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(pk=message.pk, status=MessageStatus.SCHEDULED).update(
            status=MessageStatus.CANCELLED, error_message="cancelled by staff", updated_at=now
        )
        if not updated:
            return Outcome(False, "Only scheduled messages can be cancelled (this one is already on its way or done).")
        audit(message, "outreach.outbox.cancel", user)
    return Outcome(True, "The message was cancelled.")


def record_staff_consent(contact, *, channel, purpose, granted, wording, reason, user):
    """Append a staff consent change to the ledger (raises ValidationError when the rules refuse it)."""
    with transaction.atomic():
        record = record_consent(
            contact, channel, purpose, granted, ConsentRecord.Source.ADMIN, wording=wording, reason=reason, user=user
        )
        cancelled = 0
        if not granted:
            cancelled = cancel_pending(
                contact, channel, purposes=[purpose], reason=f"{OPT_OUT_CANCEL_REASON} (recorded by staff)"
            )
        audit(
            contact,
            "outreach.consent.record",
            user,
            channel=channel,
            purpose=purpose,
            granted=granted,
            record=record.pk if record else None,
            cancelled=cancelled,
        )
    return record


def mark_handled(inbound, user, now=None):
    now = now or timezone.now()
    if inbound.handled_at is not None:
        return Outcome(False, "This reply was already handled.")
    inbound.handled_at = now
    inbound.handled_by = user
    inbound.save(update_fields=["handled_at", "handled_by"])
    audit(inbound, "outreach.inbox.handled", user)
    return Outcome(True, "Marked handled.")


FROM_NOW = object()


def set_campaign_active(campaign, active, user, *, plan_from=FROM_NOW):
    """Activate or pause. Activating sets `plan_from` (by default now): steps due before it are never sent (None:
    staff chose to send the steps that already fell due too)."""
    if plan_from is FROM_NOW:
        plan_from = timezone.now()
    if campaign.active == active:
        return Outcome(False, f"The campaign is already {'active' if active else 'paused'}.")
    campaign.active = active
    fields = ["active", "updated_at"]
    if active:
        campaign.plan_from = plan_from
        fields.append("plan_from")
    campaign.save(update_fields=fields)
    if active:
        audit(campaign, "outreach.campaign.activate", user, send_overdue_steps=plan_from is None)
    else:
        audit(campaign, "outreach.campaign.pause", user)
    return Outcome(True, f"'{campaign}' is now {'active' if active else 'paused'}.")
