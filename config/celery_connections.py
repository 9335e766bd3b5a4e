"""Database connections in Celery workers: kept across tasks like a web thread keeps its connection across requests.

Celery's Django fixup closes every database connection before and after each task unless `CELERY_DB_REUSE_MAX` is
set, whatever `CONN_MAX_AGE` says: each task then pays a new PostgreSQL session (about 1.1 sessions per message
sent, before this). So base.py sets `CELERY_DB_REUSE_MAX` high when connections are persistent, and these handlers
do for tasks what Django's request signals do for requests: `close_old_connections()` before and after each task,
which closes a connection older than `CONN_MAX_AGE`, one left unusable by an error (a database restart), and lets
`CONN_HEALTH_CHECKS` test an idle one before its next use. Each worker thread has its own connection (Django's
connections are per thread).
"""

from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections


def _close_old(sender=None, **kwargs):
    if not getattr(getattr(sender, "request", None), "is_eager", False):
        close_old_connections()


def install():
    task_prerun.connect(_close_old, weak=False, dispatch_uid="clinic-close-old-connections-prerun")
    task_postrun.connect(_close_old, weak=False, dispatch_uid="clinic-close-old-connections-postrun")
