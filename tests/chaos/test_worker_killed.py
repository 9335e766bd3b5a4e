"""A worker killed with SIGKILL in the middle of sends: every due message still goes out, and the only duplicates
are rows whose provider call was cut off mid-flight (the documented "outcome unknown" resend, at most one each)."""

import collections
import datetime
import time

import pytest
from django.db.models import Sum
from django.utils import timezone

from outreach.models import MessageStatus, OutboundMessage
from tests.chaos.conftest import LEASE_SECONDS
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone
from tests.support.processes import wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
ROWS = 40


def due_reminders(count, *, in_seconds=3):
    make_campaign(steps=[{"offset": datetime.timedelta(hours=1), "max_lateness": datetime.timedelta(hours=1)}])
    starts = timezone.now() + datetime.timedelta(hours=1, seconds=in_seconds)
    zone = daytime_zone()
    return [make_consultation(make_contact(time_zone=zone, email=False), starts_at=starts) for _ in range(count)]


def settled():
    return not OutboundMessage.objects.filter(status__in=[MessageStatus.SCHEDULED, MessageStatus.SENDING]).exists()


def test_sigkill_mid_send_loses_nothing_and_duplicates_only_unknown_outcomes(engine, fake_twilio, record_property):
    consultations = due_reminders(ROWS)
    phones = {str(c.contact.phone) for c in consultations}
    fake_twilio.set_latency(0.3)
    engine.start("beat")
    engine.start("worker1")
    fake_twilio.wait_for_messages(12, timeout=40)
    engine.kill("worker1")  # SIGKILL to the whole process group, mid-batch
    killed_at = time.monotonic()
    at_kill = len(fake_twilio.messages)
    engine.start("worker2")
    wait_until(settled, timeout=LEASE_SECONDS + 60, interval=0.5, message="every row settled")
    recovered_after = time.monotonic() - killed_at
    time.sleep(3)  # a few more ticks: nothing else may go out

    rows = OutboundMessage.objects.all()
    assert rows.count() == ROWS
    assert set(rows.values_list("status", flat=True)) == {MessageStatus.SENT}, list(rows.values("status", "error_code"))
    per_recipient = collections.Counter(message.fields["To"] for message in fake_twilio.messages)
    assert set(per_recipient) == phones  # every due message arrived
    duplicates = sum(count - 1 for count in per_recipient.values())
    unknown = rows.aggregate(total=Sum("outcome_unknown_count"))["total"] or 0
    assert duplicates <= unknown
    assert max(per_recipient.values()) <= 2  # resent at most once
    assert "recovered leases" in engine.log("worker2") or unknown == 0 or "recovered leases" in engine.log("beat")
    record_property(
        "figures",
        {
            "rows": ROWS,
            "sent_before_kill": at_kill,
            "duplicates": duplicates,
            "outcome_unknown": unknown,
            "recovered_after_s": round(recovered_after, 1),
        },
    )
    print(  # noqa: T201
        f"\nSIGKILL: {ROWS} rows, {at_kill} at the fake before the kill, duplicates {duplicates}, "
        f"outcome-unknown rows {unknown}, all settled {recovered_after:.0f}s after the kill"
    )
