"""Claimed rows of one channel sent together: the single-row path's rules, per row, at a fixed cost per batch.

The dispatcher hands an unpaced channel's due rows out in batches (OUTREACH_SEND_BATCH ids per task). For a batch a
worker:
1. locks the rows' contacts, then the rows, by ascending id (the lock order), reads every fact the gate needs with
   `gate.Prefetch` (the same queries for 1 row or 500), asks the gate per row (each send counts against the caps of
   the rows after it, so two messages to one patient in a batch are judged as if sent one after the other),
   composes and guards each message (`sending.compose_guarded`), and in the same transaction marks each going row's
   call as started (one UPDATE);
2. after commit, hands the messages to `outbound.send_many`: SMS concurrently over kept-alive connections, email in
   the provider's batch requests;
3. records the outcomes: accepted rows in two UPDATEs for the batch; errors per row, as the single-row path does.

The gate's decision is made under the contact's lock in the transaction that marks the call as started, so a STOP
processed after it is the same as a STOP that lands during the provider call, as on the single-row path (where the
gate's last word is also followed by the marker, then the call). Rows that need the single-row path take it: a row
of a paced channel (each send waits for its slot and the gate is asked again after that wait), and a row whose
earlier attempt is ambiguous (the provider is asked whether it holds it before any resend).
"""

import datetime
import logging

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from cms.clinic import get_clinic_settings
from outreach import metrics
from outreach.engine import gate, outbound, pacing, sending
from outreach.models import CampaignStep, Contact, MessageStatus, OutboundMessage
from outreach.providers import get_provider
from outreach.providers.base import PermanentSendError, SendResult, TransientSendError

logger = logging.getLogger(__name__)


def send_batch(message_ids, now=None):
    """Send claimed rows (any channels, any mix). Returns {id: status afterwards} for the rows whose provider call
    this batch made (sent, retried or failed); rows the gate stopped are settled in `prepare` and left out, as are
    rows that were not ours to send."""
    outcome = {}
    rows = list(
        OutboundMessage.objects.filter(pk__in=list(message_ids)).values_list("pk", "channel", "ambiguous_since")
    )
    alone = [pk for pk, channel, ambiguous in rows if ambiguous or pacing.rate_for(channel)]
    for message_id in alone:
        outcome[message_id] = sending.send_message(message_id, now)
    together = {}
    for pk, channel, _ambiguous in rows:
        if pk not in alone:
            together.setdefault(channel, []).append(pk)
    for channel, ids in together.items():
        outcome.update(_send_channel(channel, ids, now))
    return {pk: status for pk, status in outcome.items() if status is not None}


def _send_channel(channel, ids, now):
    going = prepare(ids, now)
    if not going:
        return {}
    provider = get_provider(channel)
    provider.warm()
    results = outbound.send_many(channel, [outgoing for _message, outgoing, _content in going], provider=provider)
    outcome = {}
    sent = []
    for (message, _outgoing, content), result in zip(going, results, strict=True):
        if isinstance(result, SendResult):
            metrics.sent(channel, result.provider)
            sent.append((message, result, content))
        elif isinstance(result, TransientSendError):
            metrics.send_error(channel, result.code, "transient")
            outcome[message.pk] = sending.record_transient(message, result)
        elif isinstance(result, PermanentSendError):
            metrics.send_error(channel, result.code, "permanent")
            outcome[message.pk] = sending.record_permanent(message, result)
        else:  # pragma: no cover - send_many returns results or send errors only
            raise TypeError(f"unexpected send result {type(result).__name__}")
    outcome.update(record_sent(sent))
    return outcome


def prepare(message_ids, now=None):
    """Under the contacts' and rows' locks, decide every row; settle those that do not go; for those that go, compose
    the message, count the attempt and mark the call as started. Returns [(message, outgoing, content)]."""
    now = now or timezone.now()
    ids = sorted(set(message_ids))
    contact_ids = sorted(set(OutboundMessage.objects.filter(pk__in=ids).values_list("contact_id", flat=True)))
    going = []
    with transaction.atomic():
        # The lock order, everywhere (README "Lock order"): contacts first, then their messages, by ascending id.
        contacts = {
            contact.pk: contact
            for contact in Contact.objects.select_for_update().filter(pk__in=contact_ids).order_by("pk")
        }
        rows = [
            row
            for row in OutboundMessage.objects.select_for_update(of=("self",))
            .select_related("consultation")
            .filter(pk__in=ids)
            .order_by("pk")
            if row.contact_id in contacts and sending.ours_to_send(row)
        ]
        if not rows:
            return []
        # A batch's rows share a few steps: each step and its campaign read once, one object for all its rows.
        steps = CampaignStep.objects.select_related("campaign").in_bulk({row.step_id for row in rows})
        for row in rows:
            row.step = steps[row.step_id]
        known = gate.Prefetch({row.contact_id: contacts[row.contact_id] for row in rows}.values(), since=now)
        clinic = get_clinic_settings()
        called_at = timezone.now()
        lease_until = called_at + datetime.timedelta(seconds=settings.OUTREACH_LEASE_SECONDS)
        for row in rows:
            row.contact = contacts[row.contact_id]
            decision = gate.check_outbox_row(row, now, known=known)
            if not decision.sends:
                sending.outcome_writer(decision)(row, now)
                continue
            composed = sending.compose_guarded(row, now, clinic)
            if composed is None:
                continue
            outgoing, content, subject, body = composed
            # This send counts against the caps of the contact's rows after it in the batch.
            known.add_send(row.contact, row.channel, gate.purpose_of(row.step), now)
            row.attempts += 1
            row.lease_expires_at = lease_until
            row.provider_call_started_at = called_at
            row.subject, row.body = subject, body
            row.updated_at = called_at
            going.append((row, outgoing, content))
        if going:
            _update_from_values(
                "attempts = m.attempts + 1, lease_expires_at = %s, provider_call_started_at = %s, updated_at = %s, "
                "subject = v.subject, body = v.body",
                [lease_until, called_at, called_at],
                ("id", "subject", "body"),
                [(row.pk, row.subject, row.body) for row, _outgoing, _content in going],
                each=lambda pk, subject, body: OutboundMessage.objects.filter(pk=pk).update(
                    attempts=F("attempts") + 1,
                    lease_expires_at=lease_until,
                    provider_call_started_at=called_at,
                    updated_at=called_at,
                    subject=subject,
                    body=body,
                ),
            )
    return going


def record_sent(sent):
    """Accepted rows in two UPDATEs: the provider's id where a status callback has not already filled it in, then
    `sent` where the row is still the attempt this worker made (a redelivered task or lease recovery may have moved
    it). Articles count as delivered once accepted. Returns {id: "sent"} for the rows this call moved."""
    if not sent:
        return {}
    now = timezone.now()
    _update_from_values(
        "provider = v.provider, provider_message_id = v.message_id, sent_at = %s, updated_at = %s",
        [now, now],
        ("id", "provider", "message_id"),
        [(message.pk, result.provider, result.message_id) for message, result, _content in sent],
        where="m.provider_message_id = ''",
        each=lambda pk, provider, message_id: OutboundMessage.objects.filter(pk=pk, provider_message_id="").update(
            provider=provider, provider_message_id=message_id, sent_at=now, updated_at=now
        ),
    )
    moved = _update_from_values(
        "status = %s, lease_expires_at = NULL, error_code = '', error_message = '', updated_at = %s",
        [MessageStatus.SENT, now],
        ("id", "attempts"),
        [(message.pk, message.attempts) for message, _result, _content in sent],
        where="m.attempts = v.attempts AND m.status = %s",
        where_params=[MessageStatus.SENDING],
        returning=True,
        each=lambda pk, attempts: OutboundMessage.objects.filter(
            pk=pk, attempts=attempts, status=MessageStatus.SENDING
        ).update(status=MessageStatus.SENT, lease_expires_at=None, error_code="", error_message="", updated_at=now),
    )
    for _message, _result, content in sent:
        content.record()
    return dict.fromkeys(moved, MessageStatus.SENT)


_TYPES = {"id": "bigint", "attempts": "integer"}


def _update_from_values(assignments, params, columns, rows, *, each, where="", where_params=(), returning=False):
    """UPDATE the outbox rows listed in `rows` (tuples of `columns`, the first the id) from a VALUES list, each row
    its own values, in one statement; returns the ids updated when `returning`. Written by hand: Django's bulk_update
    builds a CASE per field and row, and compiling those cost 6 ms of CPU per message, more than all the rest of a
    send; `UPDATE ... FROM (VALUES ...)` is PostgreSQL's own form for this. On another database (SQLite, the
    zero-setup default of `make run`) `each(*row)` makes the same update for one row through the ORM."""
    if connection.vendor != "postgresql":
        updated = [row[0] for row in rows if each(*row)]
        return updated if returning else len(updated)
    table = OutboundMessage._meta.db_table
    cast = ", ".join(f"%s::{_TYPES.get(column, 'text')}" for column in columns)
    values = ", ".join(f"({cast})" for _ in rows)
    sql = (
        f"UPDATE {table} AS m SET {assignments} FROM (VALUES {values}) AS v({', '.join(columns)}) "
        f"WHERE m.id = v.id{' AND ' + where if where else ''}{' RETURNING m.id' if returning else ''}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *(value for row in rows for value in row), *where_params])
        return [pk for (pk,) in cursor.fetchall()] if returning else cursor.rowcount
