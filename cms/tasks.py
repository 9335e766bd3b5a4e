from celery import shared_task
from django.core.management import call_command


@shared_task(ignore_result=True)
def publish_scheduled():
    """Wagtail's scheduled publishing and expiry, run by beat every minute."""
    call_command("publish_scheduled")
