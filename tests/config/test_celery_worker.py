"""A real Celery worker on the real Redis runs a task and its effect lands in the database."""

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page

from celery_app import app
from cms.tasks import publish_scheduled
from tests.support.processes import celery_process, wait_until


def test_celery_is_configured_for_safe_delivery():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_publishes_a_scheduled_page(tmp_path):
    # Transactional tests that ran before may have flushed the locale and the tree the migrations made.
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    page = root.add_child(instance=Page(title="Scheduled notice", slug="scheduled-notice", live=False))
    revision = page.save_revision(approved_go_live_at=timezone.now() - timezone.timedelta(minutes=1))
    assert not Page.objects.get(pk=page.pk).live

    with celery_process("worker", "--pool", "solo", "--loglevel", "INFO", log_path=tmp_path / "worker.log"):
        publish_scheduled.delay()
        wait_until(lambda: Page.objects.get(pk=page.pk).live, timeout=60, message="the worker to publish the page")

    page.refresh_from_db()
    assert page.live_revision_id == revision.pk


def test_beat_tasks_go_to_a_control_queue_that_every_worker_consumes_beside_the_send_queue():
    from django.conf import settings

    send = settings.CELERY_TASK_DEFAULT_QUEUE
    assert [queue.name for queue in app.conf.task_queues] == [send, f"{send}-control"]
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert app.amqp.router.route({}, entry["task"])["queue"].name == f"{send}-control"
    assert app.amqp.router.route({}, "outreach.tasks.send_message")["queue"].name == send
    assert app.amqp.router.route({}, "outreach.tasks.send_messages")["queue"].name == send
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["outreach-dispatch"]["schedule"] == 1.0 < schedule["outreach-tick"]["schedule"]
