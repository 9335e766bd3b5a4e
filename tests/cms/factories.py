"""Test data built in code: images, snippets and pages of every type."""

import io
import itertools

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from cms.models import ArticleIndexPage, ArticlePage, HomePage, Person, RelatedArticle, ServicePage, Topic
from cms.models.snippets import default_language_code

_counter = itertools.count(1)


def make_image(title=None, alt="A soft gradient", size=(40, 30)):
    number = next(_counter)
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (number * 40 % 255, 120, 200)).save(buffer, format="PNG")
    image = get_image_model()(title=title or f"Image {number}", description=alt)
    image.file = ImageFile(buffer, name=f"test-{number}.png")
    image.save()
    return image


def make_document(title="Consent form"):
    from django.core.files.base import ContentFile

    document = get_document_model()(title=title)
    document.file.save("consent.txt", ContentFile(b"consent"), save=False)
    document.save()
    return document


def make_topic(slug="pain-management", name=None):
    # A transactional test's flush removes the locales the migrations made; topics belong to the default one.
    locale = Locale.objects.get_or_create(language_code=default_language_code())[0]
    return Topic.objects.get_or_create(
        slug=slug, locale=locale, defaults={"name": name or slug.replace("-", " ").title()}
    )[0]


def make_person(name="Dr. Test Reviewer", credentials="MD"):
    return Person.objects.create(name=name, credentials=credentials, role="Reviewer")


def make_site_tree():
    """Root > HomePage (the default site's root) > ArticleIndexPage."""
    root = Page.get_first_root_node()
    home = HomePage(title="Clinic", slug="clinic-home", intro="<p>Welcome</p>")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    index = ArticleIndexPage(title="Articles", slug="articles", intro="All articles")
    home.add_child(instance=index)
    index.save_revision().publish()
    return home, index


def full_body(image, link_page=None, document=None, rich_text_extra=""):
    """One block of every type, with rich text that links to a page and a document and embeds an image."""
    links = ""
    if link_page is not None:
        links += f'<a linktype="page" id="{link_page.pk}">a linked page</a> '
    if document is not None:
        links += f'<a linktype="document" id="{document.pk}">a document</a> '
    embed = f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="Embedded alt"/>'
    return [
        ("heading", {"text": "What is ketamine?", "level": "h2"}),
        ("rich_text", RichText(f"<p>Intro with {links}text.</p>{embed}{rich_text_extra}")),
        ("image", {"image": image, "alt_text": "Block alt", "caption": "A caption", "attribution": ""}),
        (
            "callout",
            {
                "tone": "care_team",
                "title": "Talk to your care team",
                "text": RichText("<p>Ask us.</p>"),
                "page": link_page,
                "link_text": "Read more",
            },
        ),
        ("faq", {"question": "Does it hurt?", "answer": RichText("<p>Not much.</p>")}),
        ("quote", {"text": "It helped.", "attribution": "A patient"}),
        (
            "references",
            {
                "heading": "References",
                "citations": [{"authors": "Doe J", "title": "A study", "source": "A journal", "year": 2020, "url": ""}],
            },
        ),
    ]


def make_article(index, slug=None, *, publish=True, topics=(), body=None, related=(), **fields):
    number = next(_counter)
    slug = slug or f"article-{number}"
    hero = fields.pop("hero_image", None) or make_image(alt=f"Hero {number}")
    page = ArticlePage(
        title=fields.pop("title", f"Article {number}"),
        slug=slug,
        summary=fields.pop("summary", "A short summary."),
        hero_image=hero,
        body=body if body is not None else [("rich_text", RichText("<p>Some words about treatment.</p>"))],
        live=publish,
        **fields,
    )
    index.add_child(instance=page)
    if topics:
        page.topics.set(topics)
    for order, other in enumerate(related):
        RelatedArticle.objects.create(page=page, related_page=other, sort_order=order)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ArticlePage.objects.get(pk=page.pk)


def make_service(home, slug="ketamine-for-depression", *, body=None, topics=()):
    page = ServicePage(
        title="Ketamine for depression",
        slug=slug,
        summary="Infusions for depression.",
        conditions="Depression",
        hero_image=make_image(),
        body=body or [("faq", {"question": "How many?", "answer": RichText("<p>Six.</p>")})],
    )
    home.add_child(instance=page)
    if topics:
        page.topics.set(topics)
    page.save_revision().publish()
    return ServicePage.objects.get(pk=page.pk)
