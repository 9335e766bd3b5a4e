"""The Celery app. Configuration comes from Django settings (namespace CELERY); tasks are autodiscovered."""

import os

from celery import Celery

# As config/wsgi.py: no DJANGO_SETTINGS_MODULE means production, never the development settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("clinic")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from config import celery_connections  # noqa: E402 - after the app: its handlers serve this app's tasks

celery_connections.install()


def _queues():
    """Two queues, both consumed by every worker (a worker without -Q consumes all of `task_queues`): the send
    queue, and a control queue for beat's periodic tasks. The outreach dispatch runs every second; on the send queue
    it would wait behind a burst it had itself enqueued, and the burst behind the ticks. Kombu's Redis transport
    takes from the two queues in turn, so a control task starts at the next free worker slot."""
    from django.conf import settings
    from kombu import Queue

    send = settings.CELERY_TASK_DEFAULT_QUEUE
    control = f"{send}-control"
    routes = {entry["task"]: {"queue": control} for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    return (Queue(send), Queue(control)), routes


app.conf.task_queues, app.conf.task_routes = _queues()
