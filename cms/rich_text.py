"""Rich text expanded for a headless front end.

Wagtail stores rich text with placeholders (``<a linktype="page" id="3">``, ``<embed embedtype="image" .../>``).
These handlers, registered in wagtail_hooks.py in place of Wagtail's own, expand them into:

- page links: the page's front-end URL, or a bare ``<a>`` when the page is not public (no draft or private slug
  leaks out);
- document links: the document's absolute URL on this server (Wagtail's document view), or a bare ``<a>`` when the
  document is in a view-restricted collection;
- images: an ``<img>`` with absolute WebP rendition URLs (``src`` plus a ``srcset`` of every API width), width,
  height and the editor's alt text.

Each handler fetches all its objects in one query per rich text value; `expand_many` expands a whole StreamField's
rich text in one pass so the query count does not grow with the number of blocks.
"""

from django.utils.html import escape, format_html
from wagtail.documents import get_document_model
from wagtail.rich_text import EmbedHandler, LinkHandler, expand_db_html
from wagtail.rich_text.pages import PageLinkHandler

from cms.frontend import absolute_media_url, frontend_url, site_root_paths
from cms.images import RENDITION_SPECS, SourceImageIOError, images_with_renditions
from cms.visibility import public_documents, public_pages

# Never present in stored rich text: PostgreSQL text cannot hold NUL, and editors cannot type it.
_SEPARATOR = "\x00"


def _ids(attrs_list):
    ids = []
    for attrs in attrs_list:
        try:
            ids.append(int(attrs.get("id", "")))
        except ValueError:
            ids.append(None)
    return ids


class FrontendPageLinkHandler(PageLinkHandler):
    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        ids = _ids(attrs_list)
        pages = public_pages().filter(id__in=[i for i in ids if i]).only("id", "url_path").in_bulk()
        root_paths = site_root_paths()
        tags = []
        for page_id in ids:
            url = frontend_url(pages[page_id], root_paths) if page_id in pages else None
            tags.append(format_html('<a href="{}">', url) if url else "<a>")
        return tags


class AbsoluteDocumentLinkHandler(LinkHandler):
    identifier = "document"

    @staticmethod
    def get_model():
        return get_document_model()

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        ids = _ids(attrs_list)
        documents = public_documents().in_bulk([i for i in ids if i])
        return [
            format_html('<a href="{}">', absolute_media_url(documents[i].url)) if i in documents else "<a>" for i in ids
        ]

    @classmethod
    def extract_references(cls, attrs):
        yield get_document_model(), attrs["id"], "", ""


class RenditionImageEmbedHandler(EmbedHandler):
    identifier = "image"

    @staticmethod
    def get_model():
        from wagtail.images import get_image_model

        return get_image_model()

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        ids = _ids(attrs_list)
        images = images_with_renditions().in_bulk([i for i in ids if i])
        return [cls._img(images.get(i), attrs) for i, attrs in zip(ids, attrs_list, strict=True)]

    @staticmethod
    def _img(image, attrs):
        if image is None:
            return ""
        try:
            renditions = image.get_renditions(*RENDITION_SPECS.values())
        except SourceImageIOError:  # the file is lost from storage: leave the image out, not the whole response
            return ""
        medium = renditions[RENDITION_SPECS["medium"]]
        srcset = ", ".join(
            f"{absolute_media_url(renditions[spec].url)} {renditions[spec].width}w" for spec in RENDITION_SPECS.values()
        )
        return (
            f'<img src="{escape(absolute_media_url(medium.url))}" srcset="{escape(srcset)}" '
            f'width="{medium.width}" height="{medium.height}" alt="{escape(attrs.get("alt", ""))}" '
            f'class="richtext-image {escape(attrs.get("format", ""))}">'
        )

    @classmethod
    def extract_references(cls, attrs):
        yield cls.get_model(), attrs["id"], "", ""


def expand_for_api(source):
    return expand_db_html(source or "")


def expand_many(sources):
    """Expand several rich text values in one rewriter pass (one query per entity type for all of them)."""
    sources = list(sources)
    if not sources:
        return []
    return expand_db_html(_SEPARATOR.join(source or "" for source in sources)).split(_SEPARATOR)
