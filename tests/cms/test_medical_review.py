"""Approving an article in the Medical review workflow records who approved it and when, and the content API's
reviewer and last-reviewed fields come from that record (cms/medical_review.py)."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import TaskState

from cms.clinic import get_clinic_settings
from cms.models import ArticlePage, Person
from tests.cms.conftest import member
from tests.cms.factories import make_article

pytestmark = pytest.mark.django_db


def submit_and_approve(article, editor, reviewer):
    article.save_revision(user=editor)
    workflow_state = article.get_workflow().start(article, editor)
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    return TaskState.objects.get(pk=task_state.pk)


def test_approval_names_the_reviewer_and_the_day_in_the_api(index, editor, reviewer, api):
    person = Person.objects.create(name="Dr. Morgan Lee", credentials="MD", user=reviewer)
    article = make_article(index, publish=False, title="Reviewed")
    approval = submit_and_approve(article, editor, reviewer)
    assert approval.finished_by == reviewer and approval.status == "approved"

    article = ArticlePage.objects.get(pk=article.pk)
    today = approval.finished_at.astimezone(get_clinic_settings().tzinfo).date()
    assert article.live
    assert (article.medical_reviewer, article.last_reviewed) == (person, today)
    data = api.get(f"/api/v2/pages/{article.pk}/").json()
    assert data["medical_reviewer"]["name"] == "Dr. Morgan Lee"
    assert data["last_reviewed"] == today.isoformat()


def test_a_reviewer_without_a_person_gets_one_from_their_name(index, editor, reviewer, api):
    article = make_article(index, publish=False)
    submit_and_approve(article, editor, reviewer)
    person = Person.objects.get(user=reviewer)
    assert person.name == "Morgan Lee"
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["medical_reviewer"]["name"] == "Morgan Lee"


def test_typed_values_never_outlive_a_publish(index, editor, reviewer, django_user_model):
    """A later revision that carries other values (or a publish that bypassed review) still shows the approval."""
    article = make_article(index, publish=False)
    submit_and_approve(article, editor, reviewer)
    article = ArticlePage.objects.get(pk=article.pk)
    approved_on = article.last_reviewed

    article.last_reviewed = datetime.date(2001, 1, 1)
    article.medical_reviewer = Person.objects.create(name="Somebody else")
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "x" * 12)
    article.save_revision(user=admin).publish(user=admin)  # an administrator publishing without review

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.last_reviewed == approved_on
    assert article.medical_reviewer.user == reviewer
    assert article.get_latest_revision().content["last_reviewed"] == approved_on.isoformat()


def test_a_new_approval_moves_the_date_and_the_reviewer(index, editor, reviewer, django_user_model):
    article = make_article(index, publish=False)
    first = submit_and_approve(article, editor, reviewer)
    TaskState.objects.filter(pk=first.pk).update(finished_at=timezone.now() - datetime.timedelta(days=400))
    other = member(django_user_model, "drkim", "Clinical reviewers", first_name="Ana", last_name="Kim")
    article = ArticlePage.objects.get(pk=article.pk)
    article.summary = "Updated after a year."
    submit_and_approve(article, editor, other)
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.medical_reviewer.name == "Ana Kim"
    assert article.last_reviewed == timezone.now().astimezone(get_clinic_settings().tzinfo).date()


def test_pages_never_approved_keep_their_values(index):
    article = make_article(index, last_reviewed=datetime.date(2026, 1, 5))
    assert ArticlePage.objects.get(pk=article.pk).last_reviewed == datetime.date(2026, 1, 5)


def test_the_editor_shows_reviewer_and_date_read_only(client, index, reviewer, django_user_model):
    from django.test import override_settings

    article = make_article(index)
    admin = django_user_model.objects.create_superuser("boss", "boss@example.com", "x" * 12)
    client.force_login(admin)
    with override_settings(AXES_ENABLED=False):
        html = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert 'name="author"' in html
    assert 'name="medical_reviewer"' not in html and 'name="last_reviewed"' not in html
