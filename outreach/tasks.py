"""Celery tasks. They take ids only (no patient data in the broker) and are safe to run twice."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from config.periodic import exclusive

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
@exclusive("outreach-tick")  # one tick at a time, whatever the number of beats (config/periodic.py)
def tick():
    """Beat's heartbeat for outreach (every OUTREACH_TICK_SECONDS): recover stale leases, expire, plan, then dispatch
    what is due (the frequent `dispatch_due` does the same last step in between)."""
    from outreach.engine import dispatch, planner

    recovered = dispatch.recover_expired_leases()
    expired = dispatch.expire_overdue()
    planned = planner.plan_due()
    handed_out = dispatch.dispatch(send_messages.delay)
    logger.info(
        "outreach tick: recovered=%d expired=%d planned=%d dispatched=%d", recovered, expired, planned, handed_out
    )


@shared_task(ignore_result=True)
@exclusive("outreach-dispatch")
def dispatch_due():
    """Beat's frequent dispatch (every OUTREACH_DISPATCH_SECONDS), no planning: hand out the rows that fell due since
    the last one, then, until just before the next one starts, each row as it falls due (dispatch.dispatch_until).
    Idle, a few indexed queries per channel."""
    from outreach.engine import dispatch

    # Ends a tenth of a period early, so this run has let go of its lock when beat's next one starts.
    period = datetime.timedelta(seconds=settings.OUTREACH_DISPATCH_SECONDS)
    handed_out = dispatch.dispatch_until(send_messages.delay, until=timezone.now() + period * 0.9)
    if handed_out:
        logger.info("outreach dispatch: dispatched=%d", handed_out)


@shared_task(ignore_result=True)
def send_messages(message_ids):
    """Claimed outbox rows, by id (outreach/engine/batches.py)."""
    from outreach.engine import batches

    batches.send_batch(message_ids)


@shared_task(ignore_result=True)
def send_message(message_id):
    """One claimed outbox row (the task dispatch queued before batches; kept so queued tasks still run)."""
    from outreach.engine import sending

    sending.send_message(message_id)


@shared_task(ignore_result=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_subscription_confirmation(contact_id, channel, language=""):
    """The double opt-in request: an email with a confirmation link, or a text asking for YES (in `language`, the
    subscribe form's; empty: the clinic's default)."""
    from outreach.followups import confirmations

    confirmations.send(contact_id, channel, language)


@shared_task(ignore_result=True)
def alert_staff_task(inbound_id, audience):
    """Email staff (or on-call) that a reply needs them; the email holds no patient details."""
    from outreach.conversations.alerts import alert_staff

    alert_staff(inbound_id, audience)


def enqueue_staff_alert(inbound_id, audience):
    """Queue a staff alert; when the broker is down, send it inline rather than not at all."""
    try:
        alert_staff_task.delay(inbound_id, audience)
    except Exception:  # noqa: BLE001 - any broker failure: the alert must still go out
        from outreach.conversations.alerts import alert_staff

        logger.warning("inbound %s: broker unavailable, sending the %s alert inline", inbound_id, audience)
        alert_staff(inbound_id, audience)
