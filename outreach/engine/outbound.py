"""The one place a message to a person leaves for a provider (issue 14 §1).

Every provider send goes through `send` (the worker's outbox rows) or `send_one_off` (subscription confirmations,
staff replies, tests); keyword and crisis answers leave as the TwiML reply to the patient's text, after
`outreach.conversations.inbound` asked the gate. `send` asks the gate once more immediately before the provider
call, after the pacing wait: a STOP that lands while a message waits for its send slot stops it.
tests/outreach/engine/test_outbound_choke_point.py reads the source tree and fails if any other module calls a
provider's send method.
"""

import logging

from django.conf import settings

from outreach.engine import gate, pacing
from outreach.models import Channel
from outreach.providers import get_provider

logger = logging.getLogger(__name__)


class Superseded(Exception):
    """`before_call` said the message is no longer this caller's to send (another task for the same row won)."""


class Blocked(Exception):
    """The gate said no at the last moment; `decision` says why (nothing reached the provider)."""

    def __init__(self, decision):
        super().__init__(decision.words)
        self.decision = decision


def send(channel, outgoing, *, recheck, pace=False, provider=None, before_call=None):
    """Send `outgoing` on `channel`. `recheck()` returns the gate's Decision, asked right before the provider call
    (after the pacing wait when `pace`); anything but "send" raises Blocked. `before_call()` (the worker's
    outcome-unknown marker) runs as the request is about to leave; False raises Superseded. Provider and pacer
    (Redis) errors propagate."""
    if provider is None:
        provider = get_provider(channel)
        provider.warm()
    if pace:
        # Holding no lock, so what the carrier sees is evenly spaced.
        pacing.wait_for_spacing(channel)
    decision = recheck()
    if not decision.sends:
        raise Blocked(decision)
    if pace:
        pacing.wait_for_admission(channel)  # the hard cap, right before the request (its wait is under a second)
    if before_call is not None and not before_call():
        raise Superseded()
    if channel == Channel.SMS:
        return provider.send_sms(outgoing)
    return provider.send_email(outgoing)


def send_one_off(kind, channel, outgoing, *, contact=None, purpose=None, pace=False):
    """A message outside the outbox, to `outgoing.to`, checked by the gate for its kind right before the call."""

    def recheck():
        decision = gate.check(kind=kind, channel=channel, address=outgoing.to, contact=contact, purpose=purpose)
        if not decision.sends:
            logger.info("%s on %s not sent: %s", kind, channel, decision.reason)
        return decision

    return send(channel, outgoing, recheck=recheck, pace=pace)


def send_many(channel, outgoings, *, provider=None):
    """Send several messages of one unpaced channel at once, already decided by the gate under their contacts' locks
    in the transaction that marked their calls as started (outreach/engine/batches.py). One SendResult or SendError
    per message, in order: email in the provider's batch requests (Postmark's batch endpoint, Mailgun's batch
    sending), SMS concurrently (OUTREACH_SEND_CONCURRENCY in flight per worker process)."""
    if provider is None:
        provider = get_provider(channel)
        provider.warm()
    if not outgoings:
        return []
    if channel == Channel.EMAIL:
        size = max(1, provider.max_batch)
        results = []
        for start in range(0, len(outgoings), size):
            results += provider.send_email_batch(outgoings[start : start + size])
        return results

    return provider.send_sms_many(outgoings, settings.OUTREACH_SEND_CONCURRENCY)
