"""/api/openapi.json describes the API truly: real responses of every endpoint and page type validate against it."""

import pytest
from jsonschema import Draft202012Validator
from wagtail.contrib.redirects.models import Redirect

from tests.cms.factories import (
    full_body,
    make_article,
    make_document,
    make_image,
    make_person,
    make_service,
    make_topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(api):
    response = api.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def validate(document, schema_name, instance):
    schema = {**document, "$ref": f"#/components/schemas/{schema_name}"}
    errors = sorted(Draft202012Validator(schema).iter_errors(instance), key=str)
    assert not errors, f"{schema_name}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_document_is_openapi_3_1_with_valid_schemas(document):
    assert document["openapi"].startswith("3.1")
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for path in [
        "/api/v2/pages/",
        "/api/v2/pages/{id}/",
        "/api/v2/pages/find/",
        "/api/v2/page_preview/",
        "/api/v2/images/",
        "/api/v2/documents/",
        "/api/v2/redirects/",
        "/api/v2/topics/",
        "/api/v2/clinic/",
    ]:
        assert "get" in document["paths"][path]


def test_real_responses_match(api, document, home, index):
    topic = make_topic("cancer-care")
    service = make_service(home, topics=[topic])
    writer = make_person("Writer", "")
    writer.photo = make_image()
    writer.save()
    other = make_article(index)
    article = make_article(
        index,
        topics=[topic],
        body=full_body(make_image(), link_page=service, document=make_document()),
        author=writer,
        medical_reviewer=make_person(),
        related=[other],
    )
    Redirect.objects.create(old_path="/old", redirect_page=article)

    checks = [
        ("PageList", "/api/v2/pages/"),
        ("ArticlePageList", "/api/v2/pages/?type=cms.ArticlePage"),
        ("ServicePageList", "/api/v2/pages/?type=cms.ServicePage"),
        ("HomePageDetail", f"/api/v2/pages/{home.pk}/"),
        ("ArticleIndexPageDetail", f"/api/v2/pages/{index.pk}/"),
        ("ArticlePageDetail", f"/api/v2/pages/{article.pk}/"),
        ("ArticlePageDetail", f"/api/v2/pages/{other.pk}/"),
        ("ServicePageDetail", f"/api/v2/pages/{service.pk}/"),
        ("PageDetail", f"/api/v2/pages/{article.pk}/"),
        ("ImageList", "/api/v2/images/"),
        ("ImageItem", f"/api/v2/images/{article.hero_image_id}/"),
        ("DocumentList", "/api/v2/documents/"),
        ("DocumentItem", f"/api/v2/documents/{api.get('/api/v2/documents/').json()['items'][0]['id']}/"),
        ("RedirectList", "/api/v2/redirects/"),
        ("TopicList", "/api/v2/topics/"),
        ("TopicDetail", f"/api/v2/topics/{topic.pk}/"),
        ("Clinic", "/api/v2/clinic/"),
        ("Error", "/api/v2/pages/999999/"),
    ]
    for schema_name, url in checks:
        validate(document, schema_name, api.get(url).json())


def test_preview_response_matches(api, document, index):
    article = make_article(index, body=full_body(make_image()))
    article.title = "Draft title"
    preview = article.create_page_preview()
    data = api.get(f"/api/v2/page_preview/?content_type=cms.articlepage&token={preview.token}").json()
    validate(document, "ArticlePagePreview", data)
    validate(document, "PagePreview", data)


def test_an_undocumented_field_fails_validation(api, document, index):
    article = make_article(index)
    data = api.get(f"/api/v2/pages/{article.pk}/").json()
    data["surprise"] = 1
    with pytest.raises(AssertionError):
        validate(document, "ArticlePageDetail", data)
