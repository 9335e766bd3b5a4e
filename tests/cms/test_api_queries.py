"""The number of SQL queries does not grow with the number of articles listed or blocks in a body."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.rich_text import RichText

from cms.caching import bump_content_version
from tests.cms.factories import full_body, make_article, make_document, make_image, make_person, make_topic

pytestmark = pytest.mark.django_db

LIST_URL = "/api/v2/pages/?type=cms.ArticlePage&fields=*&limit=100"


def count_queries(api, url):
    assert api.get(url).status_code == 200  # warm: renditions are created on first use
    bump_content_version()  # and make the next request miss the response cache
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    assert response["X-Cache"] == "miss"
    return len(queries), response.json()


def make_articles(index, count, topics, people, others):
    for _ in range(count):
        make_article(
            index,
            topics=topics,
            author=people[0],
            medical_reviewer=people[1],
            related=others,
        )


def test_list_queries_do_not_grow_with_articles(api, index):
    topics = [make_topic("pain-management"), make_topic("cancer-care")]
    writer, reviewer = make_person("Writer"), make_person("Reviewer")
    writer.photo = make_image()
    writer.save()
    others = [make_article(index), make_article(index)]
    make_articles(index, 3, topics, (writer, reviewer), others)
    five, data = count_queries(api, LIST_URL)
    assert data["meta"]["total_count"] == 5

    make_articles(index, 45, topics, (writer, reviewer), others)
    fifty, data = count_queries(api, LIST_URL)
    assert data["meta"]["total_count"] == 50
    assert all(item["hero_image"]["renditions"] for item in data["items"])
    assert fifty == five


def body_with_blocks(copies, link_page, document):
    blocks = []
    for _ in range(copies):
        blocks.extend(full_body(make_image(), link_page=link_page, document=document))
        blocks.append(("rich_text", RichText("<p>More text</p>")))
    return blocks


def test_detail_queries_do_not_grow_with_blocks(api, index):
    target, document = make_article(index), make_document()
    small = make_article(index, body=body_with_blocks(1, target, document))
    large = make_article(index, body=body_with_blocks(10, target, document))

    few, data = count_queries(api, f"/api/v2/pages/{small.pk}/")
    many, data_large = count_queries(api, f"/api/v2/pages/{large.pk}/")
    assert len(data_large["body"]) == 10 * len(data["body"])
    assert many == few
