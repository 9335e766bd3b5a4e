"""Beat stopped for an hour, then started: what is still within its maximum lateness goes out once, what is past
it is marked expired, and the catch-up is capped per patient by the campaign's frequency caps, so nobody gets the
hour's backlog in a burst.

"An hour" is simulated: consultations whose steps fell due an hour ago, with no outbox rows yet (no tick ran).
"""

import collections
import datetime

import pytest
from django.utils import timezone

from outreach.models import MessageStatus, OutboundMessage
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone
from tests.support.processes import wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
Skip = OutboundMessage.SkipReason
H = datetime.timedelta(hours=1)
PATIENTS = 10


def test_after_an_hour_without_beat_late_rows_expire_the_rest_go_once_and_each_patient_gets_at_most_the_cap(
    engine, fake_twilio
):
    # Visits an hour from now. Step "still-2h" fell due an hour ago and may be 2 h late; "expired-30m" fell due an
    # hour ago and may be 30 min late; "still-1h" fell due 30 min ago and may be an hour late. A patient's cap is
    # one text a day, so of the two still valid, exactly one may go.
    campaign = make_campaign(
        steps=[
            {"name": "still-2h", "offset": 2 * H, "max_lateness": 2 * H},
            {"name": "expired-30m", "offset": 2 * H, "max_lateness": H / 2},
            {"name": "still-1h", "offset": 1.5 * H, "max_lateness": H},
        ],
        sms_per_day=1,
    )
    zone = daytime_zone()
    starts = timezone.now() + H
    for _ in range(PATIENTS):
        make_consultation(make_contact(time_zone=zone, email=False), starts_at=starts)
    assert not OutboundMessage.objects.exists()

    engine.start("worker")
    engine.start("beat")
    wait_until(
        lambda: (
            OutboundMessage.objects.count() == 3 * PATIENTS
            and not OutboundMessage.objects.filter(status__in=["scheduled", "sending"]).exists()
        ),
        timeout=60,
        interval=0.5,
        message="the backlog settled",
    )
    rows = OutboundMessage.objects.filter(step__campaign=campaign)
    assert set(rows.filter(step__name="expired-30m").values_list("status", flat=True)) == {MessageStatus.EXPIRED}
    per_recipient = collections.Counter(message.fields["To"] for message in fake_twilio.messages)
    assert len(per_recipient) == PATIENTS and set(per_recipient.values()) == {1}  # once each, capped at one
    valid = rows.exclude(step__name="expired-30m")
    assert valid.filter(status=MessageStatus.SENT).count() == PATIENTS
    assert valid.filter(status=MessageStatus.SKIPPED, skip_reason=Skip.FREQUENCY_CAP).count() == PATIENTS
    print(f"\nbeat outage: {PATIENTS} patients x 3 steps; sent {PATIENTS}, expired {PATIENTS}, capped {PATIENTS}")  # noqa: T201
