"""The OpenAPI 3.1 description of the content API, served at ``/api/openapi.json``.

Written by hand from the serialisers in cms/api.py, cms/serializers.py and cms/blocks.py; tests/cms/test_openapi.py
validates real responses of every endpoint and page type against these schemas (objects are closed with
``additionalProperties: false`` where a front end relies on the shape, so an undocumented field fails the test).
"""

from django.http import JsonResponse


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema):
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties, required=None, closed=True):
    schema = {"type": "object", "properties": properties, "required": required or list(properties)}
    if closed:
        schema["additionalProperties"] = False
    return schema


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
URL = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def block(type_name, value):
    return obj({"type": {"const": type_name}, "value": value, "id": STRING})


def listing(item):
    return obj({"meta": obj({"total_count": INTEGER}), "items": {"type": "array", "items": item}})


PAGE_TYPES = {
    "cms.HomePage": "HomePage",
    "cms.ArticleIndexPage": "ArticleIndexPage",
    "cms.ArticlePage": "ArticlePage",
    "cms.ServicePage": "ServicePage",
}


def page_meta(type_name, detail=True, preview=False):
    properties = {
        "type": {"const": type_name} if type_name else STRING,
        "detail_url": URL,
        "html_url": nullable(URL),
        "html_path": nullable(STRING),
        "slug": STRING,
        "first_published_at": nullable(DATETIME),
    }
    if detail:
        properties.update(
            {
                "show_in_menus": {"type": "boolean"},
                "seo_title": STRING,
                "search_description": STRING,
                "alias_of": nullable(ref("PageRef")),
                "parent": nullable(ref("PageRef")),
            }
        )
    if preview:
        del properties["detail_url"], properties["parent"]
    return obj(properties)


COMMON_PAGE_FIELDS = {"hero_image": nullable(ref("Image")), "seo": ref("SEO"), "is_demo": {"type": "boolean"}}
PAGE_FIELDS = {
    "HomePage": {"intro": {"type": "string", "description": "HTML"}, **COMMON_PAGE_FIELDS, "body": ref("Body")},
    "ArticleIndexPage": {"intro": STRING, **COMMON_PAGE_FIELDS},
    "ArticlePage": {
        "summary": STRING,
        **COMMON_PAGE_FIELDS,
        "body": ref("Body"),
        "topics": {"type": "array", "items": ref("TopicRef")},
        "author": nullable(ref("Person")),
        "medical_reviewer": nullable(ref("Person")),
        "last_reviewed": nullable(DATE),
        "reading_time_minutes": {"type": "integer", "minimum": 1},
        "related_articles": {"type": "array", "items": ref("PageLink")},
    },
    "ServicePage": {
        "summary": STRING,
        "conditions": STRING,
        **COMMON_PAGE_FIELDS,
        "body": ref("Body"),
        "topics": {"type": "array", "items": ref("TopicRef")},
    },
}
LISTING_FIELDS = {
    "ArticlePage": ["summary", "hero_image", "topics", "last_reviewed", "reading_time_minutes", "is_demo"],
    "ServicePage": ["summary", "conditions", "hero_image", "is_demo"],
}


def page_detail(name, type_name, preview=False):
    return obj(
        {
            "id": nullable(INTEGER) if preview else INTEGER,
            "meta": page_meta(type_name, preview=preview),
            "title": STRING,
            **PAGE_FIELDS[name],
        }
    )


def page_listing_item(name, type_name):
    fields = {key: PAGE_FIELDS[name][key] for key in LISTING_FIELDS.get(name, [])}
    return obj({"id": INTEGER, "meta": page_meta(type_name, detail=False), "title": STRING, **fields})


SCHEMAS = {
    "Error": obj({"message": STRING}),
    "Rendition": obj({"url": URL, "width": INTEGER, "height": INTEGER}),
    "Renditions": obj({"small": ref("Rendition"), "medium": ref("Rendition"), "large": ref("Rendition")}),
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
    "SEO": obj({"title": STRING, "description": STRING, "canonical_url": nullable(URL)}),
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
    "RichTextBlock": block("rich_text", {"type": "string", "description": "HTML, links and images resolved"}),
    "ImageBlock": block("image", obj({"image": nullable(ref("Image")), "caption": STRING, "attribution": STRING})),
    "CalloutBlock": block(
        "callout",
        obj(
            {
                "tone": {"enum": ["care_team", "info", "warning"]},
                "title": STRING,
                "text": STRING,
                "link": nullable(ref("PageLink")),
                "link_text": STRING,
            }
        ),
    ),
    "FAQBlock": block("faq", obj({"question": STRING, "answer": STRING})),
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
    "PageListItem": obj({"id": INTEGER, "meta": page_meta(None, detail=False), "title": STRING}, closed=False),
    "PageList": listing(ref("PageListItem")),
    "ArticlePageList": listing(page_listing_item("ArticlePage", "cms.ArticlePage")),
    "ServicePageList": listing(page_listing_item("ServicePage", "cms.ServicePage")),
    "PageDetail": {"oneOf": [ref(f"{name}Detail") for name in PAGE_FIELDS]},
    "PagePreview": {"oneOf": [ref(f"{name}Preview") for name in PAGE_FIELDS]},
    **{f"{name}Detail": page_detail(name, type_name) for type_name, name in PAGE_TYPES.items()},
    **{f"{name}Preview": page_detail(name, type_name, preview=True) for type_name, name in PAGE_TYPES.items()},
    "ImageItem": obj(
        {
            "id": INTEGER,
            "meta": obj(
                {
                    "type": {"const": "wagtailimages.Image"},
                    "detail_url": URL,
                    "tags": {"type": "array"},
                    "download_url": URL,
                }
            ),
            "title": STRING,
            "width": INTEGER,
            "height": INTEGER,
            "alt": STRING,
            "renditions": ref("Renditions"),
        },
        required=["id", "meta", "title"],
    ),
    "ImageList": listing(ref("ImageItem")),
    "DocumentItem": obj(
        {
            "id": INTEGER,
            "meta": obj(
                {
                    "type": {"const": "wagtaildocs.Document"},
                    "detail_url": URL,
                    "tags": {"type": "array"},
                    "download_url": URL,
                }
            ),
            "title": STRING,
        },
        required=["id", "meta", "title"],
    ),
    "DocumentList": listing(ref("DocumentItem")),
    "Redirect": obj(
        {
            "id": INTEGER,
            "meta": obj({"type": {"const": "wagtailredirects.Redirect"}, "detail_url": URL}),
            "old_path": STRING,
            "location": nullable(STRING),
        }
    ),
    "RedirectList": listing(ref("Redirect")),
    "Topic": obj(
        {
            "id": INTEGER,
            "meta": obj({"type": {"const": "cms.Topic"}, "detail_url": URL}),
            "name": STRING,
            "slug": STRING,
            "description": STRING,
        }
    ),
    "TopicDetail": obj(
        {
            "id": INTEGER,
            "meta": obj({"type": {"const": "cms.Topic"}, "detail_url": URL}),
            "name": STRING,
            "slug": STRING,
            "description": STRING,
            "pages": {"type": "array", "items": ref("PageLink")},
        }
    ),
    "TopicList": listing(ref("Topic")),
    "Clinic": obj(
        {
            "clinic_name": STRING,
            "phone": STRING,
            "postal_address": STRING,
            "time_zone": STRING,
            "booking_url": STRING,
            "medical_disclaimer": STRING,
        }
    ),
}


def param(name, description, schema=STRING, where="query", required=False):
    return {"name": name, "in": where, "required": required, "description": description, "schema": schema}


PAGINATION = [
    param("limit", "Items per page (default 20, at most 100).", INTEGER),
    param("offset", "Items to skip.", INTEGER),
    param("fields", "Add or remove fields: fields=body,-title, fields=* for all."),
]
# The URL patterns match digits only: a negative id is not an id of this API (it gets the site-wide 404 page).
ID = param("id", "Object id.", {"type": "integer", "minimum": 0}, where="path", required=True)
CACHE_HEADERS = {
    "ETag": {"schema": STRING, "description": "Strong validator; send it back in If-None-Match."},
    "Cache-Control": {"schema": STRING, "description": "public, no-cache: store, but revalidate every use."},
}


def ok(schema_name, description="OK"):
    return {
        "description": description,
        "headers": CACHE_HEADERS,
        "content": {"application/json": {"schema": ref(schema_name)}},
    }


ERRORS = {
    "304": {"description": "Not modified (If-None-Match matched the ETag)."},
    "400": {"description": "Bad request", "content": {"application/json": {"schema": ref("Error")}}},
    "404": {"description": "Not found (or not public)", "content": {"application/json": {"schema": ref("Error")}}},
}
FIND = {"302": {"description": "Redirect to the detail URL of the object found."}, "404": ERRORS["404"]}


def get(summary, parameters, responses, tag):
    # Any request can be refused as malformed (a NUL byte in the query, see config/middleware.py).
    responses = {"400": ERRORS["400"], **responses}
    return {"get": {"summary": summary, "tags": [tag], "parameters": parameters, "responses": responses}}


PATHS = {
    "/api/v2/pages/": get(
        "List public pages",
        [
            param("type", "Page type, e.g. cms.ArticlePage; adds that type's listing fields and filters."),
            param("topic", "Topic slug(s), comma-separated: pages tagged with any of them."),
            param("search", "Full-text search."),
            param("order", "e.g. -first_published_at, -last_reviewed (with type=cms.ArticlePage), title, random."),
            param("child_of", "Page id or 'root'."),
            param("descendant_of", "Page id or 'root'."),
            param("site", "hostname[:port] when the API serves several sites."),
            *PAGINATION,
        ],
        {
            "200": {
                "description": "PageList; with type=cms.ArticlePage an ArticlePageList, with type=cms.ServicePage a "
                "ServicePageList.",
                "headers": CACHE_HEADERS,
                "content": {
                    "application/json": {
                        "schema": {"anyOf": [ref("PageList"), ref("ArticlePageList"), ref("ServicePageList")]}
                    }
                },
            },
            "304": ERRORS["304"],
            "400": ERRORS["400"],
            # Wagtail answers an unknown `site` filter with 404 "No Site matches the given query." (schemathesis).
            "404": {"description": "No site matches `site`", "content": {"application/json": {"schema": ref("Error")}}},
        },
        "pages",
    ),
    "/api/v2/pages/{id}/": get(
        "A public page with all its fields",
        [ID, param("fields", "Add or remove fields.")],
        {"200": ok("PageDetail"), "304": ERRORS["304"], "404": ERRORS["404"]},
        "pages",
    ),
    "/api/v2/pages/find/": get(
        "Find a page by front-end path",
        [param("html_path", "Front-end path, e.g. /articles/some-article/."), param("id", "Page id.", INTEGER)],
        FIND,
        "pages",
    ),
    "/api/v2/page_preview/": get(
        "The draft an editor is previewing (never cached)",
        [
            param("content_type", "app_label.model from the preview URL, e.g. cms.articlepage.", required=True),
            param("token", "Signed, expiring token from the preview URL.", required=True),
        ],
        {
            "200": {"description": "OK", "content": {"application/json": {"schema": ref("PagePreview")}}},
            "403": {
                "description": "Invalid or expired token",
                "content": {"application/json": {"schema": ref("Error")}},
            },
            "404": ERRORS["404"],
        },
        "preview",
    ),
    "/api/v2/images/": get(
        "List images", PAGINATION, {"200": ok("ImageList"), "304": ERRORS["304"], "400": ERRORS["400"]}, "images"
    ),
    "/api/v2/images/{id}/": get("An image", [ID], {"200": ok("ImageItem"), "404": ERRORS["404"]}, "images"),
    "/api/v2/documents/": get(
        "List documents",
        PAGINATION,
        {"200": ok("DocumentList"), "304": ERRORS["304"], "400": ERRORS["400"]},
        "documents",
    ),
    "/api/v2/documents/{id}/": get("A document", [ID], {"200": ok("DocumentItem"), "404": ERRORS["404"]}, "documents"),
    "/api/v2/redirects/": get(
        "List redirects for the front end to apply",
        PAGINATION,
        {"200": ok("RedirectList"), "400": ERRORS["400"]},
        "redirects",
    ),
    "/api/v2/redirects/find/": get(
        "Find the redirect for a path", [param("html_path", "Old path, e.g. /old-page/.")], FIND, "redirects"
    ),
    "/api/v2/topics/": get(
        "List topics", PAGINATION, {"200": ok("TopicList"), "304": ERRORS["304"], "400": ERRORS["400"]}, "topics"
    ),
    "/api/v2/topics/{id}/": get(
        "A topic and its public pages", [ID], {"200": ok("TopicDetail"), "404": ERRORS["404"]}, "topics"
    ),
    "/api/v2/topics/find/": get("Find a topic by slug", [param("slug", "Topic slug.")], FIND, "topics"),
    "/api/v2/clinic/": get("Clinic details and medical disclaimer", [], {"200": ok("Clinic")}, "clinic"),
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
