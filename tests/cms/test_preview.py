"""Headless preview: the editor's Preview points at the front end with a signed, expiring token; the API returns the
draft for that token only."""

import time
from unittest import mock

import pytest
from django.test import RequestFactory, override_settings
from wagtail.rich_text import RichText

from tests.cms.factories import make_article

pytestmark = pytest.mark.django_db


def preview_url(token, content_type="cms.articlepage"):
    return f"/api/v2/page_preview/?content_type={content_type}&token={token}"


def test_editor_preview_points_at_the_front_end(index, django_user_model):
    article = make_article(index)
    article.title = "Unpublished draft title"
    request = RequestFactory().get("/admin/")
    request.user = django_user_model.objects.create_superuser("editor", "e@example.com", "x" * 12)

    response = article.serve_preview(request, "")

    html = response.content.decode()
    assert "/preview?content_type=cms.articlepage&amp;token=" in html


def test_draft_content_is_returned_for_the_token(api, index):
    article = make_article(index, title="Live title")
    article.title = "Draft title"
    article.body = [("rich_text", RichText("<p>Draft body</p>"))]
    token = article.create_page_preview().token

    response = api.get(preview_url(token))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    data = response.json()
    assert data["title"] == "Draft title"
    assert data["body"][0]["value"] == "<p>Draft body</p>"
    assert data["meta"]["html_url"].endswith("/articles/" + article.slug + "/")
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["title"] == "Live title"


def test_a_new_unsaved_page_can_be_previewed(api, index):
    from cms.models import ArticlePage

    page = ArticlePage(title="Brand new", slug="brand-new", summary="s", body=[])
    page.path = ""  # not in the tree yet
    page.depth = index.depth + 1
    page.url_path = ""
    with mock.patch.object(ArticlePage, "get_parent", return_value=index):
        token = page.create_page_preview().token
    data = api.get(preview_url(token)).json()
    assert data["title"] == "Brand new"
    assert data["id"] is None


def test_tokens_expire(api, index):
    token = make_article(index).create_page_preview().token
    later = time.time() + 3601
    with (
        override_settings(CMS_PREVIEW_TOKEN_MAX_AGE=3600),
        mock.patch("django.core.signing.time.time", return_value=later),
    ):
        response = api.get(preview_url(token))
    assert response.status_code == 403


def test_tokens_are_checked(api, index):
    token = make_article(index).create_page_preview().token
    assert api.get(preview_url(token[:-2] + "xx")).status_code == 403
    assert api.get(preview_url(token, "cms.servicepage")).status_code == 404
    assert api.get(preview_url(token, "auth.user")).status_code == 404
