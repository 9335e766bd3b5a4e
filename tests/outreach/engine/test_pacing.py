import threading

import pytest
import redis
from django.conf import settings
from django.test import override_settings

from outreach.engine import pacing
from outreach.engine.dispatch import claim_due, dispatch
from outreach.engine.planner import plan_due
from outreach.engine.sending import send_message
from outreach.models import OutboundMessage
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone


@pytest.fixture(autouse=True)
def fresh_pacer():
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(*client.keys(f"{settings.CACHES['default']['KEY_PREFIX']}:pace:*") or ["none"])
    yield


@override_settings(OUTREACH_SMS_RATE_PER_SECOND=1)
def test_reserved_slots_are_spaced_one_interval_apart():
    # Read the slots the pacer hands out from Redis itself (its own clock), not from this process's wall clock: the
    # property holds however slowly the test runs, as long as reservations come faster than one per second.
    client = redis.Redis.from_url(settings.REDIS_URL)
    key = pacing._key("sms", "slot")
    slots = []
    for _ in range(20):
        pacing.reserve_slot("sms")
        slots.append(int(client.get(key)))
    gaps = {later - earlier for earlier, later in zip(slots, slots[1:], strict=False)}
    assert gaps == {int(1_000_000 * pacing.SAFETY_MARGIN)}


@override_settings(OUTREACH_SMS_RATE_PER_SECOND=5)
def test_the_window_admits_at_most_the_rate_per_second():
    assert [pacing.admit("sms") for _ in range(5)] == [0.0] * 5
    wait = pacing.admit("sms")
    assert 0.9 < wait <= 1.01 + pacing.WINDOW_MARGIN_SECONDS


def test_unpaced_channel_never_waits():
    assert pacing.reserve_slot("email") == 0.0


@pytest.mark.django_db
@override_settings(OUTREACH_SMS_RATE_PER_SECOND=5, OUTREACH_TICK_SECONDS=2)
def test_a_tick_hands_out_only_what_the_pacer_can_send_before_the_next_tick():
    make_campaign(sms_per_day=50)
    for _ in range(25):
        make_consultation(make_contact(time_zone=daytime_zone()), in_hours=23.95)
    plan_due()
    assert dispatch(enqueue=lambda _id: None) == 10  # 5/s x 2 s
    assert dispatch(enqueue=lambda _id: None) == 0  # still ten in flight


@pytest.mark.django_db(transaction=True)
@override_settings(OUTREACH_SMS_RATE_PER_SECOND=8)
def test_concurrent_workers_never_exceed_the_rate_in_any_one_second_window(twilio_settings, monkeypatch):
    make_campaign(sms_per_day=50)
    for _ in range(20):
        make_consultation(make_contact(time_zone=daytime_zone()), in_hours=23.95)
    plan_due()
    ids = claim_due(limit=100)
    from django.db import connection

    def worker(chunk):
        try:
            for message_id in chunk:
                send_message(message_id)
        finally:
            connection.close()

    # What the pacer promises is its admissions, on Redis's clock: no one-second window admits more than the rate.
    # (Arrival times at the fake add this machine's scheduling jitter, which is not the pacer's to control.) Each
    # admission is read back from the window's sorted set right after it, by its member id and Redis timestamp.
    client = redis.Redis.from_url(settings.REDIS_URL)
    window_key = pacing._key("sms", "window")
    admitted = {}
    real_admit = pacing.admit

    def recording_admit(channel):
        delay = real_admit(channel)
        if delay == 0:
            admitted.update(client.zrange(window_key, 0, -1, withscores=True))
        return delay

    monkeypatch.setattr(pacing, "admit", recording_admit)
    threads = [threading.Thread(target=worker, args=(ids[i::5],)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(twilio_settings.messages) == 20 == OutboundMessage.objects.filter(status="sent").count()
    times = sorted(score / 1_000_000 for score in admitted.values())
    assert len(times) == 20
    for index, start in enumerate(times):
        in_window = [t for t in times[index:] if t < start + 1.0]
        assert len(in_window) <= 8


@pytest.mark.django_db(transaction=True)
@override_settings(OUTREACH_SMS_RATE_PER_SECOND=8)
def test_a_paced_send_is_not_counted_against_its_own_frequency_cap(twilio_settings):
    # The gate asks again after the pacing wait; the row being sent must not count as one already sent today.
    make_campaign(sms_per_day=1)
    make_consultation(make_contact(time_zone=daytime_zone()), in_hours=23.95)
    plan_due()
    [message_id] = claim_due()
    send_message(message_id)
    row = OutboundMessage.objects.get()
    assert (row.status, row.skip_reason) == ("sent", "")
    assert len(twilio_settings.messages) == 1
