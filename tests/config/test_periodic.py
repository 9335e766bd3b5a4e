"""Exactly one tick at a time: a PostgreSQL advisory lock around each periodic run (config/periodic.py)."""

import collections
import datetime
import threading
import time

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from config import periodic
from outreach.models import MessageStatus, OutboundMessage
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support import processes as support
from tests.support.engine import daytime_zone
from tests.support.processes import engine_env, engine_processes, wait_until


@pytest.fixture
def other_session():
    """A second PostgreSQL session, as another worker process would hold."""
    with psycopg.connect(support.test_database_url(), autocommit=True) as session:
        yield session


def hold(session, name):
    session.execute("SELECT pg_advisory_lock(%s)", [periodic.lock_key(name)])


def release(session, name):
    session.execute("SELECT pg_advisory_unlock(%s)", [periodic.lock_key(name)])


def sample(metric, **labels):
    from prometheus_client import REGISTRY

    return REGISTRY.get_sample_value(metric, labels) or 0.0


@pytest.mark.django_db(transaction=True)
def test_a_run_is_skipped_while_another_session_holds_the_lock(other_session):
    runs = []

    @periodic.exclusive("test-task")
    def task(value):
        runs.append(value)
        return value

    skipped_before = sample("clinic_periodic_skipped_total", task="test-task")
    observed_before = sample("clinic_periodic_run_seconds_count", task="test-task")
    hold(other_session, "test-task")
    assert task(1) is None and runs == []
    assert sample("clinic_periodic_skipped_total", task="test-task") == skipped_before + 1

    release(other_session, "test-task")
    assert task(2) == 2 and runs == [2]
    assert sample("clinic_periodic_run_seconds_count", task="test-task") == observed_before + 1
    assert periodic.last_run("test-task") > timezone.now() - datetime.timedelta(seconds=10)
    # Released after the run: the other session can take it at once.
    acquired = other_session.execute("SELECT pg_try_advisory_lock(%s)", [periodic.lock_key("test-task")]).fetchone()
    assert acquired[0] is True
    release(other_session, "test-task")


@pytest.mark.django_db(transaction=True)
def test_the_lock_is_released_when_the_run_fails(other_session):
    @periodic.exclusive("test-failing")
    def task():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        task()
    acquired = other_session.execute("SELECT pg_try_advisory_lock(%s)", [periodic.lock_key("test-failing")])
    assert acquired.fetchone()[0] is True
    release(other_session, "test-failing")


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_never_overlap():
    """Many threads (each its own database session, as separate workers) call the task at once: never two inside."""
    inside, overlaps, ran = [0], [], []
    guard = threading.Lock()

    @periodic.exclusive("test-overlap")
    def task():
        with guard:
            inside[0] += 1
            overlaps.append(inside[0])
        time.sleep(0.05)
        with guard:
            inside[0] -= 1
        ran.append(1)

    def call():
        try:
            for _ in range(10):
                task()
        finally:
            connection.close()

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ran and max(overlaps) == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_second_beat_is_harmless(fake_twilio, tmp_path, other_session):
    """Two real beats and two workers: while the tick's lock is held elsewhere nothing is dispatched and every tick
    says it skipped; once released, each reminder is sent exactly once."""
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "Test Clinic"
    clinic.save()
    make_campaign(steps=[{"offset": datetime.timedelta(hours=1), "max_lateness": datetime.timedelta(hours=1)}])
    zone = daytime_zone()
    starts = timezone.now() + datetime.timedelta(hours=1, seconds=2)
    phones = {
        str(make_consultation(make_contact(time_zone=zone, email=False), starts_at=starts).contact.phone)
        for _ in range(6)
    }

    hold(other_session, "outreach-tick")
    with engine_processes(tmp_path, engine_env(fake_twilio), workers=2, beats=2):

        def logs(prefix):
            return "".join(path.read_text(errors="replace") for path in tmp_path.glob(f"{prefix}*.log"))

        wait_until(lambda: logs("worker").count("outreach-tick: skipped") >= 4, timeout=60, message="skipped ticks")
        assert all("outreach.tasks.tick" in (tmp_path / f"beat{i}.log").read_text() for i in range(2))
        assert fake_twilio.messages == [] and not OutboundMessage.objects.exists()

        release(other_session, "outreach-tick")
        fake_twilio.wait_for_messages(len(phones), timeout=60)
        wait_until(
            lambda: set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT},
            timeout=30,
            message="every row sent",
        )
        time.sleep(3)  # more ticks from both beats: nothing more goes out
        per_recipient = collections.Counter(message.fields["To"] for message in fake_twilio.messages)
        assert set(per_recipient) == phones and set(per_recipient.values()) == {1}
