"""End to end with real processes: a CSV import, then Celery beat and workers send through the real twilio client
to the fake Twilio over HTTP. Each test asserts what arrived at the provider, and when."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from outreach.models import MessageStatus, OutboundMessage
from tests.outreach.factories import fictional_phone, make_campaign, set_clinic
from tests.support.engine import daytime_zone, night_zone
from tests.support.processes import engine_env, engine_processes, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
HEADER = "external_id,first_name,last_name,phone,email,timezone,starts_at,sms_consent,email_consent,status\n"


@pytest.fixture
def clinic():
    return set_clinic()


@pytest.fixture
def engine(fake_twilio, tmp_path, clinic):
    """Beat (ticking every second) and a worker, configured for the fake Twilio, running for the test."""
    env = engine_env(fake_twilio)

    class Engine:
        running = None

        def start(self, workers=1, beats=1):
            self.running = engine_processes(tmp_path, env, workers=workers, beats=beats)
            self.running.__enter__()

        def stop(self):
            if self.running is not None:
                self.running.__exit__(None, None, None)

    engine = Engine()
    yield engine
    engine.stop()


def csv_line(external_id, phone, zone, starts_at, status=""):
    return f"{external_id},Pat,Example,{phone},,{zone},{starts_at.isoformat()},yes,no,{status}\n"


def import_csv(tmp_path, lines, name="import.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(lines))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_consultations", str(path))
    assert exit_info.value.code == 0


def local_time_text(moment, zone):
    local = moment.astimezone(zoneinfo.ZoneInfo(zone))
    return f"{local.strftime('%I').lstrip('0')}:{local.strftime('%M %p')}"


def test_imported_reminders_arrive_on_time_once_and_respect_night_reschedule_and_cancel(engine, fake_twilio, tmp_path):
    make_campaign(steps=[{"offset": datetime.timedelta(hours=24), "max_lateness": datetime.timedelta(hours=10)}])
    day, night = daytime_zone(), night_zone()
    soon = timezone.now() + datetime.timedelta(hours=24, seconds=12)
    later = timezone.now() + datetime.timedelta(hours=24, seconds=30)
    phones = [fictional_phone(n) for n in (11, 12, 13, 14, 15)]
    import_csv(
        tmp_path,
        [
            csv_line("A", phones[0], day, soon),
            csv_line("B", phones[1], day, soon),
            csv_line("NIGHT", phones[2], night, soon),
            csv_line("MOVED", phones[3], day, later),
            csv_line("CANCELLED", phones[4], day, later),
        ],
    )
    engine.start()
    fake_twilio.wait_for_messages(2, timeout=40)
    received = {message.fields["To"]: message for message in fake_twilio.messages}
    assert set(received) == {phones[0], phones[1]}
    for phone in phones[:2]:
        arrived = datetime.datetime.fromtimestamp(received[phone].received_at, tz=datetime.UTC)
        due = soon - datetime.timedelta(hours=24)
        assert due <= arrived <= due + datetime.timedelta(seconds=5), (due, arrived)
        assert local_time_text(soon, day) in received[phone].fields["Body"]

    # Before the later reminders fall due: move one by two days, cancel the other.
    import_csv(
        tmp_path,
        [
            csv_line("MOVED", phones[3], day, later + datetime.timedelta(days=2)),
            csv_line("CANCELLED", phones[4], day, later, status="cancelled"),
        ],
        name="changes.csv",
    )
    wait_until(
        lambda: timezone.now() > later - datetime.timedelta(hours=24) + datetime.timedelta(seconds=4), timeout=60
    )
    assert len(fake_twilio.messages) == 2  # still exactly two: no duplicates, nothing for moved/cancelled

    night_row = OutboundMessage.objects.get(consultation__external_id="NIGHT")
    assert night_row.status == MessageStatus.SCHEDULED
    assert night_row.scheduled_for.astimezone(zoneinfo.ZoneInfo(night)).hour == 8
    assert not OutboundMessage.objects.filter(consultation__external_id="CANCELLED", status="sent").exists()
    assert not OutboundMessage.objects.filter(consultation__external_id="MOVED", status="sent").exists()


def test_racing_dispatchers_and_workers_send_each_reminder_once(engine, fake_twilio, tmp_path):
    make_campaign(
        steps=[{"offset": datetime.timedelta(hours=1), "max_lateness": datetime.timedelta(hours=1)}], sms_per_day=5
    )
    zone = daytime_zone()
    due = timezone.now() + datetime.timedelta(hours=1, seconds=3)
    import_csv(tmp_path, [csv_line(f"R{n}", fictional_phone(100 + n), zone, due) for n in range(40)])
    engine.start(workers=2, beats=2)
    fake_twilio.wait_for_messages(40, timeout=60)
    wait_until(lambda: not OutboundMessage.objects.exclude(status="sent").exists(), timeout=20)
    import time

    time.sleep(3)  # a few more ticks of both dispatchers
    recipients = [message.fields["To"] for message in fake_twilio.messages]
    assert len(recipients) == len(set(recipients)) == 40


def test_a_500_then_success_sends_once_and_an_invalid_number_fails_without_retry(engine, fake_twilio, tmp_path):
    make_campaign(steps=[{"offset": datetime.timedelta(hours=1)}])
    zone = daytime_zone()
    good, invalid = fictional_phone(201), fictional_phone(202)
    fake_twilio.set_rule(invalid, "invalid")
    fake_twilio.fail_next(1, status=500)
    due = timezone.now() + datetime.timedelta(hours=1, seconds=2)
    import_csv(tmp_path, [csv_line("GOOD", good, zone, due)])
    engine.start()
    fake_twilio.wait_for_messages(1, timeout=40)
    import_csv(tmp_path, [csv_line("BAD", invalid, zone, timezone.now() + datetime.timedelta(hours=1))], "bad.csv")
    wait_until(
        lambda: OutboundMessage.objects.filter(consultation__external_id="BAD", status="failed").exists(), timeout=30
    )
    import time

    time.sleep(3)
    to_good = [r for r in fake_twilio.requests if r.value("To") == good]
    to_bad = [r for r in fake_twilio.requests if r.value("To") == invalid]
    assert len(to_good) == 2  # the 500, then the success
    assert len(fake_twilio.messages) == 1
    assert len(to_bad) == 1
    assert OutboundMessage.objects.get(consultation__external_id="BAD").error_code == "21211"
