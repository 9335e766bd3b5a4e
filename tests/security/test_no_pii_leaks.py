"""No patient data in the broker, the logs, exception messages or error fields: messages are sent end to end by a
real worker to the fake providers (some failing), and every place a phone number or email could leak is scanned
for the numbers and addresses used, in every common spelling."""

import base64
import datetime
import json
import logging
import re

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from outreach.engine import dispatch, planner
from outreach.models import DeliveryEvent, MessageStatus, OutboundMessage
from tests.outreach.factories import fictional_phone, make_campaign, make_consultation, make_contact, set_clinic
from tests.support.engine import daytime_zone
from tests.support.processes import celery_process, engine_env, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
PATIENTS = 6


def spellings(phone, email):
    digits = phone[2:]  # +1NXXNXXXXXX -> NXXNXXXXXX
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    return {
        phone,
        phone[1:],
        digits,
        f"({area}) {exchange}-{line}",
        f"{area}-{exchange}-{line}",
        f"{area}.{exchange}.{line}",
        f"{area} {exchange} {line}",
        email,
        email.upper(),
        email.split("@")[0],
    }


def leaks(text, secrets):
    return sorted(secret for secret in secrets if secret.lower() in text.lower())


def broker_payloads():
    """The raw messages waiting in this run's queue, with their base64 bodies decoded too."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    raw = client.lrange(settings.CELERY_TASK_DEFAULT_QUEUE, 0, -1)
    texts = []
    for item in raw:
        text = item.decode("utf-8", "replace")
        texts.append(text)
        body = json.loads(text).get("body", "")
        texts.append(base64.b64decode(body).decode("utf-8", "replace"))
    return texts


@pytest.fixture
def clinic():
    return set_clinic()


def test_phone_numbers_and_emails_appear_in_no_broker_payload_log_line_or_error(clinic, fake_twilio, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    make_campaign(
        steps=[
            {
                "offset": datetime.timedelta(hours=1),
                "max_lateness": datetime.timedelta(hours=1),
                "send_sms": True,
                "send_email": True,
            }
        ],
        sms_per_day=5,
        emails_per_day=5,
    )
    zone = daytime_zone()
    starts = timezone.now() + datetime.timedelta(hours=1) - datetime.timedelta(seconds=5)
    secrets = set()
    contacts = []
    for n in range(PATIENTS):
        phone, email = fictional_phone(60 + n), f"pii.scan{n}@example.com"
        contacts.append(make_contact(time_zone=zone, phone=phone, email=email))
        make_consultation(contacts[-1], starts_at=starts)
        secrets |= spellings(phone, email)
    fake_twilio.set_rule(fictional_phone(60), "invalid")  # a permanent error whose text names the number
    fake_twilio.fail_next(2, status=500)  # transient errors: retried

    # 1. No worker yet: plan and dispatch here, then read what went into the broker.
    planner.plan_due()
    from outreach.tasks import send_messages

    assert dispatch.dispatch(send_messages.delay) == 2 * PATIENTS
    payloads = broker_payloads()
    assert len(payloads) == 2 * 2  # a task per channel (its batch of row ids), two strings in the broker each
    assert not leaks("\n".join(payloads), secrets), leaks("\n".join(payloads), secrets)

    # 2. A worker and beat send everything (with the retries and the refusal).
    env = engine_env(fake_twilio, LOG_LEVEL="DEBUG")
    with (
        celery_process("worker", "--pool", "threads", "--concurrency", "4", "--loglevel", "DEBUG",
                       log_path=tmp_path / "worker.log", **env),
        celery_process("beat", "--loglevel", "DEBUG", "--schedule", str(tmp_path / "beat"),
                       log_path=tmp_path / "beat.log", **env),
    ):  # fmt: skip
        wait_until(
            lambda: not OutboundMessage.objects.filter(status__in=["scheduled", "sending"]).exists(),
            timeout=60,
            interval=0.5,
            message="every message settled",
        )
    rows = OutboundMessage.objects.all()
    assert rows.filter(status=MessageStatus.SENT).count() == 2 * PATIENTS - 1
    assert rows.filter(status=MessageStatus.FAILED).count() == 1
    assert len(fake_twilio.messages) == PATIENTS - 1  # email goes to the test settings' in-memory backend

    places = {
        "worker log": (tmp_path / "worker.log").read_text(errors="replace"),
        "beat log": (tmp_path / "beat.log").read_text(errors="replace"),
        "test log": caplog.text,
        "outbox errors": "\n".join(f"{r.error_code} {r.error_message}" for r in rows),
        "delivery payloads": "\n".join(json.dumps(e.payload) for e in DeliveryEvent.objects.all()),
        "broker after": "\n".join(broker_payloads()),
    }
    assert "send_message" in places["worker log"]  # the log really is the worker's, at DEBUG
    found = {place: leaks(text, secrets) for place, text in places.items() if leaks(text, secrets)}
    assert not found, found
    print(f"\nPII scan: {len(secrets)} spellings of {PATIENTS} phones and emails, none found in {', '.join(places)}")  # noqa: T201


def test_exception_messages_of_provider_errors_hold_no_address():
    from outreach.providers.twilio import classify_twilio_error

    class FakeTwilioError(Exception):
        code = 21211
        status = 400
        msg = "The 'To' number +12015550160 is not a valid phone number."

    exc = classify_twilio_error(FakeTwilioError(FakeTwilioError.msg))
    assert "2015550160" not in str(exc) and "2015550160" not in exc.reason


@pytest.mark.parametrize("secret", ["+12035550142", "jane.doe@example.com"])
def test_intake_errors_never_echo_the_value(secret):
    from outreach.intake.upsert import IntakeRejected, upsert

    with pytest.raises(IntakeRejected) as info:
        upsert({"external_id": "X", "first_name": "A", "timezone": secret, "phone": "", "email": "",
                "starts_at": secret, "last_name": "", "sms_consent": secret, "email_consent": ""}, "api")  # fmt: skip
    assert not re.search(re.escape(secret), str(info.value))
