"""The consent ledger's rules. Records are appended, never edited; the latest record per channel and purpose wins.

Precedence (one rule, `record_consent`, every writer goes through it):
- A "no" recorded by anyone but the booking system (an SMS keyword, an unsubscribe or preference link, a provider's
  opt-out report such as Twilio 21610 or Advanced Opt-Out, staff recording what the patient said) is the patient's
  no. Only the patient lifts it: a keyword (START), the preference page, a confirmation, a provider reporting the
  patient's own START, or staff recording the patient's own words (`wording` is then required).
- The booking system (CSV import, API) repeats what a form once said: a "yes" from it never lifts such a no, and a
  value equal to the current one is not a new event. Its own "no" is its state, which its later "yes" may change.
- An opt-out from a number that is not yet a contact's is remembered by address (a Suppression with reason
  `opted_out`); when the number becomes a contact's, `adopt_address_opt_out` writes it into the ledger.
- When consent comes back (no -> yes), unsent messages that were cancelled by the opt-out, or skipped for want of
  consent, come back too if they are still useful (`restore_after_grant`).
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from outreach.models import (
    Channel,
    ConsentRecord,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    Purpose,
    Suppression,
)
from outreach.models.outbox import STOPPED_FOR_OPT_OUT
from outreach.models.suppressions import address_digests

Source = ConsentRecord.Source
# Sources that speak for the booking system rather than the patient: they repeat what a form once said.
SYSTEM_SOURCES = frozenset({Source.IMPORT, Source.API})
STAFF_LIFT_NEEDS_WORDS = "This patient opted out themself: record the patient's own words asking to receive messages."
# Written on the rows an opt-out cancelled: the rows a later opt-in may bring back.
OPT_OUT_CANCEL_REASON = STOPPED_FOR_OPT_OUT


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


def pending_request(contact, channel):
    """The subscription request awaiting confirmation on a channel, if any (newer than the current consent)."""
    request = (
        ConsentRecord.objects.filter(contact=contact, channel=channel, purpose=Purpose.EDUCATION, pending=True)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    current = latest(contact, channel, Purpose.EDUCATION)
    if request is None or (current is not None and current.recorded_at >= request.recorded_at):
        return None
    return request


def opted_out_of(contact, channel, purposes=None):
    """True when the patient's own "no" holds on this channel for any of `purposes` (default: any purpose): what
    one-off messages respect."""
    return any(patient_opted_out(latest(contact, channel, purpose)) for purpose in purposes or Purpose.values)


def patient_opted_out(record):
    """True when `record` is an opt-out only the patient can lift: any "no" not sent by the booking system."""
    return record is not None and not record.granted and record.source not in SYSTEM_SOURCES


def may_lift(source, wording):
    """Whether a "yes" from `source` speaks for the patient, so it may lift the patient's opt-out."""
    if source == Source.ADMIN:
        return bool(wording.strip())
    return source in ConsentRecord.PATIENT_SOURCES


def record_consent(contact, channel, purpose, granted, source, *, wording="", reason="", user=None, now=None):
    """Append a consent event if the rules allow it. Returns the new record, or None when it changes nothing or
    may not override the patient's own opt-out. Staff lifting an opt-out without the patient's words is a
    ValidationError (they are told what is missing); any other source is ignored."""
    current = latest(contact, channel, purpose)
    if source in SYSTEM_SOURCES and current is not None and current.granted == granted:
        return None  # a re-import saying the same thing is not a new event
    if granted and patient_opted_out(current) and not may_lift(source, wording):
        if source == Source.ADMIN:
            raise ValidationError({"wording": STAFF_LIFT_NEEDS_WORDS})
        return None  # only the patient lifts their opt-out
    record = ConsentRecord.objects.create(
        contact=contact,
        channel=channel,
        purpose=purpose,
        granted=granted,
        source=source,
        wording=wording,
        reason=reason,
        recorded_by=user,
    )
    if granted:
        if may_lift(source, wording):
            address = contact.address_for(channel)
            if address:
                Suppression.lift_opt_out(channel, address)
        if current is None or not current.granted:
            restore_after_grant(contact, channel, purpose, now=now)
    return record


def opt_out(contact, channel, source, *, wording="", reason="", purposes=None):
    """Record an opt-out for every purpose (or those given) and cancel the channel's pending messages."""
    purposes = purposes or Purpose.values
    for purpose in purposes:
        record_consent(contact, channel, purpose, False, source, wording=wording, reason=reason)
    return cancel_pending(contact, channel, purposes=purposes, reason=OPT_OUT_CANCEL_REASON)


def cancel_pending(contact, channel, *, purposes=None, reason):
    """Cancel messages not yet handed to a worker. Those already claimed re-check consent before sending."""
    pending = OutboundMessage.objects.filter(contact=contact, channel=channel, status=MessageStatus.SCHEDULED)
    if purposes is not None:
        pending = pending.filter(step__campaign__purpose__in=purposes)
    return pending.update(status=MessageStatus.CANCELLED, error_message=reason, updated_at=timezone.now())


def restore_after_grant(contact, channel, purpose, *, now=None):
    """Bring back what the missing consent stopped and is still useful (OutboxQuerySet.revive). Returns how many."""
    now = now or timezone.now()
    rows = OutboundMessage.objects.filter(contact=contact, channel=channel, step__campaign__purpose=purpose)
    return rows.revive(now)


# -- Opt-outs from numbers that are not yet a contact's ----------------------------------------------------------


def opt_out_address(channel, address):
    """Remember an opt-out from an address no contact holds. Returns True if it is new (confirm it once)."""
    if Suppression.is_suppressed(channel, address):
        return False
    Suppression.add(channel, address, Suppression.Reason.OPTED_OUT)
    return True


def lift_address_opt_out(channel, address):
    """The patient asked for messages again from an address no contact holds (START). Returns True if it had opted
    out. Only an `opted_out` suppression is lifted; bounces, complaints and erasures stay."""
    return Suppression.lift_opt_out(channel, address)


def adopt_address_opt_out(contact):
    """When a number with a remembered opt-out becomes a contact's: write the opt-out into the contact's ledger (so
    staff see it, with the words the patient texted, and the booking system's "yes" cannot lift it) and forget the
    address-level row. Returns True if there was one."""
    address = contact.address_for(Channel.SMS)
    if not address:
        return False
    suppression = Suppression.objects.filter(
        channel=Channel.SMS,
        address_hash__in=address_digests(Channel.SMS, address),
        reason=Suppression.Reason.OPTED_OUT,
    ).first()
    if suppression is None:
        return False
    texted = (
        InboundMessage.objects.filter(from_number=address, contact__isnull=True, kind=InboundMessage.Kind.OPT_OUT)
        .order_by("-received_at", "-pk")
        .values_list("body", flat=True)
        .first()
    )
    opt_out(
        contact,
        Channel.SMS,
        Source.KEYWORD,
        wording=(texted or "STOP")[:500],
        reason=f"Texted an opt-out from this number on {suppression.created_at:%Y-%m-%d}, before it was a contact's",
    )
    suppression.delete()
    return True


__all__ = [
    "Channel",
    "adopt_address_opt_out",
    "cancel_pending",
    "has_consent",
    "latest",
    "lift_address_opt_out",
    "opt_out",
    "opt_out_address",
    "opted_out_of",
    "patient_opted_out",
    "pending_request",
    "record_consent",
    "restore_after_grant",
]
