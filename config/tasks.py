"""Project-wide housekeeping run by beat: the retention schedule (README, "Retention")."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from config.periodic import exclusive

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
@exclusive("retention")
def retention():
    """Blank message content past its period and delete old login records; the consent ledger is never touched."""
    from outreach.consent.retention import apply_retention

    apply_retention()
    purge_login_records(settings.RETENTION_LOGIN_ATTEMPT_DAYS)


def purge_login_records(older_than_days, now=None):
    """django-axes' records of admin logins (usernames, client addresses, browsers) older than the period."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt

    cutoff = (now or timezone.now()) - datetime.timedelta(days=older_than_days)
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=cutoff).delete()
    logs = AxesProxyHandler.reset_logs(age_days=older_than_days)
    failures = AxesProxyHandler.reset_failure_logs(age_days=older_than_days)
    logger.info("retention: deleted %d login attempts, %d login logs, %d failure logs", attempts, logs, failures)
    return attempts + logs + failures
