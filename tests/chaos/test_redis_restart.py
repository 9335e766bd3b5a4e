"""Redis (the broker) restarted during dispatch: sending resumes by itself and nothing is lost, because the outbox
lives in PostgreSQL: a row whose task died with Redis is recovered when its lease runs out."""

import collections
import datetime
import time

import pytest
from django.utils import timezone

from outreach.models import MessageStatus, OutboundMessage
from tests.chaos.conftest import LEASE_SECONDS
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone
from tests.support.processes import wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
BATCH = 10


def batch(zone, seconds):
    starts = timezone.now() + datetime.timedelta(hours=1, seconds=seconds)
    return {
        str(make_consultation(make_contact(time_zone=zone, email=False), starts_at=starts).contact.phone)
        for _ in range(BATCH)
    }


def settled():
    return not OutboundMessage.objects.filter(status__in=[MessageStatus.SCHEDULED, MessageStatus.SENDING]).exists()


def test_a_redis_restart_during_dispatch_loses_nothing_and_sends_once(engine, fake_twilio, redis_server):
    engine.env["TEST_REDIS_URL"] = redis_server.url
    make_campaign(steps=[{"offset": datetime.timedelta(hours=1), "max_lateness": datetime.timedelta(hours=1)}])
    zone = daytime_zone()
    fake_twilio.set_latency(0.2)
    first = batch(zone, 2)
    engine.start("worker")
    engine.start("beat")
    fake_twilio.wait_for_messages(3, timeout=40)
    redis_server.stop()  # in the middle of the first batch
    down_at = time.monotonic()
    second = batch(zone, 1)  # falls due while Redis is down
    time.sleep(6)
    redis_server.start()
    wait_until(
        lambda: OutboundMessage.objects.count() == 2 * BATCH and settled(),
        timeout=LEASE_SECONDS + 90,
        interval=0.5,
        message="every row settled after the restart",
    )
    resumed_after = time.monotonic() - down_at
    time.sleep(3)
    per_recipient = collections.Counter(message.fields["To"] for message in fake_twilio.messages)
    assert set(per_recipient) == first | second  # nothing lost
    rows = OutboundMessage.objects.all()
    assert set(rows.values_list("status", flat=True)) == {MessageStatus.SENT}
    unknown = sum(rows.values_list("outcome_unknown_count", flat=True))
    duplicates = sum(count - 1 for count in per_recipient.values())
    assert duplicates <= unknown
    assert all(engine.running[name][1].poll() is None for name in ("worker", "beat"))  # no restart needed
    print(  # noqa: T201
        f"\nredis restart: {2 * BATCH} rows, all sent, duplicates {duplicates}, resumed {resumed_after:.0f}s "
        "after Redis went down"
    )
