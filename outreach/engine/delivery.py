"""Applying providers' delivery reports to outbox rows: one vocabulary, a monotonic state machine, idempotent.

Reports arrive late, out of order and more than once. A row's status only moves up in rank:

    scheduled, cancelled, expired, skipped (we never saw it leave)   0
    sending                                                          1
    sent                                                             2
    delivered, failed, bounced                                       3  final: never changed by a later report

so a late `sent` never overwrites `delivered`, and a duplicate changes nothing (each report also has a dedupe key:
an exact repeat writes nothing at all). The first final report wins; a realistic sequence has only one.

One exception: a row failed with `outcome_unknown` (the worker lost track of the provider call) ranks 0, because
the provider's report is better evidence than our not knowing. Likewise a report for a row we had cancelled or
were about to resend means the earlier attempt did go out; the row then records that (and is not resent).

Side effects, applied whatever the row's status (they are idempotent):
- SMS error 21610 (recipient replied STOP to the carrier): SMS opt-out for every purpose, source provider_event;
- SMS errors 30006, 21614, 21211 (landline or not a mobile number): the contact is marked not SMS-reachable;
- email hard bounce: the address is suppressed (hard_bounce); spam complaint: suppressed (complaint);
  an invalid address refused by the provider: suppressed (provider_refused);
- email unsubscribe reported by the provider: email opt-out for every purpose, source provider_event.
Soft bounces (Postmark SoftBounce, anything not a permanent bounce) fail the row without suppressing the address.
Opens and clicks imply delivery, so they move a `sent` row to `delivered` (never past a final state).
"""

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from outreach import metrics
from outreach.consent.preferences import opt_out_everywhere
from outreach.models import (
    Channel,
    ConsentRecord,
    Contact,
    DeliveryEvent,
    MessageStatus,
    OutboundMessage,
    Suppression,
)
from outreach.models.suppressions import mask_address
from outreach.providers.twilio import OPTED_OUT_CODES, UNREACHABLE_CODES

logger = logging.getLogger(__name__)
Event = DeliveryEvent.Event
Status = MessageStatus

RANK = {
    Status.SCHEDULED: 0,
    Status.CANCELLED: 0,
    Status.EXPIRED: 0,
    Status.SKIPPED: 0,
    Status.SENDING: 1,
    Status.SENT: 2,
    Status.DELIVERED: 3,
    Status.FAILED: 3,
    Status.BOUNCED: 3,
}
# The status each report moves a row to (reports not listed only get recorded).
TARGET = {
    Event.SENT: Status.SENT,
    Event.DELIVERED: Status.DELIVERED,
    Event.FAILED: Status.FAILED,
    Event.BOUNCED: Status.BOUNCED,
    Event.COMPLAINED: Status.DELIVERED,  # a complaint means it reached the inbox
    Event.OPENED: Status.DELIVERED,
    Event.CLICKED: Status.DELIVERED,
}
SMS_ERRORS = {
    "21211": "invalid phone number",
    "21610": "recipient has opted out (replied STOP to the carrier)",
    "21614": "not a mobile number",
    "30003": "unreachable handset",
    "30004": "message blocked",
    "30005": "unknown or inactive number",
    "30006": "landline or unreachable carrier",
    "30007": "filtered by the carrier",
    "30008": "unknown carrier error",
}


@dataclass(frozen=True)
class DeliveryReport:
    """A provider's report in our vocabulary. `recipient` is used for suppression only, never stored or logged."""

    provider: str
    channel: str
    event: str
    dedupe_key: str
    outbox_id: int | None = None
    provider_message_id: str = ""
    error_code: str = ""
    error_message: str = ""
    recipient: str = ""
    suppress: str = ""  # a Suppression.Reason, for email reports that make the address unusable
    occurred_at: datetime | None = None
    payload: dict = field(default_factory=dict)


def dedupe_key(*parts):
    return hashlib.sha256("|".join(str(part or "") for part in parts).encode()).hexdigest()


def rank(row):
    if row.status == Status.FAILED and row.error_code == "outcome_unknown":
        return 0
    return RANK.get(row.status, 0)


def find_row(report):
    """The outbox row a report is about, locked in the one lock order (README "Lock order"): its contact first,
    then the row. The row is found without a lock, its contact locked, then the row locked and re-read."""
    row = _match_row(report)
    if row is None:
        return None
    Contact.objects.select_for_update().filter(pk=row.contact_id).first()
    return OutboundMessage.objects.select_for_update(of=("self",)).select_related("contact").filter(pk=row.pk).first()


def _match_row(report):
    rows = OutboundMessage.objects.only("pk", "contact_id")
    if report.outbox_id:
        row = rows.filter(pk=report.outbox_id, channel=report.channel).first()
        if row is not None:
            return row
    ids = {report.provider_message_id} - {""}
    if report.channel == Channel.EMAIL and report.provider_message_id:
        bare = report.provider_message_id.strip("<>")
        ids |= {bare, f"<{bare}>"}
    if ids:
        candidates = rows.filter(channel=report.channel, provider_message_id__in=ids).order_by("-pk")
        if report.channel == Channel.EMAIL and report.recipient:
            # A Mailgun batch gives every recipient's row the same message id: the recipient tells them apart.
            own = candidates.filter(contact__email__iexact=report.recipient).first()
            if own is not None:
                return own
        return candidates.first()
    return None


def transition(row, report, now):
    """Move the row if the report ranks above where it is. Returns True if it changed."""
    target = TARGET.get(report.event)
    if target is None or RANK[target] <= rank(row):
        return False
    at = report.occurred_at or now
    row.status = target
    row.lease_expires_at = None
    fields = ["status", "lease_expires_at", "updated_at"]
    if not row.provider_message_id and report.provider_message_id:
        # The worker fills these only while the id is empty; if a report got here first it fills them instead.
        row.provider, row.provider_message_id = report.provider, report.provider_message_id[:100]
        fields += ["provider", "provider_message_id"]
    if row.sent_at is None:
        row.sent_at = at
        fields.append("sent_at")
    if target == Status.DELIVERED:
        row.delivered_at = at
        row.error_code, row.error_message = "", ""
        fields += ["delivered_at", "error_code", "error_message"]
    elif target in (Status.FAILED, Status.BOUNCED):
        row.failed_at = at
        row.error_code = report.error_code[:40]
        row.error_message = report.error_message[:300]
        fields += ["failed_at", "error_code", "error_message"]
    row.save(update_fields=fields)
    return True


def side_effects(row, report):
    contact = row.contact if row is not None else None
    if report.channel == Channel.SMS and contact is not None and report.event == Event.FAILED:
        code = int(report.error_code) if report.error_code.isdigit() else None
        if code in OPTED_OUT_CODES:
            opt_out_everywhere(
                contact,
                Channel.SMS,
                ConsentRecord.Source.PROVIDER_EVENT,
                reason=f"provider error {code}: recipient opted out",
            )
        if code in UNREACHABLE_CODES and contact.sms_reachable:
            Contact.objects.filter(pk=contact.pk).update(sms_reachable=False, updated_at=timezone.now())
    if report.channel != Channel.EMAIL:
        return
    address = report.recipient or (contact.email if contact is not None else "")
    if report.suppress and address:
        Suppression.add(Channel.EMAIL, address, report.suppress)
    if report.event == Event.OPTED_OUT:
        if contact is None and address:
            contact = Contact.objects.filter(email__iexact=address).first()
        if contact is not None:
            opt_out_everywhere(
                contact,
                Channel.EMAIL,
                ConsentRecord.Source.PROVIDER_EVENT,
                reason=f"{report.provider} reported an unsubscribe",
            )


def apply_report(report, now=None):
    """Record a report and apply it. Returns the DeliveryEvent, or None for an exact repeat."""
    now = now or timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                event = DeliveryEvent.objects.create(
                    provider=report.provider,
                    event=report.event,
                    provider_message_id=report.provider_message_id[:200],
                    error_code=report.error_code[:40],
                    dedupe_key=report.dedupe_key,
                    payload=report.payload,
                    occurred_at=report.occurred_at,
                )
        except IntegrityError:
            logger.info("%s %s report already applied", report.provider, report.event)
            metrics.delivery_report(report.provider, "duplicate")
            return None
        row = find_row(report)
        changed = transition(row, report, now) if row is not None else False
        side_effects(row, report)
        if row is not None:
            event.message = row
            event.applied = changed
            event.save(update_fields=["message", "applied"])
    metrics.delivery_report(report.provider, "unmatched" if row is None else "applied" if changed else "unchanged")
    logger.info(
        "%s %s report for outbox %s: %s",
        report.provider,
        report.event,
        row.pk if row is not None else "unknown",
        f"now {row.status}" if changed else "no change",
    )
    return event


# -- Raw payloads, kept without recipients -------------------------------------------------------------------------

# Keys whose values are recipients or senders (masked) and keys whose values are message content (dropped).
ADDRESS_KEYS = {
    "to",
    "from",
    "email",
    "recipient",
    "sender",
    "targets",
    "from_number",
    "to_number",
    "original-recipient",
}
CONTENT_KEYS = {"body", "content", "subject", "html", "text", "textbody", "htmlbody", "headers", "attachments"}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mask_payload(value, key=""):
    """A copy of a provider payload fit to keep: recipients masked, message content dropped."""
    if isinstance(value, dict):
        return {
            str(k).replace("\x00", ""): mask_payload(v, str(k))
            for k, v in value.items()
            if str(k).lower() not in CONTENT_KEYS
        }
    if isinstance(value, list | tuple):
        return [mask_payload(item, key) for item in value]
    if isinstance(value, str):
        value = value.replace("\x00", "")  # PostgreSQL text and jsonb cannot hold NUL
        if key.lower() in ADDRESS_KEYS and value:
            return mask_address(value)
        return _EMAIL.sub(lambda match: mask_address(match.group()), value)
    return value
