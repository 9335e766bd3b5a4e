"""The consent ledger's rules. Records are appended, never edited; the latest record per channel and purpose wins.

An opt-out the patient made themself (keyword, unsubscribe or preference link, a provider's opt-out report) is
lifted only by the patient: a later import row or API call that repeats "consent: yes" is ignored, and staff must
record the patient's own wording to lift it.
"""

from django.core.exceptions import ValidationError

from outreach.models import Channel, ConsentRecord, MessageStatus, OutboundMessage, Purpose

Source = ConsentRecord.Source
# Sources that speak for the booking system rather than the patient: they repeat what a form once said.
SYSTEM_SOURCES = frozenset({Source.IMPORT, Source.API})


def latest(contact, channel, purpose):
    return (
        ConsentRecord.objects.filter(contact=contact, channel=channel, purpose=purpose, pending=False)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def has_consent(contact, channel, purpose):
    record = latest(contact, channel, purpose)
    return bool(record and record.granted)


def granted_pairs(contact_ids, purpose):
    """{(contact id, channel)} whose current consent for `purpose` is granted, for many contacts in one query."""
    current = {}
    for contact_id, channel, granted in (
        ConsentRecord.objects.filter(contact_id__in=contact_ids, purpose=purpose, pending=False)
        .order_by("recorded_at", "pk")
        .values_list("contact_id", "channel", "granted")
    ):
        current[(contact_id, channel)] = granted  # later records overwrite earlier ones
    return {pair for pair, granted in current.items() if granted}


def patient_opted_out(record):
    return record is not None and not record.granted and record.source in ConsentRecord.PATIENT_SOURCES


def record_consent(contact, channel, purpose, granted, source, *, wording="", reason="", user=None):
    """Append a consent event if the rules allow it. Returns the new record, or None when it changes nothing or
    may not override the patient's own opt-out."""
    current = latest(contact, channel, purpose)
    if source in SYSTEM_SOURCES:
        if current is not None and current.granted == granted:
            return None  # a re-import saying the same thing is not a new event
        if granted and patient_opted_out(current):
            return None  # only the patient lifts their opt-out
    if source == Source.ADMIN and granted and patient_opted_out(current) and not wording.strip():
        raise ValidationError(
            {"wording": "This patient opted out themself: record the patient's own words asking to receive messages."}
        )
    return ConsentRecord.objects.create(
        contact=contact,
        channel=channel,
        purpose=purpose,
        granted=granted,
        source=source,
        wording=wording,
        reason=reason,
        recorded_by=user,
    )


def opt_out(contact, channel, source, *, wording="", reason="", purposes=None):
    """Record an opt-out for every purpose (or those given) and cancel the channel's pending messages."""
    purposes = purposes or Purpose.values
    for purpose in purposes:
        record_consent(contact, channel, purpose, False, source, wording=wording, reason=reason)
    return cancel_pending(contact, channel, purposes=purposes, reason="opted out")


def cancel_pending(contact, channel, *, purposes=None, reason):
    """Cancel messages not yet handed to a worker. Those already claimed re-check consent before sending."""
    pending = OutboundMessage.objects.filter(contact=contact, channel=channel, status=MessageStatus.SCHEDULED)
    if purposes is not None:
        pending = pending.filter(step__campaign__purpose__in=purposes)
    return pending.update(status=MessageStatus.CANCELLED, error_message=reason)


__all__ = ["Channel", "cancel_pending", "has_consent", "latest", "opt_out", "patient_opted_out", "record_consent"]
