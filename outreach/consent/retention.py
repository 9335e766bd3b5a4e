"""Retention: message bodies are kept for audit for a while, then blanked; the metadata stays.

What goes: the rendered subject and body of outbox rows, and the body of inbound texts and of our replies to them.
What stays: every id, status, time, channel, provider id, error code and skip reason, so "what was sent to whom,
when, and what happened to it" can still be answered after the purge.
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outreach.models import InboundMessage, MessageStatus, OutboundMessage

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


def purge_message_bodies(older_than_days, now=None):
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=older_than_days)
    with transaction.atomic():
        outbound = (
            OutboundMessage.objects.filter(created_at__lt=cutoff)
            .exclude(status__in=UNSETTLED)
            .filter(~Q(body="") | ~Q(subject=""))
            .update(body="", subject="", updated_at=now)
        )
        inbound = (
            InboundMessage.objects.filter(received_at__lt=cutoff)
            .filter(~Q(body="") | ~Q(reply_sent=""))
            .update(body="", reply_sent="")
        )
    report = PurgeReport(outbound=outbound, inbound=inbound)
    logger.info("retention purge older than %d days: %s", older_than_days, report.summary())
    return report
