from celery import shared_task


@shared_task(ignore_result=True)
def tick():
    """Plan due outbox rows and dispatch claimed ones. Filled in by the outreach engine."""
