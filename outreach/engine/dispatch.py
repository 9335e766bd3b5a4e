"""The dispatcher: claims due outbox rows with a lease and hands their ids to workers after commit.

Claims use SELECT ... FOR UPDATE SKIP LOCKED and a status compare-and-set, so any number of dispatchers can run at
once and no row is handed out twice while its lease holds. A row whose worker vanished (killed, Redis lost the
task) is recovered when its lease expires: back to `scheduled`; if the provider was being called (outcome unknown),
the next attempt first asks the provider whether it holds the message and adopts it rather than send it twice.
"""

import datetime
import logging
import time

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from outreach.engine import pacing
from outreach.models import CampaignStep, Channel, MessageStatus, OutboundMessage

logger = logging.getLogger(__name__)


def expire_overdue(now=None):
    now = now or timezone.now()
    return OutboundMessage.objects.filter(status=MessageStatus.SCHEDULED, not_after__lt=now).update(
        status=MessageStatus.EXPIRED, error_message="past its maximum lateness", updated_at=now
    )


def recover_expired_leases(now=None):
    """Rows whose worker vanished go back to `scheduled`. One that was in a provider call may have been sent: it
    keeps `ambiguous_since`, so its next attempt asks the provider before resending (sending.send_message)."""
    now = now or timezone.now()
    stale = OutboundMessage.objects.filter(status=MessageStatus.SENDING, lease_expires_at__lt=now)
    never_called = stale.filter(provider_call_started_at__isnull=True).update(
        status=MessageStatus.SCHEDULED, scheduled_for=now, lease_expires_at=None, updated_at=now
    )
    unknown = stale.filter(provider_call_started_at__isnull=False).update(
        status=MessageStatus.SCHEDULED,
        scheduled_for=now,
        lease_expires_at=None,
        ambiguous_since=Coalesce(F("ambiguous_since"), F("provider_call_started_at")),
        provider_call_started_at=None,
        outcome_unknown_count=F("outcome_unknown_count") + 1,
        error_code="outcome_unknown",
        error_message="the worker stopped during the provider call; the provider is asked before any resend",
        updated_at=now,
    )
    if never_called or unknown:
        logger.warning("recovered leases: %d never called, %d with an unknown outcome", never_called, unknown)
    return never_called + unknown


def claim_due(now=None, limit=None, channel=None):
    """Claim up to `limit` due rows of active campaigns; returns their ids (committed as `sending`)."""
    now = now or timezone.now()
    limit = limit or settings.OUTREACH_DISPATCH_BATCH
    lease_until = now + datetime.timedelta(seconds=settings.OUTREACH_LEASE_SECONDS)
    # One table, ordered as outbox_due_idx is: the index scan stops after `limit` due rows. A join to the campaign
    # (for `active`) let PostgreSQL, when its estimates were off, read every scheduled row through another partial
    # index and sort them, a planned backlog of days read once a dispatch. The active steps are few: their ids are
    # read first.
    active_steps = list(CampaignStep.objects.filter(campaign__active=True).values_list("pk", flat=True))
    if not active_steps:
        return []
    due = OutboundMessage.objects.filter(
        status=MessageStatus.SCHEDULED, scheduled_for__lte=now, step_id__in=active_steps
    )
    if channel:
        due = due.filter(channel=channel)
    with transaction.atomic():
        ids = list(
            due.select_for_update(skip_locked=True, of=("self",))
            .order_by("scheduled_for", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            OutboundMessage.objects.filter(pk__in=ids, status=MessageStatus.SCHEDULED).update(
                status=MessageStatus.SENDING, lease_expires_at=lease_until, updated_at=now
            )
    return ids


def tick_allowance(channel):
    """How many rows of a channel one dispatch may hand out: what keeps the workers busy until the next dispatch,
    less what is still claimed and unsettled, so tasks never pile up in the queue (where their leases would run out
    and recovery would hand the rows out again).

    A paced channel gets two dispatch periods of its rate (so the pacer never runs dry between dispatches); any other
    channel up to OUTREACH_MAX_IN_FLIGHT, which is sized to drain well inside a lease."""
    rate = pacing.rate_for(channel)
    if rate:
        ceiling = rate * 2 * settings.OUTREACH_DISPATCH_SECONDS
    else:
        ceiling = settings.OUTREACH_MAX_IN_FLIGHT
    in_flight = OutboundMessage.objects.filter(
        status=MessageStatus.SENDING,
        channel=channel,
        lease_expires_at__isnull=False,  # outbox_lease_idx
    ).count()
    return max(0, ceiling - in_flight)


def dispatch(enqueue, now=None):
    """Claim due rows and hand their ids to `enqueue` (the send task), a list at a time: OUTREACH_SEND_BATCH ids for an
    unpaced channel (one task decides and sends them together), one id for a paced channel (each send waits for its
    slot). Returns how many rows were handed out."""
    return _dispatch(enqueue, now)[0]


def _dispatch(enqueue, now=None):
    """dispatch(), and whether a channel's allowance ran out (due rows may be waiting for rows in flight to settle)."""
    handed_out, held_back = 0, False
    for channel in Channel.values:
        allowance = tick_allowance(channel)
        size = 1 if pacing.rate_for(channel) else settings.OUTREACH_SEND_BATCH
        while allowance > 0:
            ids = claim_due(now, limit=min(allowance, settings.OUTREACH_DISPATCH_BATCH), channel=channel)
            for start in range(0, len(ids), size):
                batch = ids[start : start + size]
                try:
                    enqueue(batch)
                except Exception:  # noqa: BLE001 - the lease brings the rows back if the broker lost them
                    logger.exception("could not enqueue %d outbox messages; their leases will recover them", len(batch))
            handed_out += len(ids)
            allowance -= len(ids)
            if len(ids) < settings.OUTREACH_DISPATCH_BATCH:
                break
        held_back = held_back or allowance <= 0
    return handed_out, held_back


def next_due_at(after, until):
    """When the first row of an active campaign falls due in (after, until], or None: one indexed read per channel
    (outbox_due_idx, from `after` on)."""
    active_steps = list(CampaignStep.objects.filter(campaign__active=True).values_list("pk", flat=True))
    if not active_steps:
        return None
    moments = []
    for channel in Channel.values:
        moment = (
            OutboundMessage.objects.filter(
                status=MessageStatus.SCHEDULED,
                channel=channel,
                scheduled_for__gt=after,
                scheduled_for__lte=until,
                step_id__in=active_steps,
            )
            .order_by("scheduled_for", "pk")
            .values_list("scheduled_for", flat=True)
            .first()
        )
        if moment is not None:
            moments.append(moment)
    return min(moments, default=None)


def dispatch_until(enqueue, until, *, poll_seconds=0.2, sleep=time.sleep):
    """dispatch() now, then again at each moment a row falls due before `until` (a timezone-aware datetime), so a
    planned reminder leaves when it is due rather than at the next dispatch period; while a channel's allowance is
    spent (a burst in flight), again every `poll_seconds` as rows settle. Returns how many rows were handed out.

    Beat runs this every OUTREACH_DISPATCH_SECONDS for the coming period. Idle, it is the dispatch's queries and one
    indexed read per channel for the next due row; rows that fall due now by being written (not planned ahead) wait
    for the next period, as before."""
    handed_out = 0
    while True:
        # The look-ahead starts where the claim's "now" stood, so a row falling due while the claim ran is not
        # left for the next period.
        claimed_at = timezone.now()
        handed, held_back = _dispatch(enqueue, claimed_at)
        handed_out += handed
        now = timezone.now()
        if now >= until:
            return handed_out
        if held_back:
            wake = now + datetime.timedelta(seconds=poll_seconds)
        else:
            wake = next_due_at(claimed_at, until)
            if wake is None:
                return handed_out
        sleep(max(0.0, (min(wake, until) - timezone.now()).total_seconds()))
