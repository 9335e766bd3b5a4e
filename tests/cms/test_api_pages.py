"""Response shapes of the pages endpoint for every page type, filters, and front-end-ready rich text."""

import datetime
import json

import pytest
from django.test import override_settings

from tests.cms.factories import (
    full_body,
    make_article,
    make_document,
    make_image,
    make_person,
    make_service,
    make_topic,
)

FRONTEND = "https://front.example"
PUBLIC = "https://api.example"
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frontend_settings")]


@pytest.fixture
def frontend_settings():
    with override_settings(FRONTEND_BASE_URL=FRONTEND, PUBLIC_BASE_URL=PUBLIC):
        yield


@pytest.fixture
def article(index, home):
    other = make_article(index, "other-article", title="Other article")
    service = make_service(home)
    return make_article(
        index,
        "what-to-know",
        title="What to know",
        topics=[make_topic("cancer-care"), make_topic("pain-management")],
        body=full_body(make_image(alt="Figure alt"), link_page=service, document=make_document()),
        author=make_person("Demo Writer", ""),
        medical_reviewer=make_person(),
        last_reviewed=datetime.date(2026, 10, 1),
        related=[other],
        seo_title="SEO title",
        search_description="SEO description",
    )


def assert_renditions(image, alt):
    assert image["alt"] == alt
    assert set(image["renditions"]) == {"small", "medium", "large"}
    for rendition in image["renditions"].values():
        assert rendition["url"].startswith(PUBLIC + "/media/images/")
        assert rendition["url"].endswith(".webp")
        assert rendition["width"] > 0 and rendition["height"] > 0
        # The shape of Wagtail's own ImageRenditionField, so clients written for stock Wagtail read it.
        assert set(rendition) == {"url", "full_url", "width", "height", "alt"}
        assert rendition["full_url"] == rendition["url"]
        assert rendition["alt"] == alt


def test_article_detail_shape(api, article):
    data = api.get(f"/api/v2/pages/{article.pk}/").json()

    assert data["meta"]["type"] == "cms.ArticlePage"
    assert data["meta"]["html_url"] == f"{FRONTEND}/articles/what-to-know/"
    assert data["meta"]["html_path"] == "/articles/what-to-know/"
    assert data["meta"]["parent"]["meta"]["html_url"] == f"{FRONTEND}/articles/"
    assert_renditions(data["hero_image"], article.hero_image.description)
    assert [t["slug"] for t in data["topics"]] == ["cancer-care", "pain-management"]
    assert data["author"]["name"] == "Demo Writer"
    assert data["medical_reviewer"]["credentials"] == "MD"
    assert data["last_reviewed"] == "2026-10-01"
    assert data["reading_time_minutes"] == 1
    assert data["related_articles"] == [
        {
            "id": article.related_articles[0].pk,
            "title": "Other article",
            "url": f"{FRONTEND}/articles/other-article/",
            "type": "cms.ArticlePage",
        }
    ]
    seo = data["seo"]
    assert {key: seo[key] for key in ("title", "description", "canonical_url")} == {
        "title": "SEO title",
        "description": "SEO description",
        "canonical_url": f"{FRONTEND}/articles/what-to-know/",
    }
    # The link-preview image: the hero image as a 1200x630-bounded JPEG, with its alt text.
    assert seo["image"]["url"].startswith(PUBLIC + "/media/images/") and seo["image"]["url"].endswith(".jpg")
    assert seo["image"]["alt"] == article.hero_image.description
    structured = seo["structured_data"]
    assert structured["@type"] == ["MedicalWebPage", "FAQPage"]
    assert structured["url"] == f"{FRONTEND}/articles/what-to-know/"
    assert structured["reviewedBy"] == {"@type": "Person", "name": "Dr. Test Reviewer", "honorificSuffix": "MD"}
    assert structured["lastReviewed"] == "2026-10-01"
    assert [t["name"] for t in structured["about"]] == ["Cancer Care", "Pain Management"]
    assert structured["mainEntity"] == [
        {"@type": "Question", "name": "Does it hurt?", "acceptedAnswer": {"@type": "Answer", "text": "Not much."}}
    ]
    assert [block["type"] for block in data["body"]] == [
        "heading",
        "rich_text",
        "image",
        "callout",
        "faq",
        "quote",
        "references",
    ]


def test_body_blocks_are_ready_to_render(api, article, home):
    body = {block["type"]: block["value"] for block in api.get(f"/api/v2/pages/{article.pk}/").json()["body"]}
    service_url = f"{FRONTEND}/ketamine-for-depression/"

    assert body["heading"] == {"text": "What is ketamine?", "level": "h2", "anchor": "what-is-ketamine"}
    assert f'<a href="{service_url}">a linked page</a>' in body["rich_text"]
    assert f'href="{PUBLIC}/documents/' in body["rich_text"]
    assert f'<img src="{PUBLIC}/media/images/' in body["rich_text"]
    assert 'alt="Embedded alt"' in body["rich_text"] and "srcset=" in body["rich_text"]
    assert_renditions(body["image"]["image"], "Block alt")
    assert body["image"]["caption"] == "A caption"
    assert body["callout"]["text"] == "<p>Ask us.</p>"
    assert body["callout"]["link"] == {
        "id": body["callout"]["link"]["id"],
        "title": "Ketamine for depression",
        "url": service_url,
        "type": "cms.ServicePage",
    }
    assert body["faq"] == {"question": "Does it hurt?", "answer": "<p>Not much.</p>"}
    assert body["references"]["citations"][0]["formatted"] == "Doe J. A study. A journal. 2020."


def test_no_database_html_in_any_response(api, article):
    urls = [
        f"/api/v2/pages/{article.pk}/",
        "/api/v2/pages/?type=cms.ArticlePage&fields=*,-body",
        f"/api/v2/pages/{article.get_parent().get_parent().pk}/",
    ]
    for url in urls:
        text = api.get(url).content.decode()
        assert "linktype=" not in text and "<embed" not in text, url


def test_database_html_format_is_refused(api, article):
    response = api.get(f"/api/v2/pages/{article.pk}/?rich_text_format=db_html")
    assert response.status_code == 400


def test_home_index_and_service_shapes(api, home, index, article):
    service = make_service(home, "ketamine-for-ptsd", topics=[make_topic("ptsd")])

    home_data = api.get(f"/api/v2/pages/{home.pk}/").json()
    assert home_data["meta"]["html_url"] == f"{FRONTEND}/"
    assert home_data["intro"] == "<p>Welcome</p>"
    assert home_data["meta"]["parent"] is None

    index_data = api.get(f"/api/v2/pages/{index.pk}/").json()
    assert index_data["meta"]["type"] == "cms.ArticleIndexPage"
    assert index_data["intro"] == "All articles"

    service_data = api.get(f"/api/v2/pages/{service.pk}/").json()
    assert service_data["meta"]["type"] == "cms.ServicePage"
    assert service_data["conditions"] == "Depression"
    assert service_data["topics"][0]["slug"] == "ptsd"
    assert service_data["body"][0]["value"]["answer"] == "<p>Six.</p>"


def test_article_listing_has_listing_fields_but_no_body(api, article):
    item = next(i for i in api.get("/api/v2/pages/?type=cms.ArticlePage").json()["items"] if i["id"] == article.pk)
    assert {"summary", "hero_image", "topics", "last_reviewed", "reading_time_minutes"} <= set(item)
    assert "body" not in item
    assert api.get("/api/v2/pages/?type=cms.ArticlePage&fields=body").status_code == 400


def test_filter_by_topic(api, index):
    pain = make_topic("pain-management")
    tagged = make_article(index, topics=[pain])
    make_article(index, topics=[make_topic("depression")])

    items = api.get("/api/v2/pages/?topic=pain-management").json()["items"]
    assert [i["id"] for i in items] == [tagged.pk]
    items = api.get("/api/v2/pages/?type=cms.ArticlePage&topic=pain-management,depression").json()["items"]
    assert len(items) == 2


def test_search(api, index):
    match = make_article(index, title="Hallucinations explained", summary="Vivid dreams and what they mean.")
    make_article(index, title="Booking", summary="How to book.")

    for url in ("/api/v2/pages/?search=hallucinations", "/api/v2/pages/?type=cms.ArticlePage&search=hallucinations"):
        assert [i["id"] for i in api.get(url).json()["items"]] == [match.pk], url


def test_order_by_reviewed_and_published_date(api, index):
    older = make_article(index, last_reviewed=datetime.date(2025, 1, 1))
    newer = make_article(index, last_reviewed=datetime.date(2026, 1, 1))

    items = api.get("/api/v2/pages/?type=cms.ArticlePage&order=-last_reviewed").json()["items"]
    assert [i["id"] for i in items] == [newer.pk, older.pk]
    items = api.get("/api/v2/pages/?type=cms.ArticlePage&order=first_published_at").json()["items"]
    assert [i["id"] for i in items] == [older.pk, newer.pk]


def test_find_by_html_path(api, article):
    response = api.get("/api/v2/pages/find/?html_path=/articles/what-to-know/")
    assert response.status_code == 302
    assert api.get(response["Location"]).json()["id"] == article.pk
    assert api.get("/api/v2/pages/find/?html_path=/articles/missing/").status_code == 404


def test_images_documents_redirects_clinic(api, article, home):
    from wagtail.contrib.redirects.models import Redirect

    from cms.clinic import get_clinic_settings

    Redirect.objects.create(old_path="/old-article", redirect_page=article)
    Redirect.objects.create(old_path="/elsewhere", redirect_link="https://example.org/")
    clinic = get_clinic_settings()
    clinic.clinic_name = "Test Clinic"
    clinic.save()

    image = api.get("/api/v2/images/").json()["items"][0]
    assert image["meta"]["download_url"].startswith(PUBLIC + "/media/")
    assert_renditions({"alt": image["alt"], "renditions": image["renditions"]}, image["alt"])
    assert api.get("/api/v2/documents/").json()["meta"]["total_count"] == 1
    locations = {r["old_path"]: r["location"] for r in api.get("/api/v2/redirects/").json()["items"]}
    assert locations == {"/old-article": f"{FRONTEND}/articles/what-to-know/", "/elsewhere": "https://example.org/"}
    assert api.get("/api/v2/clinic/").json()["clinic_name"] == "Test Clinic"


def test_topics_endpoint(api, index):
    topic = make_topic("cancer-care", "Cancer care")
    article = make_article(index, topics=[topic])

    listing = api.get("/api/v2/topics/").json()
    assert listing["items"][0]["slug"] == "cancer-care"
    found = api.get("/api/v2/topics/find/?slug=cancer-care", follow=True).json()
    assert [p["id"] for p in found["pages"]] == [article.pk]
    assert json.dumps(found).count(FRONTEND) == 1
