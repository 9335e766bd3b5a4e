"""The provider down (500s, then timeouts), then back: retries back off, and then everything goes out once.

"Ten minutes" is compressed to the first ~60 requests failing with 500 and then three hanging past the client's
timeout (the provider never records them: accept=False), with retries from 1 s doubling to a 4 s cap."""

import collections
import datetime
import time

import pytest
from django.utils import timezone

from outreach.models import MessageStatus, OutboundMessage
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone
from tests.support.processes import wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROWS = 8
FAILURES = 40
HANGS = 3


def test_an_outage_of_500s_then_timeouts_backs_off_and_then_sends_everything_once(engine, fake_twilio):
    make_campaign(steps=[{"offset": datetime.timedelta(hours=1), "max_lateness": datetime.timedelta(hours=1)}])
    zone = daytime_zone()
    starts = timezone.now() + datetime.timedelta(hours=1, seconds=2)
    {
        str(make_consultation(make_contact(time_zone=zone, email=False), starts_at=starts).contact.phone)
        for _ in range(ROWS)
    }
    fake_twilio.fail_next(FAILURES, status=500)
    fake_twilio.hang_next(HANGS, seconds=4, accept=False)
    started = time.monotonic()
    engine.start("worker")
    engine.start("beat")
    wait_until(
        lambda: (
            OutboundMessage.objects.count() == ROWS
            and not OutboundMessage.objects.filter(status__in=["scheduled", "sending"]).exists()
        ),
        timeout=150,
        interval=0.5,
        message="all rows settled",
    )
    elapsed = time.monotonic() - started
    time.sleep(2)
    rows = OutboundMessage.objects.all()
    per_recipient = collections.Counter(message.fields["To"] for message in fake_twilio.messages)
    failed = rows.filter(status=MessageStatus.FAILED)
    # The one documented exception: a row the provider may hold but could not confirm in time (or that ran out of
    # attempts asking) is failed rather than risk a duplicate.
    assert all(row.ambiguous_since is not None for row in failed)
    sent_phones = {str(row.contact.phone) for row in rows.filter(status=MessageStatus.SENT)}
    assert set(per_recipient) == sent_phones and set(per_recipient.values()) == {1}  # once each
    assert len(sent_phones) + failed.count() == ROWS
    assert len(sent_phones) >= ROWS - 1

    # Backoff: a recipient's attempts are spread out, growing, not hammered. An attempt is a send (POST) or a
    # look-up (GET ?To=) that asks whether an earlier send arrived, and the send that follows a look-up at once.
    requests = collections.defaultdict(list)
    for request in fake_twilio.requests:
        recipient = request.value("To") or (request.query.get("To") or [None])[0]
        if recipient:
            times = requests[recipient]
            if not (request.method == "POST" and times and request.received_at - times[-1][1] < 0.3):
                times.append((request.method, request.received_at))
    requests = {recipient: [at for _, at in times] for recipient, times in requests.items()}
    gaps = [later - earlier for times in requests.values() for earlier, later in zip(times, times[1:], strict=False)]
    assert gaps and min(gaps) >= 0.45  # equal jitter keeps at least half of the 1 s base
    attempts = max(len(times) for times in requests.values())
    assert attempts >= 3
    print(  # noqa: T201
        f"\nprovider outage: {FAILURES} x 500 + {HANGS} timeouts over {ROWS} rows; {len(fake_twilio.requests)} "
        f"requests, max {attempts} attempts per row, min gap {min(gaps):.2f}s, sent {len(sent_phones)}, "
        f"failed {failed.count()}, settled in {elapsed:.0f}s"
    )
