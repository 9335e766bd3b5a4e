"""Headless preview: the editor's Preview points at the front end with a signed, expiring token; the API returns the
draft for that token only."""

import re
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


def test_the_headless_preview_client_flow_by_id(api, index, django_user_model):
    """What wagtail-headless-preview's README client does: read content_type and token from the preview URL the
    admin frames, then GET /api/v2/page_preview/1/?content_type=...&token=...&format=json (1 is a placeholder)."""
    from urllib.parse import parse_qs, urlsplit

    article = make_article(index, title="Live title")
    article.title = "Draft seen through the client"
    request = RequestFactory().get("/admin/")
    request.user = django_user_model.objects.create_superuser("editor", "e@example.com", "x" * 12)
    html = article.serve_preview(request, "").content.decode()
    frame_url = re.search(r'<iframe src="([^"]+)"', html).group(1).replace("&amp;", "&")
    params = {key: values[0] for key, values in parse_qs(urlsplit(frame_url).query).items()}

    response = api.get("/api/v2/page_preview/1/", {**params, "format": "json"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "private, no-store"
    assert response.json()["title"] == "Draft seen through the client"
    assert response.json()["id"] == article.pk
    # The id in the path is not what selects the draft: the token is, and a forged one is refused there too.
    assert api.get(f"/api/v2/page_preview/{article.pk + 1000}/", params).json()["title"] == article.title
    assert api.get("/api/v2/page_preview/1/", {**params, "token": params["token"] + "x"}).status_code == 403
