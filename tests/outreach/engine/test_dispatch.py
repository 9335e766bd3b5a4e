import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from outreach.engine.dispatch import (
    claim_due,
    dispatch,
    dispatch_until,
    expire_overdue,
    next_due_at,
    recover_expired_leases,
)
from outreach.engine.planner import plan_due
from outreach.models import Campaign, MessageStatus, OutboundMessage
from tests.outreach.factories import make_campaign, make_consultation


def plan_rows(count, **campaign):
    make_campaign(**campaign)
    for _ in range(count):
        make_consultation(in_hours=23.9)  # the 24 h step was due 6 minutes ago
    plan_due()
    return list(OutboundMessage.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_claim_marks_due_rows_sending_with_a_lease():
    ids = plan_rows(3)
    claimed = claim_due()
    assert sorted(claimed) == sorted(ids)
    for row in OutboundMessage.objects.all():
        assert row.status == MessageStatus.SENDING
        assert row.lease_expires_at > timezone.now()
    assert claim_due() == []


@pytest.mark.django_db
def test_rows_not_yet_due_or_of_paused_campaigns_are_not_claimed():
    make_campaign()
    make_consultation(in_hours=24.1)  # due in 6 minutes
    plan_due()
    assert claim_due() == []
    assert claim_due(timezone.now() + datetime.timedelta(minutes=7)) != []

    OutboundMessage.objects.update(status=MessageStatus.SCHEDULED)
    Campaign.objects.update(active=False)
    assert claim_due(timezone.now() + datetime.timedelta(minutes=7)) == []


@pytest.mark.django_db
def test_dispatch_enqueues_each_claimed_id_once():
    ids = plan_rows(5)
    enqueued = []
    assert dispatch(enqueue=enqueued.extend) == 5
    assert sorted(enqueued) == sorted(ids)
    assert dispatch(enqueue=enqueued.extend) == 0


@pytest.mark.django_db
def test_an_unpaced_channel_is_handed_out_in_batches_and_a_paced_one_a_row_at_a_time(settings):
    settings.OUTREACH_SEND_BATCH = 2
    ids = plan_rows(5)
    batches = []
    assert dispatch(enqueue=batches.append) == 5
    assert [len(batch) for batch in batches] == [2, 2, 1]
    assert sorted(pk for batch in batches for pk in batch) == sorted(ids)
    OutboundMessage.objects.update(status=MessageStatus.SCHEDULED, lease_expires_at=None)
    settings.OUTREACH_SMS_RATE_PER_SECOND = 50
    settings.OUTREACH_EMAIL_RATE_PER_SECOND = 50
    batches = []
    assert dispatch(enqueue=batches.append) == 5
    assert [len(batch) for batch in batches] == [1, 1, 1, 1, 1]


@pytest.mark.django_db(transaction=True)
def test_racing_dispatchers_never_claim_the_same_row():
    ids = plan_rows(60)
    results, barrier = [], threading.Barrier(4)

    def racer():
        try:
            barrier.wait()
            claimed = []
            while batch := claim_due(limit=7):
                claimed.extend(batch)
            results.append(claimed)
        finally:
            connection.close()

    threads = [threading.Thread(target=racer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [message_id for claimed in results for message_id in claimed]
    assert len(everything) == len(set(everything)) == len(ids)


@pytest.mark.django_db
def test_a_lease_that_expired_before_the_provider_call_goes_back_to_scheduled():
    plan_rows(1)
    claim_due()
    later = timezone.now() + datetime.timedelta(hours=1)
    assert recover_expired_leases(later) == 1
    row = OutboundMessage.objects.get()
    assert row.status == MessageStatus.SCHEDULED
    assert row.outcome_unknown_count == 0


@pytest.mark.django_db
def test_a_worker_that_died_mid_call_leaves_a_row_that_asks_the_provider_before_any_resend():
    plan_rows(1)
    moment = timezone.now()
    first_call = None
    for count in (1, 2):
        assert claim_due(moment)
        OutboundMessage.objects.update(provider_call_started_at=moment)  # the worker died mid-call
        first_call = first_call or moment
        moment += datetime.timedelta(minutes=10)
        recover_expired_leases(moment)
        row = OutboundMessage.objects.get()
        assert (row.status, row.error_code, row.outcome_unknown_count) == (
            MessageStatus.SCHEDULED,
            "outcome_unknown",
            count,
        )
        assert row.provider_call_started_at is None
        assert row.ambiguous_since == first_call  # the look-up searches from the first attempt on


@pytest.mark.django_db
def test_rows_past_their_lateness_expire():
    plan_rows(1)
    row = OutboundMessage.objects.get()
    assert expire_overdue(row.not_after + datetime.timedelta(seconds=1)) == 1
    row.refresh_from_db()
    assert row.status == MessageStatus.EXPIRED


@pytest.mark.django_db
def test_a_task_that_waited_past_its_lease_does_not_send_and_recovery_hands_the_row_out_again():
    from outreach.engine.sending import send_message

    plan_rows(1)
    [message_id] = claim_due()
    OutboundMessage.objects.update(lease_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert send_message(message_id) is None
    row = OutboundMessage.objects.get()
    assert row.provider_call_started_at is None and row.attempts == 0
    recover_expired_leases()
    assert OutboundMessage.objects.get().status == MessageStatus.SCHEDULED


@pytest.mark.django_db
def test_a_dispatch_claims_no_more_than_the_workers_can_take_before_their_leases_run_out(settings):
    settings.OUTREACH_MAX_IN_FLIGHT = 3
    ids = plan_rows(5)
    handed = []
    assert dispatch(handed.extend) == 3
    assert dispatch(handed.extend) == 0  # three still claimed and unsettled: nothing more until they settle
    OutboundMessage.objects.filter(pk=handed[0]).update(status=MessageStatus.SENT)
    assert dispatch(handed.extend) == 1
    assert len(set(handed)) == 4 and set(handed) <= set(ids)


def _due_in(seconds, rows):
    """Planned rows that fall due `seconds` from now."""
    moment = timezone.now() + datetime.timedelta(seconds=seconds)
    OutboundMessage.objects.filter(pk__in=rows).update(scheduled_for=moment)
    return moment


@pytest.mark.django_db
def test_a_row_planned_ahead_is_handed_out_when_it_falls_due_not_at_the_next_dispatch():
    first, second = plan_rows(2)
    due = _due_in(0.3, [first])
    _due_in(60, [second])  # past this dispatch period: left for a later one
    handed = []
    until = timezone.now() + datetime.timedelta(seconds=0.9)
    assert dispatch_until(lambda batch: handed.append((timezone.now(), batch)), until) == 1
    assert [batch for _at, batch in handed] == [[first]]
    assert handed[0][0] >= due  # never before it is due
    assert timezone.now() < until + datetime.timedelta(seconds=0.5)
    assert OutboundMessage.objects.get(pk=second).status == MessageStatus.SCHEDULED


@pytest.mark.django_db
def test_an_idle_dispatch_period_and_a_paused_campaigns_rows_do_not_keep_it_awake():
    sleeps = []
    until = timezone.now() + datetime.timedelta(seconds=5)
    assert dispatch_until([].append, until, sleep=sleeps.append) == 0  # nothing planned at all
    rows = plan_rows(2)
    _due_in(1, rows)
    Campaign.objects.update(active=False)
    assert next_due_at(timezone.now(), until) is None
    assert dispatch_until([].append, until, sleep=sleeps.append) == 0
    assert sleeps == []


@pytest.mark.django_db
def test_a_burst_over_the_in_flight_ceiling_is_handed_out_as_rows_settle_within_the_period(settings):
    settings.OUTREACH_MAX_IN_FLIGHT = 2
    settings.OUTREACH_SEND_BATCH = 1
    ids = plan_rows(5)
    handed = []

    def enqueue(batch):  # a worker that settles each batch at once
        handed.extend(batch)
        OutboundMessage.objects.filter(pk__in=batch).update(status=MessageStatus.SENT, lease_expires_at=None)

    until = timezone.now() + datetime.timedelta(seconds=0.8)
    assert dispatch_until(enqueue, until, poll_seconds=0.05) == 5
    assert sorted(handed) == sorted(ids)


@pytest.mark.django_db
def test_the_beat_dispatch_ends_inside_its_period_so_the_next_one_finds_its_lock_free(settings, monkeypatch):
    from outreach.engine import dispatch as dispatch_module
    from outreach.tasks import dispatch_due

    settings.OUTREACH_DISPATCH_SECONDS = 2
    rows = plan_rows(1)
    _due_in(0.2, rows)  # planned, falls due inside this period
    periods = []
    real = dispatch_module.dispatch_until

    def spy(enqueue, until, **options):
        periods.append((timezone.now(), until))
        return real(enqueue, until, **options)

    monkeypatch.setattr(dispatch_module, "dispatch_until", spy)
    dispatch_due()
    assert OutboundMessage.objects.get(pk=rows[0]).status == MessageStatus.SENDING
    [(started, until)] = periods
    assert started + datetime.timedelta(seconds=1.5) < until < started + datetime.timedelta(seconds=2)


@pytest.mark.django_db
def test_a_row_falling_due_while_the_claim_runs_is_handed_out_in_the_same_period():
    first, second = plan_rows(2)
    _due_in(60, [second])
    handed = []

    def enqueue(batch):
        handed.extend(batch)
        if second not in handed:  # during the claim, the second row's moment comes
            OutboundMessage.objects.filter(pk=second).update(scheduled_for=timezone.now())

    until = timezone.now() + datetime.timedelta(seconds=0.9)
    assert dispatch_until(enqueue, until, sleep=lambda seconds: None) == 2
    assert handed == [first, second]
