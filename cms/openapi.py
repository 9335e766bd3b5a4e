"""The OpenAPI 3.1 description of the content API, served at ``/api/openapi.json``.

Which fields each object can have is read from the API's own viewsets (cms/api.py: their body, meta, default and
detail-only fields), so the document cannot drift from what the serialisers send: a field added to a model's
``api_fields`` without a schema here stops the document from being built (and the tests with it). The shape of each
field is written here, from the serialisers in cms/serializers.py, cms/seo.py, cms/images.py and cms/blocks.py.

``?fields=`` adds and removes fields (``*`` all, ``_`` none, ``-body``, ``topics(name)``...), so an object's
properties are all optional and its description names the defaults; objects are closed (``additionalProperties:
false``), so an undocumented field fails validation. tests/cms/test_openapi.py validates real responses of every
endpoint, page type and ``fields`` form against this document; tests/security/test_schemathesis.py fuzzes it.

Statuses: every operation may answer 400 (a malformed query), 406 (an Accept header without JSON) and 413 (a
declared body over the limit); every cacheable one (cms/caching.py) answers 304 to a matching If-None-Match.
"""

from django.http import JsonResponse
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.api import (
    DocumentsAPIViewSet,
    ImagesAPIViewSet,
    PagesAPIViewSet,
    RedirectsAPIViewSet,
    TopicsAPIViewSet,
)
from cms.caching import API_PREFIX, UNCACHED_PREFIXES
from cms.models import ArticleIndexPage, ArticlePage, HomePage, InfoPage, ServicePage, Topic


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties, required=None, closed=True, description=None):
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    if closed:
        schema["additionalProperties"] = False
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
HTML = {"type": "string", "description": "HTML: links point at the front end, images are responsive renditions"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
URL = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def block(type_name, value):
    return obj({"type": {"const": type_name}, "value": value, "id": STRING})


def listing(item, description):
    return obj(
        {"meta": obj({"total_count": INTEGER}), "items": {"type": "array", "items": item}}, description=description
    )


def fields_object(viewset, model, field_schemas, meta_schemas, *, listing_item=False, leave_out=()):
    """The object ``viewset`` serialises for ``model``: every field ``?fields=`` can ask for, none required."""
    body = [name for name in dict.fromkeys(viewset.get_body_fields_names(model)) if name not in leave_out]
    meta = [name for name in viewset.get_meta_fields_names(model) if name not in leave_out]
    if listing_item:
        body = [name for name in body if name not in viewset.detail_only_fields]
        meta = [name for name in meta if name not in viewset.detail_only_fields]
        defaults = viewset.get_listing_default_fields(model)
    else:
        defaults = viewset.get_detail_default_fields(model)
    missing = sorted({*body, *meta} - {*field_schemas, *meta_schemas})
    if missing:
        raise KeyError(
            f"no schema for the API fields {missing} of {model._meta.label}: describe them in cms/openapi.py"
        )
    shown = [name for name in defaults if name not in leave_out]
    return obj(
        {
            **{name: field_schemas[name] for name in body},
            **({"meta": obj({name: meta_schemas[name] for name in meta}, required=[])} if meta else {}),
        },
        required=[],
        description="Fields by default: " + ", ".join(shown) + ". `fields` adds or removes any of these.",
    )


PAGE_MODELS = {"HomePage": HomePage, "ArticleIndexPage": ArticleIndexPage, "ArticlePage": ArticlePage}
PAGE_MODELS |= {"ServicePage": ServicePage, "InfoPage": InfoPage}
PAGE_META = {
    "type": STRING,
    "detail_url": URL,
    "html_url": nullable(URL),
    "html_path": nullable(STRING),
    "slug": STRING,
    "show_in_menus": BOOLEAN,
    "seo_title": STRING,
    "search_description": STRING,
    "first_published_at": nullable(DATETIME),
    "alias_of": nullable(ref("PageRef")),
    "parent": nullable(ref("PageRef")),
    "locale": {"type": "string", "description": "The page's language code, e.g. en or es."},
    "translations": {
        "type": "array",
        "items": ref("Translation"),
        "description": "Every public language version of the page, this one included (detail responses).",
    },
}
PAGE_FIELDS = {
    "id": INTEGER,
    "title": STRING,
    "intro": {"type": "string", "description": "HTML on the home page, plain text on the article index"},
    "summary": STRING,
    "conditions": STRING,
    "hero_image": nullable(ref("Image")),
    "seo": ref("SEO"),
    "is_demo": BOOLEAN,
    "body": ref("Body"),
    "topics": {"type": "array", "items": ref("TopicRef")},
    "author": nullable(ref("Person")),
    "medical_reviewer": nullable(ref("Person")),
    "last_reviewed": nullable(DATE),
    "last_updated": nullable(DATE),
    "reading_time_minutes": {"type": "integer", "minimum": 1},
    "related_articles": {"type": "array", "items": ref("PageLink")},
}
PREVIEW_LEAVES_OUT = ("detail_url", "parent")  # a draft may have no id yet (cms.api.PagePreviewAPIViewSet)


def page_schemas():
    schemas = {
        "PageListItem": fields_object(PagesAPIViewSet, Page, PAGE_FIELDS, PAGE_META, listing_item=True),
        "PageList": listing(ref("PageListItem"), "Pages of any type: the fields every page has."),
    }
    for name, model in PAGE_MODELS.items():
        label = model._meta.label
        schemas[f"{name}Detail"] = fields_object(PagesAPIViewSet, model, PAGE_FIELDS, PAGE_META)
        preview = fields_object(PagesAPIViewSet, model, PAGE_FIELDS, PAGE_META, leave_out=PREVIEW_LEAVES_OUT)
        preview["properties"]["id"] = nullable(INTEGER)
        schemas[f"{name}Preview"] = preview
        schemas[f"{name}ListItem"] = fields_object(PagesAPIViewSet, model, PAGE_FIELDS, PAGE_META, listing_item=True)
        schemas[f"{name}List"] = listing(ref(f"{name}ListItem"), f"With type={label}.")
    schemas["PageDetail"] = {"anyOf": [ref(f"{name}Detail") for name in PAGE_MODELS]}
    schemas["PagePreview"] = {"anyOf": [ref(f"{name}Preview") for name in PAGE_MODELS]}
    return schemas


RENDITION = obj(
    {"url": URL, "full_url": URL, "width": INTEGER, "height": INTEGER, "alt": STRING},
    description="As Wagtail's ImageRenditionField gives it; url is absolute too (equal to full_url).",
)
TOPIC_FIELDS = {
    "id": INTEGER,
    "name": STRING,
    "slug": STRING,
    "description": STRING,
    "locale": {"type": "string", "description": "The language of name and description, e.g. en or es."},
    "pages": {"type": "array", "items": ref("PageLink")},
}
IMAGE_FIELDS = {
    "id": INTEGER,
    "title": STRING,
    "width": INTEGER,
    "height": INTEGER,
    "alt": STRING,
    "renditions": ref("Renditions"),
}
FILE_META = {
    "type": STRING,
    "detail_url": URL,
    "tags": {"type": "array", "items": STRING},
    "download_url": URL,
}
SNIPPET_META = {"type": STRING, "detail_url": URL}


def collection_schemas(name, viewset, model, field_schemas, meta_schemas):
    return {
        name: fields_object(viewset, model, field_schemas, meta_schemas),
        f"{name}ListItem": fields_object(viewset, model, field_schemas, meta_schemas, listing_item=True),
        f"{name}List": listing(ref(f"{name}ListItem"), f"A page of {name} items."),
    }


SCHEMAS = {
    "Error": obj({"message": STRING}),
    "NotAcceptable": obj({"detail": STRING}, description="Django REST framework's content negotiation error."),
    "Rendition": RENDITION,
    "RenditionError": obj(
        {"error": {"const": "SourceImageIOError"}}, description="The image file could not be read (as in Wagtail)."
    ),
    "Renditions": obj(
        {size: {"anyOf": [ref("Rendition"), ref("RenditionError")]} for size in ("small", "medium", "large")},
        description="WebP renditions 480, 960 and 1600 pixels wide (never wider than the original).",
    ),
    "Image": obj(
        {
            "id": INTEGER,
            "title": STRING,
            "alt": STRING,
            "width": INTEGER,
            "height": INTEGER,
            "renditions": ref("Renditions"),
        }
    ),
    "PageLink": obj({"id": INTEGER, "title": STRING, "url": nullable(URL), "type": STRING}),
    "PageRef": obj(
        {
            "id": INTEGER,
            "meta": obj({"type": STRING, "detail_url": URL, "html_url": nullable(URL), "html_path": nullable(STRING)}),
            "title": STRING,
        }
    ),
    "TopicRef": obj({"id": INTEGER, "name": STRING, "slug": STRING}),
    "Translation": obj(
        {"locale": STRING, "id": INTEGER, "title": STRING, "url": URL, "html_path": STRING},
        description="A language version of a page: where a language switch goes, what hreflang names.",
    ),
    "Person": obj(
        {
            "id": INTEGER,
            "name": STRING,
            "credentials": STRING,
            "role": STRING,
            "bio": STRING,
            "photo": nullable(ref("Image")),
        }
    ),
    "SEO": obj(
        {
            "title": STRING,
            "description": STRING,
            "canonical_url": nullable(URL),
            "image": nullable(ref("Rendition")),
            "structured_data": nullable(
                {"type": "object", "description": "schema.org JSON-LD for the page, ready for a script tag"}
            ),
        },
        description="What the document head shows: title, description, canonical URL, link-preview image "
        "(a 1200x630-bounded JPEG) and structured data.",
    ),
    "Body": {"type": "array", "items": ref("Block")},
    "Block": {
        "oneOf": [
            ref(name)
            for name in (
                "HeadingBlock",
                "RichTextBlock",
                "ImageBlock",
                "CalloutBlock",
                "FAQBlock",
                "QuoteBlock",
                "ReferencesBlock",
            )
        ]
    },
    "HeadingBlock": block("heading", obj({"text": STRING, "level": {"enum": ["h2", "h3"]}, "anchor": STRING})),
    "RichTextBlock": block("rich_text", HTML),
    "ImageBlock": block("image", obj({"image": nullable(ref("Image")), "caption": STRING, "attribution": STRING})),
    "CalloutBlock": block(
        "callout",
        obj(
            {
                "tone": {"enum": ["care_team", "info", "warning"]},
                "title": STRING,
                "text": HTML,
                "link": nullable(ref("PageLink")),
                "link_text": STRING,
            }
        ),
    ),
    "FAQBlock": block("faq", obj({"question": STRING, "answer": HTML})),
    "QuoteBlock": block("quote", obj({"text": STRING, "attribution": STRING})),
    "ReferencesBlock": block(
        "references",
        obj(
            {
                "heading": STRING,
                "citations": {
                    "type": "array",
                    "items": obj(
                        {
                            "authors": nullable(STRING),
                            "title": STRING,
                            "source": nullable(STRING),
                            "year": nullable(INTEGER),
                            "url": STRING,
                            "formatted": STRING,
                        }
                    ),
                },
            }
        ),
    ),
    **page_schemas(),
    **collection_schemas("ImageItem", ImagesAPIViewSet, get_image_model(), IMAGE_FIELDS, FILE_META),
    **collection_schemas(
        "DocumentItem", DocumentsAPIViewSet, get_document_model(), {"id": INTEGER, "title": STRING}, FILE_META
    ),
    **collection_schemas(
        "Redirect",
        RedirectsAPIViewSet,
        Redirect,
        {"id": INTEGER, "old_path": STRING, "location": nullable(STRING)},
        SNIPPET_META,
    ),
    **collection_schemas("Topic", TopicsAPIViewSet, Topic, TOPIC_FIELDS, SNIPPET_META),
    "Clinic": obj(
        {
            "clinic_name": STRING,
            "phone": STRING,
            "postal_address": STRING,
            "time_zone": STRING,
            "booking_url": STRING,
            "medical_disclaimer": STRING,
            "privacy_notice": nullable(ref("PageLink")),
        }
    ),
}


def param(name, description, schema=STRING, where="query", required=False, examples=None):
    parameter = {"name": name, "in": where, "required": required, "description": description, "schema": schema}
    if examples:
        parameter["examples"] = {f"example{number}": {"value": value} for number, value in enumerate(examples)}
    return parameter


FIELDS = param(
    "fields",
    "Fields to add or remove: `*` all, `_` none, `-body` without body, `_,title` only the title, `topics(name)`.",
    examples=["*", "_,title", "-body", "*,-seo", "_"],
)
FORMAT = param("format", "Response format: only json.", {"enum": ["json"]})
PAGINATION = [
    param("limit", "Items per page (default 20, at most 100).", INTEGER),
    param("offset", "Items to skip.", INTEGER),
    FIELDS,
]
# The URL patterns match digits only: a negative id is not an id of this API (it gets the site-wide 404 page).
ID = param("id", "Object id.", {"type": "integer", "minimum": 0}, where="path", required=True)
CACHE_HEADERS = {
    "ETag": {"schema": STRING, "description": "Strong validator; send it back in If-None-Match."},
    "Cache-Control": {"schema": STRING, "description": "public, no-cache: store, but revalidate every use."},
}


def json_response(description, schema, headers=None):
    response = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        response["headers"] = headers
    return response


def error(description):
    return json_response(description, ref("Error"))


NOT_FOUND = error("Not found, not public, or a `format` other than json")
FOUND = {"description": "Redirect to the detail URL of the object found (Location)."}


def get(path, summary, parameters, responses, tag):
    """A GET operation with the answers every operation can give, and 304 where the response cache applies."""
    responses = {
        **responses,
        # Any request can be refused as malformed (a NUL byte in the query, see config/middleware.py; an unknown
        # parameter or field); an Accept header that does not take JSON gets 406; a declared body over the limit 413.
        "400": error("Bad request: unknown parameter or field, malformed value"),
        "404": responses.get("404", NOT_FOUND),
        "406": json_response("Not acceptable: the Accept header does not allow application/json", ref("NotAcceptable")),
        "413": {"description": "Request body too large", "content": {"text/plain": {"schema": STRING}}},
    }
    if "200" in responses and path.startswith(API_PREFIX) and not path.startswith(UNCACHED_PREFIXES):
        responses["200"].setdefault("headers", CACHE_HEADERS)
        responses["304"] = {"description": "Not modified (If-None-Match matched the ETag).", "headers": CACHE_HEADERS}
    parameters = [*parameters, FORMAT]
    return {
        "get": {
            "summary": summary,
            "tags": [tag],
            "parameters": parameters,
            "responses": dict(sorted(responses.items())),
        }
    }


def ok(schema):
    return json_response("OK", schema)


PAGE_LIST_SCHEMA = {"anyOf": [ref("PageList"), *(ref(f"{name}List") for name in PAGE_MODELS)]}
PREVIEW_PARAMETERS = [
    param("content_type", "app_label.model from the preview URL, e.g. cms.articlepage.", required=True),
    param("token", "Signed, expiring token from the preview URL.", required=True),
    FIELDS,
]
LOCALE = param("locale", "Language code (en, es): only content in that language. An unknown one is a 400.")
TOPIC_LOCALE = param("locale", "Language code (en, es): topics named in that language. An unknown one is a 400.")
PREVIEW_RESPONSES = {
    "200": json_response("The draft (never cached: private, no-store)", ref("PagePreview")),
    "403": error("Invalid or expired token"),
    "404": error("Unknown content_type, or no preview for this token"),
}
OPERATIONS = [
    (
        "/api/v2/pages/",
        "List public pages",
        [
            param("type", "Page type, e.g. cms.ArticlePage; adds that type's listing fields and filters."),
            param("topic", "Topic slug(s), comma-separated: pages tagged with any of them."),
            LOCALE,
            param("translation_of", "Page id: the other language versions of that page.", INTEGER),
            param("search", "Full-text search."),
            param("order", "e.g. -first_published_at, -last_reviewed (with type=cms.ArticlePage), title, random."),
            param("child_of", "Page id or 'root'."),
            param("descendant_of", "Page id or 'root'."),
            param("site", "hostname[:port] when the API serves several sites."),
            *PAGINATION,
        ],
        # Wagtail answers an unknown `site` filter with 404 "No Site matches the given query." (schemathesis).
        {"200": ok(PAGE_LIST_SCHEMA), "404": error("No site matches `site`, or a `format` other than json")},
        "pages",
    ),
    ("/api/v2/pages/{id}/", "A public page", [ID, FIELDS], {"200": ok(ref("PageDetail"))}, "pages"),
    (
        "/api/v2/pages/find/",
        "Find a page by front-end path",
        [param("html_path", "Front-end path, e.g. /articles/some-article/."), param("id", "Page id.", INTEGER)],
        {"302": FOUND},
        "pages",
    ),
    ("/api/v2/page_preview/", "The draft an editor is previewing", PREVIEW_PARAMETERS, PREVIEW_RESPONSES, "preview"),
    (
        "/api/v2/page_preview/{id}/",
        "The same, at the URL wagtail-headless-preview's client calls (the id is a placeholder, e.g. 1)",
        [ID, *PREVIEW_PARAMETERS],
        PREVIEW_RESPONSES,
        "preview",
    ),
    ("/api/v2/images/", "List images", PAGINATION, {"200": ok(ref("ImageItemList"))}, "images"),
    ("/api/v2/images/{id}/", "An image", [ID, FIELDS], {"200": ok(ref("ImageItem"))}, "images"),
    ("/api/v2/documents/", "List documents", PAGINATION, {"200": ok(ref("DocumentItemList"))}, "documents"),
    ("/api/v2/documents/{id}/", "A document", [ID, FIELDS], {"200": ok(ref("DocumentItem"))}, "documents"),
    (
        "/api/v2/redirects/",
        "List redirects for the front end to apply",
        PAGINATION,
        {"200": ok(ref("RedirectList"))},
        "redirects",
    ),
    ("/api/v2/redirects/{id}/", "A redirect", [ID, FIELDS], {"200": ok(ref("Redirect"))}, "redirects"),
    (
        "/api/v2/redirects/find/",
        "Find the redirect for a path",
        [param("html_path", "Old path, e.g. /old-page/.")],
        {"302": FOUND},
        "redirects",
    ),
    (
        "/api/v2/topics/",
        "List topics in one language (default: the default language; untranslated topics in its words)",
        [TOPIC_LOCALE, *PAGINATION],
        {"200": ok(ref("TopicList"))},
        "topics",
    ),
    ("/api/v2/topics/{id}/", "A topic and its public pages", [ID, FIELDS], {"200": ok(ref("Topic"))}, "topics"),
    (
        "/api/v2/topics/find/",
        "Find a topic by slug",
        [param("slug", "Topic slug."), TOPIC_LOCALE],
        {"302": FOUND},
        "topics",
    ),
    (
        "/api/v2/clinic/",
        "Clinic details and medical disclaimer",
        [param("locale", "Language code: the disclaimer and booking URL in that language where set. Unknown: 400.")],
        {"200": ok(ref("Clinic"))},
        "clinic",
    ),
]
PATHS = {
    path: get(path, summary, parameters, responses, tag) for path, summary, parameters, responses, tag in OPERATIONS
}


def openapi_document():
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Clinic content API",
            "version": "2.0.0",
            "description": "Read-only, anonymous, cacheable content for headless front ends (Wagtail API v2 based). "
            "Rich text is HTML with front-end links and absolute image URLs; images are WebP renditions.",
        },
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }


def openapi_view(request):
    response = JsonResponse(openapi_document(), json_dumps_params={"indent": 2})
    response["Cache-Control"] = "public, max-age=300"
    return response
