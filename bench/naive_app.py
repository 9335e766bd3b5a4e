"""The naive baseline of issue 19: appointment reminders as the common Celery pattern does them, to measure the
engine against in the same run, on the same fake Twilio, at the same concurrency.

One task per reminder, scheduled with a countdown when the reminder is planned; when it falls due the task loads the
appointment and its patient and sends directly with the `twilio` library (one module-level client per process, as
Twilio's own appointment-reminders sample does). No outbox, no consent or quiet-hours checks, no pacing. Failures
are retried the way Celery tutorials teach: `autoretry_for` the transient errors (a 429 or 5xx answer, a connection
error, a timeout) with exponential backoff and jitter. That is what makes it duplicate a message the provider had
accepted before answering 500 or dropping the connection.

Its own Celery app (`celery -A bench.naive_app worker`) on the benchmark's Redis db and its own queue; the data are
the product's Consultation and Contact rows that the benchmark loaded. Started by bench/naive_baseline.py.
"""

import os

import django
import requests
from celery import Celery
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
django.setup()

QUEUE = os.environ.get("BENCH_CELERY_QUEUE", "bench") + "-naive"
REMINDER = "Hi {name}, this is a reminder of your appointment at {clinic} on {day} at {time}. Reply STOP to opt out."

app = Celery("naive-baseline")
app.conf.update(
    broker_url=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/10"),
    task_default_queue=QUEUE,
    task_ignore_result=True,
    worker_hijack_root_logger=False,
)

_client = None


def client():
    global _client
    if _client is None:
        _client = Client(
            os.environ["TWILIO_ACCOUNT_SID"],
            os.environ["TWILIO_AUTH_TOKEN"],
            http_client=TwilioHttpClient(timeout=10),
        )
        _client.api.base_url = os.environ["TWILIO_API_BASE_URL"]  # the fake (the sample reaches api.twilio.com)
    return _client


class Transient(Exception):  # noqa: N818 - Celery's retry marker for a provider error worth another try
    pass


@app.task(
    bind=True,
    autoretry_for=(Transient, requests.exceptions.RequestException),
    retry_backoff=1,
    retry_backoff_max=8,
    retry_jitter=True,
    max_retries=5,
)
def send_sms_reminder(self, consultation_id):
    from outreach.models import Consultation

    consultation = Consultation.objects.select_related("contact").filter(pk=consultation_id).first()
    if consultation is None or consultation.status != Consultation.Status.SCHEDULED:
        return  # the appointment was deleted or cancelled since the task was scheduled
    local = consultation.starts_at.astimezone(consultation.contact.zone)
    body = REMINDER.format(
        name=consultation.contact.first_name,
        clinic="Ketamine Center of Connecticut",
        day=local.strftime("%A, %B %d"),
        time=local.strftime("%I:%M %p").lstrip("0"),
    )
    try:
        client().messages.create(to=str(consultation.contact.phone), from_=os.environ["TWILIO_FROM_NUMBER"], body=body)
    except TwilioRestException as exc:
        if exc.status == 429 or exc.status >= 500:
            raise Transient(exc.status) from None
        raise
