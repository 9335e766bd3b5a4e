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
