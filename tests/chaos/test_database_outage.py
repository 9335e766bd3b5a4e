"""PostgreSQL unavailable: /healthz says 503; when it returns, the web process and the workers carry on by
themselves (no restart), and reminders that fell due during the outage go out once.

The machine's PostgreSQL is shared, so it is not stopped: the web and worker processes reach it through a TCP proxy
that the test cuts (every connection dropped, new ones refused) and restores."""

import collections
import datetime
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.utils import timezone

from outreach.models import MessageStatus, OutboundMessage
from tests.chaos.conftest import TCPProxy, free_port
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone
from tests.support.processes import ROOT, process_env, stop_process, wait_until

pytestmark = [pytest.mark.chaos, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
BATCH = 5


def healthz(port, path="/healthz"):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


@pytest.fixture
def proxy():
    settings = connection.settings_dict
    proxy = TCPProxy(settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432))
    yield proxy
    proxy.close()


def proxied_url(proxy):
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER'] or 'postgres'}{password}@127.0.0.1:{proxy.port}/{settings['NAME']}"


@pytest.fixture
def web(proxy, tmp_path):
    port = free_port()
    log = open(tmp_path / "web.log", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--threads",
            "2",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=process_env(TEST_DATABASE_URL=proxied_url(proxy)),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # /livez: the worker and beat start later, and /healthz wants them too.
        wait_until(lambda: healthz(port, "/livez") == 200, timeout=30, message="gunicorn answering")
        yield port, process
    finally:
        stop_process(process)
        log.close()


def batch(zone):
    starts = timezone.now() + datetime.timedelta(hours=1, seconds=2)
    return {
        str(make_consultation(make_contact(time_zone=zone, email=False), starts_at=starts).contact.phone)
        for _ in range(BATCH)
    }


def test_healthz_reports_503_while_postgres_is_away_and_everything_recovers_without_a_restart(
    engine, fake_twilio, proxy, web
):
    port, web_process = web
    engine.env["TEST_DATABASE_URL"] = proxied_url(proxy)
    make_campaign(steps=[{"offset": datetime.timedelta(hours=1), "max_lateness": datetime.timedelta(hours=1)}])
    zone = daytime_zone()
    first = batch(zone)
    worker = engine.start("worker")
    engine.start("beat")
    fake_twilio.wait_for_messages(BATCH, timeout=40)
    # Cut once the first batch is recorded: a cut between the provider's answer and the write of `sent` would leave
    # an outcome-unknown row, resent once after its lease (the documented duplicate; counted below in any case).
    wait_until(lambda: OutboundMessage.objects.filter(status="sent").count() == BATCH, timeout=20)

    proxy.cut()
    cut_at = time.monotonic()
    wait_until(lambda: healthz(port) == 503, timeout=20, message="/healthz 503")
    second = batch(zone)  # falls due during the outage (written here, straight to PostgreSQL)
    time.sleep(5)
    assert healthz(port) == 503
    assert len(fake_twilio.messages) == BATCH  # nothing can be claimed without the database

    proxy.restore()
    wait_until(lambda: healthz(port) == 200, timeout=30, message="/healthz 200 again")
    wait_until(
        lambda: (
            not OutboundMessage.objects.filter(status__in=["scheduled", "sending"]).exists()
            and OutboundMessage.objects.count() == 2 * BATCH
        ),
        timeout=90,
        interval=0.5,
        message="the outage's reminders sent",
    )
    recovered_after = time.monotonic() - cut_at
    time.sleep(2)
    per_recipient = collections.Counter(message.fields["To"] for message in fake_twilio.messages)
    duplicates = sum(count - 1 for count in per_recipient.values())
    unknown = sum(OutboundMessage.objects.values_list("outcome_unknown_count", flat=True))
    assert set(per_recipient) == first | second and duplicates <= unknown
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert web_process.poll() is None and worker.poll() is None  # the same processes, never restarted
    print(  # noqa: T201
        f"\ndatabase outage: healthz 503 during, 200 after; {2 * BATCH} rows sent once; "
        f"duplicates {duplicates}, recovered {recovered_after:.0f}s after the cut"
    )
