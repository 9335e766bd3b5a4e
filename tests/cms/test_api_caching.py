"""ETag, Cache-Control and 304s on the content API, and no stale content after a change."""

import datetime
import time

import pytest
from django.utils import timezone

from cms.caching import seconds_until_next_expiry
from tests.cms.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


def titles(api, url="/api/v2/pages/?type=cms.ArticlePage"):
    return [item["title"] for item in api.get(url).json()["items"]]


def test_etag_and_cache_control(api, index):
    make_article(index)
    first = api.get("/api/v2/pages/")
    second = api.get("/api/v2/pages/")

    assert first["Cache-Control"] == "public, no-cache"
    assert first["ETag"].startswith('"') and first["ETag"] == second["ETag"]
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert first.content == second.content


def test_matching_if_none_match_gets_304(api, index):
    article = make_article(index)
    etag = api.get(f"/api/v2/pages/{article.pk}/")["ETag"]

    not_modified = api.get(f"/api/v2/pages/{article.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert api.get(f"/api/v2/pages/{article.pk}/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_publish_is_visible_at_once_in_list_and_detail(api, index):
    article = make_article(index, title="Before")
    old_etag = api.get(f"/api/v2/pages/{article.pk}/")["ETag"]
    assert titles(api) == ["Before"]

    article.title = "After"
    article.save_revision().publish()
    make_article(index, title="New one")

    assert titles(api) == ["After", "New one"]
    response = api.get(f"/api/v2/pages/{article.pk}/", HTTP_IF_NONE_MATCH=old_etag)
    assert response.status_code == 200
    assert response.json()["title"] == "After"


def test_unpublish_is_visible_at_once(api, index):
    article = make_article(index)
    assert api.get(f"/api/v2/pages/{article.pk}/").status_code == 200

    article.unpublish()

    assert api.get(f"/api/v2/pages/{article.pk}/").status_code == 404
    assert titles(api) == []


def test_snippet_change_is_visible_at_once(api, index):
    topic = make_topic("pain-management", "Pain")
    make_article(index, topics=[topic])
    assert api.get("/api/v2/topics/").json()["items"][0]["name"] == "Pain"
    before = api.get("/api/v2/pages/?type=cms.ArticlePage").json()["items"][0]["topics"][0]["name"]

    topic.name = "Pain management"
    topic.save()

    assert before == "Pain"
    assert api.get("/api/v2/topics/").json()["items"][0]["name"] == "Pain management"
    assert api.get("/api/v2/pages/?type=cms.ArticlePage").json()["items"][0]["topics"][0]["name"] == "Pain management"


def test_a_cached_list_never_outlives_a_page_expiry(api, index):
    make_article(index, title="Expiring", expire_at=timezone.now() + datetime.timedelta(seconds=2))
    assert titles(api) == ["Expiring"]
    assert 1 <= seconds_until_next_expiry() <= 2

    time.sleep(2.2)

    assert titles(api) == []


def test_errors_are_not_stored(api, index):
    article = make_article(index)
    article.unpublish()
    assert api.get(f"/api/v2/pages/{article.pk}/").status_code == 404
    article.save_revision().publish()
    assert api.get(f"/api/v2/pages/{article.pk}/").status_code == 200
