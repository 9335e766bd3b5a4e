"""StreamField blocks for articles, service pages and the home page.

`BodyStreamBlock` is the one body every page type uses. Each block's API representation is ready to render: rich
text as expanded HTML, images as renditions with alt text, page choosers as ``{id, title, url, type}`` (None when the
chosen page is not public). Before serialising, the stream block collects every rich text value and every chosen page
in the stream and resolves them in one pass each, so the query count does not grow with the number of blocks.
"""

from django.utils.functional import cached_property
from django.utils.text import slugify
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.rich_text import RichText

from cms.frontend import frontend_url, site_root_paths
from cms.images import image_api_representation, images_with_renditions
from cms.visibility import public_pages

RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link", "image", "superscript", "subscript"]

# Keys in the serializer context, filled by BodyStreamBlock before its children are serialised.
_EXPANDED_HTML = "cms_expanded_rich_text"
_PUBLIC_PAGE_IDS = "cms_public_page_ids"


class APIRichTextBlock(blocks.RichTextBlock):
    """Rich text whose API representation is always front-end HTML (never Wagtail's database HTML)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    def get_api_representation(self, value, context=None):
        expanded = (context or {}).get(_EXPANDED_HTML, {})
        if id(value) in expanded:
            return expanded[id(value)]
        from cms.rich_text import expand_for_api  # its handlers need the app registry

        return expand_for_api(value.source)


class RenditionImageChooserBlock(ImageChooserBlock):
    """Loads every image of a stream with its API renditions in two queries."""

    def bulk_to_python(self, values):
        values = list(values)
        images = images_with_renditions().in_bulk([v for v in values if v is not None])
        return [images.get(v) for v in values]


class PublicPageChooserBlock(blocks.PageChooserBlock):
    def get_api_representation(self, value, context=None):
        return page_link_representation(value, context)


def page_link_representation(page, context=None):
    """``{id, title, url, type}`` for a public page; None for a missing, draft or restricted one."""
    if page is None:
        return None
    context = context or {}
    public_ids = context.get(_PUBLIC_PAGE_IDS)
    if public_ids is None:
        public_ids = set(public_pages().filter(pk=page.pk).values_list("pk", flat=True))
    if page.pk not in public_ids:
        return None
    model = page.specific_class or type(page)
    return {
        "id": page.pk,
        "title": page.title,
        "url": frontend_url(page, context.get("cms_root_paths")),
        "type": f"{model._meta.app_label}.{model.__name__}",
    }


class HeadingValue(blocks.StructValue):
    @cached_property
    def anchor(self):
        return slugify(self.get("text") or "")


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(choices=[("h2", "Section (H2)"), ("h3", "Subsection (H3)")], default="h2")

    class Meta:
        icon = "title"
        value_class = HeadingValue
        description = "A section heading; front ends use its anchor for a table of contents."
        preview_value = {"text": "What is ketamine?", "level": "h2"}

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "level": value["level"], "anchor": value.anchor}


class CaptionedImageBlock(blocks.StructBlock):
    image = RenditionImageChooserBlock()
    alt_text = blocks.CharBlock(max_length=250, help_text="Describe the image for people who cannot see it.")
    caption = blocks.CharBlock(required=False, max_length=250)
    attribution = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        description = "An image with alternative text and an optional caption."
        preview_value = {"alt_text": "A calm treatment room", "caption": "Our infusion suite."}

    def get_api_representation(self, value, context=None):
        return {
            "image": image_api_representation(value["image"], alt=value["alt_text"]),
            "caption": value["caption"],
            "attribution": value["attribution"],
        }


class CalloutValue(blocks.StructValue):
    @property
    def link_page(self):
        return self.get("page")


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        choices=[("care_team", "Talk to your care team"), ("info", "Good to know"), ("warning", "Important")],
        default="care_team",
    )
    title = blocks.CharBlock(max_length=120)
    text = APIRichTextBlock()
    page = PublicPageChooserBlock(required=False, help_text="Optional page to link to.")
    link_text = blocks.CharBlock(required=False, max_length=80)

    class Meta:
        icon = "help"
        value_class = CalloutValue
        description = 'A highlighted box, e.g. "Talk to your care team".'
        preview_value = {
            "tone": "care_team",
            "title": "Talk to your care team",
            "text": RichText("<p>Ask whether this treatment suits you.</p>"),
        }

    def get_api_representation(self, value, context=None):
        return {
            "tone": value["tone"],
            "title": value["title"],
            "text": self.child_blocks["text"].get_api_representation(value["text"], context),
            "link": page_link_representation(value.link_page, context),
            "link_text": value["link_text"],
        }


class FAQItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=250)
    answer = APIRichTextBlock()

    class Meta:
        icon = "help"
        description = "A question and its answer; front ends may render these as FAQ structured data."
        preview_value = {"question": "Does an infusion hurt?", "answer": RichText("<p>Most people feel a pinch.</p>")}

    def get_api_representation(self, value, context=None):
        return {
            "question": value["question"],
            "answer": self.child_blocks["answer"].get_api_representation(value["answer"], context),
        }


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        description = "A pull quote."
        preview_value = {"text": "I finally slept through the night.", "attribution": "A patient"}


class CitationValue(blocks.StructValue):
    @property
    def formatted(self):
        parts = [self.get("authors"), self.get("title"), self.get("source"), str(self.get("year") or "")]
        return ". ".join(part.strip().rstrip(".") for part in parts if part and part.strip()) + "."

    @property
    def link(self):
        if self.get("doi"):
            return f"https://doi.org/{self['doi']}"
        return self.get("url") or ""


class CitationBlock(blocks.StructBlock):
    authors = blocks.CharBlock(required=False, max_length=300)
    title = blocks.CharBlock(max_length=300)
    source = blocks.CharBlock(required=False, max_length=200, help_text="Journal, publisher or website.")
    year = blocks.IntegerBlock(required=False, min_value=1900, max_value=2100)
    url = blocks.URLBlock(required=False)
    doi = blocks.CharBlock(required=False, max_length=100, help_text="e.g. 10.1000/xyz123")

    class Meta:
        icon = "doc-full"
        value_class = CitationValue
        description = "One reference."
        preview_value = {"authors": "Doe J, Roe R", "title": "A study", "source": "A journal", "year": 2020}

    def get_api_representation(self, value, context=None):
        return {
            "authors": value["authors"],
            "title": value["title"],
            "source": value["source"],
            "year": value["year"],
            "url": value.link,
            "formatted": value.formatted,
        }


class ReferencesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(default="References", max_length=100)
    citations = blocks.ListBlock(CitationBlock())

    class Meta:
        icon = "list-ol"
        description = "The sources an article relies on."
        preview_value = {
            "heading": "References",
            "citations": [{"authors": "Doe J", "title": "A study", "source": "A journal", "year": 2020}],
        }


def _walk(value):
    """Yield every RichText and Page object inside a stream value, however deeply nested."""
    if isinstance(value, (RichText, Page)):
        yield value
    elif isinstance(value, blocks.StreamValue):
        for child in value:
            yield from _walk(child.value)
    elif isinstance(value, dict):  # StructValue
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, (list, blocks.list_block.ListValue)):
        for item in value:
            yield from _walk(item)


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    rich_text = APIRichTextBlock(icon="pilcrow", label="Text")
    image = CaptionedImageBlock()
    callout = CalloutBlock()
    faq = FAQItemBlock(label="FAQ item")
    quote = QuoteBlock()
    references = ReferencesBlock()

    class Meta:
        description = "The body of a page."

    def get_api_representation(self, value, context=None):
        from cms.rich_text import expand_many  # its handlers need the app registry

        context = dict(context or {})
        found = list(_walk(value))
        rich_texts = [item for item in found if isinstance(item, RichText)]
        pages = [item for item in found if isinstance(item, Page)]
        context[_EXPANDED_HTML] = dict(
            zip(map(id, rich_texts), expand_many(rt.source for rt in rich_texts), strict=True)
        )
        context[_PUBLIC_PAGE_IDS] = (
            set(public_pages().filter(pk__in=[p.pk for p in pages]).values_list("pk", flat=True)) if pages else set()
        )
        context.setdefault("cms_root_paths", site_root_paths())
        return super().get_api_representation(value, context)


def body_plain_text(raw_data):
    """The words of a stream's raw JSON (no database access): for reading time and search snippets."""
    from wagtail.rich_text import get_text_for_indexing

    words = []

    def collect(value):
        if isinstance(value, str):
            words.append(get_text_for_indexing(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("type", "id", "image", "page", "level", "tone", "url", "doi", "year"):
                    collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(list(raw_data or []))
    return " ".join(word for word in words if word)
