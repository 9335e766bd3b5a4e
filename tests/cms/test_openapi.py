"""/api/openapi.json describes the API truly: every real response of every operation, page type and ``fields`` form,
whatever its status, validates against the schema the document gives for that operation and status.

Why these ``fields`` forms cover every form: each object's properties are independent and optional (the defaults are
named in descriptions), so a response validates whatever subset of fields it carries as long as each field it can
carry has a true schema. ``*`` carries every field at once (each field's shape), ``_`` none (the empty object), and
``_,title``, ``-body``, the nested forms (``topics(name)``...) and the defaults are the forms clients write.
"""

import re

import pytest
from jsonschema import Draft202012Validator
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from cms.api import PagesAPIViewSet
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

FIELDS_FORMS = ["", "*", "_", "_,title", "-body", "*,-seo", "-title,-type", "_,id,type,html_path"]
# Every relation an API field holds, asked for with sub-fields: accepted (200) or refused (400), never undocumented.
NESTED_FORMS = [
    "_,hero_image(id)",
    "_,topics(name)",
    "_,author(name)",
    "_,alias_of(title)",
    "_,locale(id)",
    "_,parent(title)",
    "_,related_articles(title)",
]


@pytest.fixture
def document(api):
    response = api.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def schema_validator(document, schema):
    return Draft202012Validator({**document, **schema})


def validate(document, schema_name, instance):
    errors = sorted(
        schema_validator(document, {"$ref": f"#/components/schemas/{schema_name}"}).iter_errors(instance), key=str
    )
    assert not errors, f"{schema_name}: " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def operation_for(document, url):
    """The document's path template that matches a concrete URL path."""
    path = url.split("?")[0]
    for template in document["paths"]:
        if re.fullmatch(re.sub(r"\{[^}]+\}", r"[0-9]+", template), path):
            return template
    raise AssertionError(f"no operation in the document for {path}")


def check_response(document, api, url, **headers):
    """GET url; its status must be documented for the operation, and its body valid against that status's schema."""
    response = api.get(url, **headers)
    template = operation_for(document, url)
    documented = document["paths"][template]["get"]["responses"]
    status = str(response.status_code)
    assert status in documented, f"{url}: status {status} is not documented for {template} ({sorted(documented)})"
    content = documented[status].get("content")
    if content is None:
        assert not response.content, f"{url}: {status} has a body the document does not describe"
        return response
    media_type = response["Content-Type"].split(";")[0]
    assert media_type in content, f"{url}: {status} {media_type} is not documented"
    if media_type == "application/json":
        body = response.json()
        errors = list(schema_validator(document, content[media_type]["schema"]).iter_errors(body))
        best = sorted(errors, key=lambda e: len(list(e.absolute_path)), reverse=True)[:3]
        assert not errors, f"{url} ({status}): " + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in best)
    return response


@pytest.fixture
def content(home, index):
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
    return {"home": home, "index": index, "service": service, "article": article, "topic": topic}


def test_document_is_openapi_3_1_with_valid_schemas(document):
    assert document["openapi"].startswith("3.1")
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for path in [
        "/api/v2/pages/",
        "/api/v2/pages/{id}/",
        "/api/v2/pages/find/",
        "/api/v2/page_preview/",
        "/api/v2/page_preview/{id}/",
        "/api/v2/images/",
        "/api/v2/documents/",
        "/api/v2/redirects/",
        "/api/v2/topics/",
        "/api/v2/clinic/",
    ]:
        assert "get" in document["paths"][path]


def test_a_field_without_a_schema_stops_the_document():
    """The field lists come from the viewsets: an API field nobody described cannot slip through undocumented."""
    from cms import openapi

    viewset = type("Viewset", (PagesAPIViewSet,), {"body_fields": [*PagesAPIViewSet.body_fields, "surprise"]})
    with pytest.raises(KeyError, match="surprise"):
        openapi.fields_object(viewset, Page, openapi.PAGE_FIELDS, openapi.PAGE_META)


def test_every_operation_and_fields_form_matches_the_document(api, document, content):
    article, topic = content["article"], content["topic"]
    image_id = article.hero_image_id
    document_id = api.get("/api/v2/documents/").json()["items"][0]["id"]
    redirect_id = Redirect.objects.get().pk
    with_fields = [
        "/api/v2/pages/?",
        *(f"/api/v2/pages/?type={label}&" for label in ("cms.HomePage", "cms.ArticleIndexPage", "cms.ArticlePage")),
        *(f"/api/v2/pages/?type={label}&" for label in ("cms.ServicePage", "cms.InfoPage", "wagtailcore.Page")),
        *(f"/api/v2/pages/{content[name].pk}/?" for name in ("home", "index", "service", "article")),
        "/api/v2/images/?",
        f"/api/v2/images/{image_id}/?",
        "/api/v2/documents/?",
        f"/api/v2/documents/{document_id}/?",
        "/api/v2/redirects/?",
        f"/api/v2/redirects/{redirect_id}/?",
        "/api/v2/topics/?",
        f"/api/v2/topics/{topic.pk}/?",
        "/api/v2/clinic/?",
    ]
    statuses = set()
    for base in with_fields:
        for form in FIELDS_FORMS + NESTED_FORMS:
            statuses.add(
                check_response(document, api, f"{base}fields={form}" if form else base.rstrip("?&")).status_code
            )
    assert statuses == {200, 400}

    # The other statuses the API sends, on every operation: finds, misses, wrong formats, Accept without JSON.
    for url in [
        "/api/v2/pages/find/?html_path=/articles/",
        "/api/v2/pages/find/?html_path=/nope/",
        "/api/v2/pages/999999/",
        "/api/v2/pages/?site=nope.example",
        "/api/v2/pages/?format=xml",
        "/api/v2/topics/find/?slug=cancer-care",
        "/api/v2/topics/find/?slug=nope",
        "/api/v2/redirects/find/?html_path=/old",
        "/api/v2/images/?limit=x",
        "/api/v2/clinic/?format=json",
    ]:
        check_response(document, api, url)
    for template in document["paths"]:
        url = template.replace("{id}", "1")
        check_response(document, api, url, HTTP_ACCEPT="text/html")
        check_response(document, api, url + "?x=%00")


def test_every_cached_operation_documents_its_304(api, document, content):
    for url in [
        "/api/v2/pages/",
        f"/api/v2/pages/{content['article'].pk}/?fields=_,title",
        f"/api/v2/images/{content['article'].hero_image_id}/",
        "/api/v2/documents/",
        "/api/v2/redirects/",
        f"/api/v2/topics/{content['topic'].pk}/",
        "/api/v2/clinic/",
    ]:
        etag = api.get(url)["ETag"]
        assert check_response(document, api, url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_preview_responses_match_in_every_fields_form(api, document, index):
    article = make_article(index, body=full_body(make_image()))
    article.title = "Draft title"
    token = article.create_page_preview().token
    query = f"content_type=cms.articlepage&token={token}"
    for form in FIELDS_FORMS:
        for path in ("/api/v2/page_preview/", "/api/v2/page_preview/1/"):
            response = check_response(document, api, f"{path}?{query}&fields={form}")
            assert response.status_code == 200, (form, response.content[:200])
    validate(document, "ArticlePagePreview", api.get(f"/api/v2/page_preview/?{query}").json())
    check_response(document, api, f"/api/v2/page_preview/1/?content_type=cms.articlepage&token={token}x")
    check_response(document, api, f"/api/v2/page_preview/?content_type=auth.user&token={token}")


def test_an_undocumented_field_fails_validation(api, document, index):
    article = make_article(index)
    data = api.get(f"/api/v2/pages/{article.pk}/").json()
    validate(document, "ArticlePageDetail", data)
    data["surprise"] = 1
    with pytest.raises(AssertionError):
        validate(document, "ArticlePageDetail", data)
    data = api.get(f"/api/v2/pages/{article.pk}/").json()
    data["hero_image"]["renditions"]["small"]["surprise"] = 1
    with pytest.raises(AssertionError):
        validate(document, "ArticlePageDetail", data)
