"""The CMS side of the same admin: a marketing editor submits an article to the "Medical review" workflow, and a
clinical reviewer approves it, which publishes it. Users are created here; groups and workflow come from cms
migrations."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from cms.clinic import get_clinic_settings
from cms.models import ArticlePage
from tests.cms.factories import make_article, make_site_tree

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_editor_submits_and_reviewer_approves_and_publishes(browser_page, new_page, make_staff, screenshot):
    editor = make_staff("erin", group="Marketing editors")
    make_staff("ravi", group="Clinical reviewers")
    _home, index = make_site_tree()
    draft = make_article(index, slug="what-to-expect", title="What to expect", publish=False, owner=editor)

    page = browser_page
    log_in(page, "erin")
    page.goto(f"/admin/pages/{draft.pk}/edit/")
    page.fill("input[name=title]", "What to expect at your first visit")
    # The primary button saves a draft; "Submit to Medical review" sits in the action menu's dropdown.
    page.locator(".w-dropdown-button:has(button[name=action-submit]) button:has-text('More actions')").click()
    page.locator("button[name=action-submit]").click()
    expect(page.locator(".messages")).to_contain_text(re.compile("submitted", re.I))
    screenshot(page, "08-article-submitted")
    draft.refresh_from_db()
    assert not draft.live

    reviewer = new_page()
    log_in(reviewer, "ravi")
    expect(reviewer.locator("body")).to_contain_text("What to expect at your first visit")
    screenshot(reviewer, "09-reviewer-dashboard")
    reviewer.goto(f"/admin/pages/{draft.pk}/edit/")
    approve = reviewer.locator("[data-workflow-action-name=approve]").first
    reviewer.locator(
        ".w-dropdown-button:has([data-workflow-action-name=approve]) button:has-text('More actions')"
    ).click()
    approve.click()
    # "Approve with comment" opens a dialog; plain "Approve" submits at once.
    dialog = reviewer.locator("[role=dialog] form")
    try:
        dialog.wait_for(state="visible", timeout=3_000)
        dialog.locator("button[type=submit], input[type=submit]").first.click()
    except PlaywrightTimeout:
        pass
    expect(reviewer.locator(".messages")).to_contain_text(re.compile("approved|published|updated", re.I))
    screenshot(reviewer, "10-article-approved")
    article = ArticlePage.objects.get(pk=draft.pk)
    assert article.live and article.title == "What to expect at your first visit"
    # The approval is the review record: the API's reviewer and last-reviewed date are ravi's, today (clinic's day).
    assert article.medical_reviewer.user.username == "ravi"
    assert article.last_reviewed == timezone.now().astimezone(get_clinic_settings().tzinfo).date()
