"""What search engines and link previews read about a page: the API's ``seo`` field.

One description of each page for every reader: the content API serves it (``seo``), the front end's JavaScript puts
it in the document head on each navigation, and the server puts the same values in the initial HTML it sends for a
path (config/frontend.py), for crawlers and link-preview parsers that run no JavaScript.

``{title, description, canonical_url, image, structured_data}``: the description falls back to the page's summary or
introduction; the image is the page's social image, else its hero image, as a 1200x630 JPEG rendition (the size and
format every link-preview parser takes; WebP is not read by all of them); structured data is schema.org JSON-LD.
"""

from wagtail.rich_text import get_text_for_indexing

from cms.frontend import frontend_url
from cms.images import SOCIAL_IMAGE_SPEC, SourceImageIOError, rendition_representation

DESCRIPTION_MAX_CHARS = 300
SCHEMA_ORG = "https://schema.org"


def plain_text(html):
    return " ".join(get_text_for_indexing(html or "").split())


def shorten(text, limit=DESCRIPTION_MAX_CHARS):
    """At most ``limit`` characters, cut at a word boundary."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


def page_description(page):
    summary = getattr(page, "summary", "") or ""
    intro = getattr(page, "intro", "") or ""
    return page.search_description or summary or shorten(plain_text(intro))


def social_image(page):
    """The image a link preview shows: the social image, else the hero image; a rendition dict or None."""
    image = getattr(page, "social_image", None) or getattr(page, "hero_image", None)
    if image is None:
        return None
    try:
        rendition = image.get_rendition(SOCIAL_IMAGE_SPEC)
    except SourceImageIOError:
        return None
    return rendition_representation(rendition, image.default_alt_text or "")


def faq_entities(page):
    """FAQ blocks of the body as schema.org Questions (read from the raw JSON: no query)."""
    body = getattr(page, "body", None)
    if body is None:
        return []
    return [
        {
            "@type": "Question",
            "name": block["value"].get("question", ""),
            "acceptedAnswer": {"@type": "Answer", "text": plain_text(block["value"].get("answer", ""))},
        }
        for block in body.raw_data
        if block.get("type") == "faq"
    ]


def _without_empty(data):
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def medical_web_page(page, seo):
    faqs = faq_entities(page)
    reviewer = getattr(page, "medical_reviewer", None)
    last_reviewed = getattr(page, "last_reviewed", None)
    topics = list(page.topics.all()) if hasattr(page, "topics") else []
    return _without_empty(
        {
            "@context": SCHEMA_ORG,
            "@type": ["MedicalWebPage", "FAQPage"] if faqs else "MedicalWebPage",
            "name": page.title,
            "description": seo["description"],
            "url": seo["canonical_url"],
            "image": seo["image"] and seo["image"]["url"],
            "lastReviewed": last_reviewed.isoformat() if last_reviewed else None,
            "reviewedBy": reviewer
            and _without_empty({"@type": "Person", "name": reviewer.name, "honorificSuffix": reviewer.credentials}),
            "about": [{"@type": "Thing", "name": topic.name} for topic in topics],
            "mainEntity": faqs,
        }
    )


def medical_clinic(page, seo):
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    return _without_empty(
        {
            "@context": SCHEMA_ORG,
            "@type": "MedicalClinic",
            "name": clinic.clinic_name or page.title,
            "description": seo["description"],
            "telephone": clinic.phone,
            "address": ", ".join(line for line in clinic.postal_address.splitlines() if line.strip()),
            "url": seo["canonical_url"],
            "image": seo["image"] and seo["image"]["url"],
        }
    )


def structured_data(page, seo):
    """schema.org JSON-LD for the page types that have a schema.org type of their own, else None."""
    from cms.models import ArticlePage, HomePage, ServicePage

    if isinstance(page, HomePage):
        return medical_clinic(page, seo)
    if isinstance(page, ArticlePage | ServicePage):
        return medical_web_page(page, seo)
    return None


def page_seo(page, root_paths=None):
    seo = {
        "title": page.seo_title or page.title,
        "description": page_description(page),
        "canonical_url": frontend_url(page, root_paths),
        "image": social_image(page),
    }
    seo["structured_data"] = structured_data(page, seo)
    return seo
