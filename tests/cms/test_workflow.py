"""Medical review: marketing editors write and submit, clinical reviewers approve (which publishes)."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import Workflow

from cms.tasks import publish_scheduled
from tests.cms.factories import make_article

pytestmark = pytest.mark.django_db


def test_editors_edit_but_cannot_publish(index, editor, reviewer):
    article = make_article(index)
    assert editor.has_perm("wagtailadmin.access_admin")
    assert article.permissions_for_user(editor).can_edit()
    assert index.permissions_for_user(editor).can_add_subpage()
    assert not article.permissions_for_user(editor).can_publish()
    assert article.permissions_for_user(reviewer).can_publish()


def test_medical_review_applies_to_every_page(index):
    article = make_article(index)
    workflow = article.get_workflow()
    assert workflow.name == "Medical review"
    assert [task.name for task in workflow.tasks] == ["Clinical review"]
    assert Workflow.objects.filter(name="Medical review").count() == 1


def test_submit_then_reviewer_approves_and_publishes(index, editor, reviewer):
    article = make_article(index, publish=False, title="Draft")
    article.save_revision(user=editor)
    workflow_state = article.get_workflow().start(article, editor)
    task_state = workflow_state.current_task_state
    task = task_state.task.specific

    assert task.get_actions(article, editor) == []
    assert [name for name, *_ in task.get_actions(article, reviewer)][:2] == ["reject", "approve"]

    task.on_action(task_state, reviewer, "approve")

    article.refresh_from_db()
    assert article.live
    workflow_state.refresh_from_db()
    assert workflow_state.status == "approved"


def test_scheduled_publishing_runs_from_the_beat_task(index, api):
    article = make_article(index, publish=False, title="Scheduled")
    revision = article.save_revision(approved_go_live_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api.get(f"/api/v2/pages/{article.pk}/").status_code == 404

    publish_scheduled()

    revision.refresh_from_db()
    article.refresh_from_db()
    assert article.live
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["title"] == "Scheduled"
