"""What a worker does with one claimed outbox row: re-check everything, send once, record the outcome.

Every rule is checked again at send time, because hours may have passed since the row was planned: the gate
(outreach/engine/gate.py) decides, the same decision the admin's forecasts show: the campaign is still active, the
consultation is still on at the same time, the message is not past its lateness, the number can take texts in a
country the clinic texts, the contact still consents on this channel for this purpose, the address is not
suppressed, it is daytime where the patient is, and the frequency caps allow it. The gate is asked once more after
the pacing wait (`recheck`), right before `provider_call_started_at` is set and the provider called, outside any
transaction, through outreach/engine/outbound.py.

This is the path of a row of a paced channel and of a row whose earlier attempt is ambiguous; an unpaced channel's
rows are sent in batches (outreach/engine/batches.py), which share this module's pieces: `ours_to_send`,
`compose_guarded`, `outcome_writer` and the `record_*` outcomes.
"""

import dataclasses
import datetime
import logging
import random

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from outreach import metrics
from outreach.consent import ledger
from outreach.engine import gate, outbound, sensitive, step_content
from outreach.engine.composer import build_context, compose
from outreach.models import Channel, Contact, MessageStatus, OutboundMessage, Suppression
from outreach.providers import get_provider
from outreach.providers.base import LookupUnavailable, PermanentSendError, TransientSendError

logger = logging.getLogger(__name__)
Skip = OutboundMessage.SkipReason


def send_message(message_id, now=None):
    """Send one claimed row. Returns the row's status afterwards (or None if it was not ours to send)."""
    prepared = prepare(message_id, now)
    if prepared is None:
        return None
    message, outgoing, content = prepared
    provider = get_provider(message.channel)
    provider.warm()
    if message.ambiguous_since:
        # An earlier attempt may have reached the provider (a 5xx after the request left, a timeout, a dropped
        # connection, a worker that died mid-call): ask before resending, so the patient never gets it twice.
        outgoing = as_first_sent(message, outgoing)
        try:
            found = provider.find_accepted(outgoing, message.ambiguous_since)
        except LookupUnavailable as exc:
            metrics.send_error(message.channel, "lookup_unavailable", "transient")
            return record_lookup_unavailable(message, exc)
        if found is not None:
            logger.info("outbox %s: the provider holds the earlier attempt; adopted, not resent", message.pk)
            return record_sent(message, found, content)
    # outbound.send waits for this channel's next send slot holding no lock (so what the carrier sees is evenly
    # spaced), asks the gate again (a STOP may have landed meanwhile), sets the outcome-unknown marker and calls.
    try:
        result = outbound.send(
            message.channel,
            outgoing,
            provider=provider,
            pace=True,
            recheck=lambda: recheck(message, now),
            before_call=lambda: mark_call_started(message),
        )
    except redis.RedisError as exc:
        # A pacer (Redis) failure is a plain retry: nothing has left.
        logger.warning("outbox %s: pacer unavailable (%s); retrying later", message.pk, type(exc).__name__)
        return record_transient(message, TransientSendError("pacer_unavailable", "the send pacer was unavailable"))
    except outbound.Blocked:
        return None  # recheck settled the row: nothing reached the provider
    except outbound.Superseded:
        return None  # another task for the same row got there first
    except TransientSendError as exc:
        metrics.send_error(message.channel, exc.code, "transient")
        return record_transient(message, exc)
    except PermanentSendError as exc:
        metrics.send_error(message.channel, exc.code, "permanent")
        return record_permanent(message, exc)
    metrics.sent(message.channel, result.provider)
    return record_sent(message, result, content)


def as_first_sent(message, outgoing):
    """The message exactly as the ambiguous attempt carried it (the stored body and subject), so the provider's
    look-up can recognise it and a resend is the same text, never a second version."""
    if message.channel == Channel.SMS and message.body:
        return dataclasses.replace(outgoing, body=message.body)
    if message.channel == Channel.EMAIL and message.subject:
        return dataclasses.replace(outgoing, subject=message.subject)
    return outgoing


def mark_call_started(message):
    """Set the outcome-unknown marker only now, as the request is about to leave: a failure before this point (the
    pacer, a lost task) leaves a row that was certainly never sent. The compare-and-set on `attempts` makes a
    duplicated task for the same row (a broker redelivery) lose here."""
    now = timezone.now()
    marked = OutboundMessage.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, attempts=message.attempts, provider_call_started_at__isnull=True
    ).update(provider_call_started_at=now, updated_at=now)
    message.provider_call_started_at = now
    return bool(marked)


def prepare(message_id, now=None):
    """Under row locks, decide whether the row goes now; if so mark the provider call as started and return the
    composed message. Every other outcome (skip, cancel, expire, defer) is written here."""
    now = now or timezone.now()
    contact_id = OutboundMessage.objects.filter(pk=message_id).values_list("contact_id", flat=True).first()
    if contact_id is None:
        return None
    with transaction.atomic():
        # The lock order, everywhere (README "Lock order"): the contact first, then its messages by ascending id.
        # Locking the contact also serialises decisions per contact, so frequency caps hold across workers.
        contact = Contact.objects.select_for_update().filter(pk=contact_id).first()
        message = (
            OutboundMessage.objects.select_for_update(of=("self",))
            .select_related("step__campaign", "consultation")
            .filter(pk=message_id)
            .first()
        )
        if contact is None or message is None or not ours_to_send(message):
            return None
        message.contact = contact
        verdict = decide(message, now)
        if verdict is not None:
            verdict(message, now)
            return None
        composed = compose_guarded(message, now)
        if composed is None:
            return None
        outgoing, content, subject, body = composed
        # A fresh lease for the call itself, so recovery never mistakes a call in progress for a lost one.
        message.lease_expires_at = timezone.now() + datetime.timedelta(seconds=settings.OUTREACH_LEASE_SECONDS)
        message.attempts += 1
        fields = ["lease_expires_at", "attempts", "updated_at"]
        if not message.ambiguous_since:
            # An ambiguous row keeps the text of its first attempt (as_first_sent): that is what the patient may have.
            message.subject = subject
            message.body = body
            fields += ["subject", "body"]
        message.save(update_fields=fields)
    return message, outgoing, content


def ours_to_send(message):
    """Whether a locked row is still the claim this worker was handed: claimed (`sending`), no call in progress (or
    a worker that died in one: lease recovery decides), and its lease not run out (a task that waited in the queue
    past its lease: the row belongs to lease recovery, which hands it out again; sending it here could race that
    recovery into a second copy)."""
    if message.status != MessageStatus.SENDING or message.provider_call_started_at:
        return False
    return not (message.lease_expires_at and message.lease_expires_at <= timezone.now())


def compose_guarded(message, now, clinic=None):
    """The row's message composed (its content chosen, its template rendered) and passed through the sensitive-terms
    guard; None when the row was settled instead (nothing worth sending, or the guard blocked it). Returns (outgoing,
    content, subject, body). The row is locked by the caller; `clinic`: the clinic's settings when the caller has
    read them (a batch reads them once)."""
    content = step_content.for_message(message)
    if content is None:
        settle(MessageStatus.SKIPPED, skip=Skip.NO_ARTICLES)(message, now)
        return None
    contact = message.contact
    context = build_context(contact, message.consultation, clinic=clinic, extra=content.context)
    validity = int((message.not_after - now).total_seconds())
    outgoing = compose(
        message.step,
        contact,
        message.channel,
        context,
        reference=str(message.pk),
        validity_seconds=min(validity, settings.OUTREACH_SMS_VALIDITY_SECONDS),
    )
    subject = getattr(outgoing, "subject", "")
    body = outgoing.body if message.channel == Channel.SMS else outgoing.text
    visible = sensitive.visible_text(message.channel, body, subject)
    found = sensitive.find_terms(visible, exempt=[context["clinic_name"]])
    if found:
        logger.warning("outbox %s blocked by the sensitive-terms guard: %s", message.pk, ", ".join(found))
        settle(
            MessageStatus.SKIPPED,
            skip=Skip.SENSITIVE_TERM,
            message="blocked: would show " + ", ".join(repr(term) for term in found),
        )(message, now)
        return None
    return outgoing, content, subject, body


def decide(message, now):
    """None when the message should go now; otherwise a function that records why not. The decision is the gate's
    (outreach/engine/gate.py), the same the admin's forecasts show."""
    return outcome_writer(gate.check_outbox_row(message, now))


# What the outbox row says when the gate stops it (the skip reason holds the rest).
ROW_MESSAGES = {
    gate.NOT_WANTED: "consultation cancelled, moved or reopened",
    gate.LATE: "past its maximum lateness",
    gate.QUIET_PAST_LATENESS: "quiet hours last past its maximum lateness",
    gate.PAUSED: "campaign paused",
    gate.QUIET: "deferred: quiet hours",
}


def outcome_writer(decision):
    if decision.sends:
        return None
    if decision.verdict == gate.DEFER:
        moment = decision.at
        if decision.reason == gate.QUIET:
            # A little spread so a morning's deferred messages do not all leave in the same second (never past the
            # row's lateness: defer_to caps it).
            moment += datetime.timedelta(seconds=random.uniform(0, 120))
        return defer_to(moment, ROW_MESSAGES[decision.reason])
    if decision.verdict == gate.CANCEL:
        return settle(MessageStatus.CANCELLED, message=ROW_MESSAGES[decision.reason])
    if decision.verdict == gate.EXPIRE:
        return settle(MessageStatus.EXPIRED, message=ROW_MESSAGES[decision.reason])
    return settle(MessageStatus.SKIPPED, skip=decision.reason)


def recheck(message, now=None):
    """The gate once more, right before the provider call and after the pacing wait: consent, suppression, the
    consultation and the campaign may have changed while the message waited for its slot. When it no longer goes,
    the row is settled here as if the provider had never been asked (it was not). `now`: tests' simulated clock."""
    now = now or timezone.now()
    with transaction.atomic():
        # The lock order (README "Lock order"): the contact first, then its message.
        contact = Contact.objects.select_for_update().filter(pk=message.contact_id).first()
        row = (
            OutboundMessage.objects.select_for_update(of=("self",))
            .select_related("step__campaign", "consultation")
            .filter(pk=message.pk, status=MessageStatus.SENDING, attempts=message.attempts)
            .first()
        )
        if contact is None or row is None:
            return gate.Decision(gate.CANCEL, None, "settled", "settled elsewhere while waiting for its slot")
        row.contact = contact
        decision = gate.check_outbox_row(row, now)
        if not decision.sends:
            # The provider was never asked: this attempt does not count.
            row.attempts = max(0, row.attempts - 1)
            row.save(update_fields=["attempts", "updated_at"])
            outcome_writer(decision)(row, now)
            logger.info("outbox %s stopped after its pacing wait: %s", row.pk, decision.reason)
    return decision


def settle(status, *, skip="", message=""):
    def write(row, now):
        row.status = status
        row.skip_reason = skip
        row.error_message = message or (row.get_skip_reason_display() if skip else "")
        row.lease_expires_at = None
        row.save(update_fields=["status", "skip_reason", "error_message", "lease_expires_at", "updated_at"])
        logger.info("outbox %s %s %s", row.pk, status, skip or message)

    return write


def defer_to(moment, reason):
    def write(row, now):
        row.status = MessageStatus.SCHEDULED
        row.scheduled_for = min(moment, row.not_after)
        row.error_message = reason
        row.lease_expires_at = None
        row.save(update_fields=["status", "scheduled_for", "error_message", "lease_expires_at", "updated_at"])

    return write


def _finish(message, **fields):
    """Write an outcome only if the row is still the one this worker claimed: status sending, and the attempt this
    worker counted (a redelivered task for the same row writes nothing)."""
    fields["updated_at"] = timezone.now()
    updated = OutboundMessage.objects.filter(
        pk=message.pk, status=MessageStatus.SENDING, attempts=message.attempts
    ).update(**fields)
    return fields.get("status") if updated else None


def record_sent(message, result, content=step_content.NOTHING_MORE):
    now = timezone.now()
    # A status callback may already have moved the row past `sent` (delivered): then only fill in what the API
    # response told us, without stepping the status back.
    OutboundMessage.objects.filter(pk=message.pk, provider_message_id="").update(
        provider=result.provider, provider_message_id=result.message_id, sent_at=now, updated_at=now
    )
    status = _finish(message, status=MessageStatus.SENT, lease_expires_at=None, error_code="", error_message="")
    content.record()  # articles count as delivered only once the provider accepted the message
    return status


def backoff_seconds(attempt):
    base = settings.OUTREACH_RETRY_BASE_SECONDS * (2 ** max(0, attempt - 1))
    capped = min(settings.OUTREACH_RETRY_MAX_SECONDS, base)
    return random.uniform(capped / 2, capped)  # "equal jitter": spread retries, keep a floor


def _retry(message, *, error_code, error_message, retry_after=None, **fields):
    """Back to `scheduled` for another try, or settled when retrying is no longer worth it."""
    now = timezone.now()
    retry_at = now + datetime.timedelta(seconds=retry_after or backoff_seconds(message.attempts))
    common = {"error_code": error_code, "error_message": error_message, "lease_expires_at": None, **fields}
    if message.attempts >= settings.OUTREACH_MAX_ATTEMPTS:
        return _finish(message, status=MessageStatus.FAILED, failed_at=now, **common)
    if retry_at > message.not_after:
        return _finish(message, status=MessageStatus.EXPIRED, **common)
    logger.info("outbox %s transient error %s; retry at %s", message.pk, error_code, retry_at.isoformat())
    return _finish(
        message, status=MessageStatus.SCHEDULED, scheduled_for=retry_at, provider_call_started_at=None, **common
    )


def record_transient(message, exc):
    fields = {}
    if exc.outcome_unknown:
        # The request left and the provider may hold the message: the next attempt asks it first (send_message).
        fields["outcome_unknown_count"] = message.outcome_unknown_count + 1
        fields["ambiguous_since"] = message.ambiguous_since or message.provider_call_started_at
    return _retry(message, error_code=exc.code, error_message=exc.reason, retry_after=exc.retry_after, **fields)


def record_lookup_unavailable(message, exc):
    """The provider cannot say whether it holds an ambiguous message. It is never resent blind: it waits and asks
    again until its deadline, and past that it fails as `outcome_unknown` (staff see it; the patient may or may not
    have it) rather than risk a second copy."""
    now = timezone.now()
    retry_at = now + datetime.timedelta(seconds=exc.retry_after or backoff_seconds(message.attempts))
    reason = f"the provider could not say whether it holds this message: {exc}"[:300]
    if retry_at > message.not_after or message.attempts >= settings.OUTREACH_MAX_ATTEMPTS:
        return _finish(
            message,
            status=MessageStatus.FAILED,
            failed_at=now,
            lease_expires_at=None,
            error_code="outcome_unknown",
            error_message="outcome unknown and the provider could not confirm it in time; not resent",
        )
    logger.info("outbox %s: provider look-up unavailable; asking again at %s", message.pk, retry_at.isoformat())
    return _finish(
        message,
        status=MessageStatus.SCHEDULED,
        scheduled_for=retry_at,
        lease_expires_at=None,
        provider_call_started_at=None,
        error_code="lookup_unavailable",
        error_message=reason,
    )


def record_permanent(message, exc):
    now = timezone.now()
    status = _finish(
        message,
        status=MessageStatus.FAILED,
        failed_at=now,
        error_code=exc.code,
        error_message=exc.reason,
        lease_expires_at=None,
    )
    contact = message.contact
    if exc.opted_out:
        ledger.opt_out(
            contact,
            message.channel,
            ledger.Source.PROVIDER_EVENT,
            reason=f"provider error {exc.code}: recipient opted out",
        )
    if exc.unreachable and message.channel == Channel.SMS:
        Contact.objects.filter(pk=contact.pk).update(sms_reachable=False)
    if exc.suppress:
        address = contact.address_for(message.channel)
        if address:
            Suppression.add(message.channel, address, Suppression.Reason.PROVIDER_REFUSED)
    logger.info("outbox %s failed permanently: %s", message.pk, exc.code)
    return status
