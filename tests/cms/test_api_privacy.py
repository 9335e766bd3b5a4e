"""Drafts, unpublished, expired and view-restricted pages never reach an anonymous client, by any path."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from tests.cms.factories import make_article, make_service, make_topic

pytestmark = pytest.mark.django_db

KINDS = ["draft", "unpublished", "expired", "password", "login", "groups", "restricted_parent"]


def hide(kind, page, index):
    if kind == "unpublished":
        page.unpublish()
    elif kind == "expired":
        # Past its expiry, but the scheduled-publishing job has not unpublished it yet: still live in the database.
        page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
        page.save()
        assert page.live
    elif kind in ("password", "login", "groups"):
        PageViewRestriction.objects.create(page=page, restriction_type=kind, password="secret-pass")
    elif kind == "restricted_parent":
        PageViewRestriction.objects.create(page=index, restriction_type="password", password="secret-pass")


@pytest.fixture(params=KINDS)
def hidden(request, index):
    kind = request.param
    topic = make_topic("secret-topic")
    page = make_article(
        index, "hidden-article", title="Zanzibar hidden", summary="zanzibar", topics=[topic], publish=kind != "draft"
    )
    hide(kind, page, index)
    return kind, page


def ids(response):
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def test_not_in_lists_filters_or_search(api, hidden, index, home):
    _kind, page = hidden
    urls = [
        "/api/v2/pages/",
        "/api/v2/pages/?type=cms.ArticlePage",
        f"/api/v2/pages/?descendant_of={home.pk}",
        "/api/v2/pages/?descendant_of=root",
        "/api/v2/pages/?search=zanzibar",
        "/api/v2/pages/?type=cms.ArticlePage&search=zanzibar",
        "/api/v2/pages/?topic=secret-topic",
    ]
    for url in urls:
        assert page.pk not in ids(api.get(url)), url


def test_child_of_hides_it_or_refuses_a_hidden_parent(api, hidden, index):
    kind, page = hidden
    response = api.get(f"/api/v2/pages/?child_of={index.pk}")
    if kind == "restricted_parent":
        assert response.status_code == 400
    else:
        assert page.pk not in ids(response)


def test_no_detail_or_find(api, hidden):
    _kind, page = hidden
    assert api.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    assert api.get("/api/v2/pages/find/?html_path=/articles/hidden-article/").status_code == 404
    assert api.get(f"/api/v2/pages/find/?id={page.pk}").status_code == 404


def test_not_on_topic_pages(api, hidden):
    topic = api.get("/api/v2/topics/find/?slug=secret-topic", follow=True).json()
    assert topic["pages"] == []


def test_not_in_sitemap(client, hidden):
    assert b"hidden-article" not in client.get("/sitemap.xml").content


def test_links_to_it_are_dropped(api, hidden, home):
    _kind, page = hidden
    linking = make_service(
        home,
        body=[
            ("rich_text", RichText(f'<p><a linktype="page" id="{page.pk}">hidden</a></p>')),
            ("callout", {"tone": "info", "title": "See", "text": RichText("<p>x</p>"), "page": page, "link_text": ""}),
        ],
    )
    response = api.get(f"/api/v2/pages/{linking.pk}/")
    data = response.json()
    assert data["body"][0]["value"] == "<p><a>hidden</a></p>"
    assert data["body"][1]["value"]["link"] is None
    assert "hidden-article" not in response.content.decode()


def test_not_in_related_articles(api, hidden, index):
    kind, page = hidden
    if kind == "restricted_parent":
        pytest.skip("the linking article would be hidden too")
    linking = make_article(index, related=[page])
    assert api.get(f"/api/v2/pages/{linking.pk}/").json()["related_articles"] == []


@pytest.mark.parametrize("kind", ["password", "login"])
def test_a_logged_in_session_changes_nothing(api, index, kind, django_user_model):
    # Responses are shared through HTTP caches, so they must not depend on who asked.
    page = make_article(index, "hidden-article")
    PageViewRestriction.objects.create(page=page, restriction_type=kind, password="secret-pass")
    admin = django_user_model.objects.create_superuser("admin", "admin@example.com", "x" * 12)
    api.force_login(admin)
    assert api.get(f"/api/v2/pages/{page.pk}/").status_code == 404
    assert page.pk not in ids(api.get("/api/v2/pages/"))


def test_preview_needs_a_valid_token(api, index):
    make_article(index)
    assert api.get("/api/v2/page_preview/?content_type=cms.articlepage").status_code == 403
    assert api.get("/api/v2/page_preview/?content_type=cms.articlepage&token=forged").status_code == 403
