"""Retention: message content is kept for audit for a while, then blanked; the metadata stays.

What goes: the rendered subject and body of outbox rows, the body of inbound texts, our replies and the sender's
number (once staff have handled the text), and the raw provider payload of delivery events.
What stays: every id, status, time, channel, provider id, error code and skip reason, so "what was sent to whom,
when, and what happened to it" can still be answered after the purge; and the consent ledger, whole: it is the
legal record of who agreed to what.

`apply_retention` runs daily from beat (config/tasks.py) with the periods of the RETENTION_* settings;
`purge_message_bodies` is the same blanking of bodies by hand (`manage.py purge_message_bodies`).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outreach.models import DeliveryEvent, InboundMessage, MessageStatus, OutboundMessage

logger = logging.getLogger(__name__)

# A row still waiting to go keeps its body: purging it would not change what is sent (it is composed again at send
# time), but it would lose what a worker in flight may still record.
UNSETTLED = (MessageStatus.SCHEDULED, MessageStatus.SENDING)


@dataclass
class PurgeReport:
    outbound: int
    inbound: int

    def summary(self):
        return f"blanked {self.outbound} outbound message bodies and {self.inbound} inbound message bodies"


def blank_outbound_bodies(cutoff, now):
    return (
        OutboundMessage.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=UNSETTLED)
        .filter(~Q(body="") | ~Q(subject=""))
        .update(body="", subject="", updated_at=now)
    )


def purge_message_bodies(older_than_days, now=None):
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=older_than_days)
    with transaction.atomic():
        outbound = blank_outbound_bodies(cutoff, now)
        inbound = (
            InboundMessage.objects.filter(received_at__lt=cutoff)
            .filter(~Q(body="") | ~Q(reply_sent=""))
            .update(body="", reply_sent="")
        )
    report = PurgeReport(outbound=outbound, inbound=inbound)
    logger.info("retention purge older than %d days: %s", older_than_days, report.summary())
    return report


@dataclass
class RetentionReport:
    outbound_bodies: int
    inbound_texts: int
    delivery_payloads: int

    def summary(self):
        return (
            f"blanked {self.outbound_bodies} outbound message bodies, masked {self.inbound_texts} inbound texts "
            f"and {self.delivery_payloads} delivery event payloads"
        )


def days_ago(now, days):
    return now - datetime.timedelta(days=days)


def apply_retention(now=None):
    """Blank and mask what is older than its RETENTION_* period. Idempotent: a second run changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        outbound = blank_outbound_bodies(days_ago(now, settings.RETENTION_MESSAGE_BODY_DAYS), now)
        # Texts staff have not handled yet keep everything: someone still has to read and answer them.
        inbound = (
            InboundMessage.objects.filter(
                received_at__lt=days_ago(now, settings.RETENTION_INBOUND_DAYS), handled_at__isnull=False
            )
            .filter(~Q(body="") | ~Q(reply_sent="") | ~Q(from_number=""))
            .update(body="", reply_sent="", from_number="")
        )
        events = (
            DeliveryEvent.objects.filter(received_at__lt=days_ago(now, settings.RETENTION_DELIVERY_EVENT_DAYS))
            .exclude(payload={})
            .update(payload={})
        )
    report = RetentionReport(outbound_bodies=outbound, inbound_texts=inbound, delivery_payloads=events)
    logger.info("retention: %s", report.summary())
    return report
