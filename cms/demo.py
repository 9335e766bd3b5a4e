"""Demo content for `seed_demo`: a small, realistic site for the Ketamine Center of Connecticut.

Everything made here is marked: pages carry ``is_demo=True`` (the API shows it, front ends display a notice), people
are fictional ("Dr. Demo Reviewer"), image titles start with "Demo". Idempotent: what exists (matched by slug or
title) is left alone, so running it again creates nothing and keeps any edits staff made since.
"""

import datetime
import io
import math

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.rich_text import RichText

from cms.clinic import get_clinic_settings
from cms.demo_articles import ARTICLES, PRIVACY_NOTICE, SERVICES, TOPICS
from cms.demo_articles_es import ARTICLES_ES, CLINIC_DISCLAIMER_ES, HOME_ES, INDEX_ES, SERVICES_ES, TOPICS_ES
from cms.medical_review import approve_through_review
from cms.models import (
    ArticleIndexPage,
    ArticlePage,
    ClinicTranslation,
    HomePage,
    InfoPage,
    Person,
    RelatedArticle,
    ServicePage,
    Topic,
)
from cms.translations import locale_for, translate_page

CLINIC = {
    "clinic_name": "Ketamine Center of Connecticut",
    # What lock screens show: the clinic's name says what it treats (cms/clinic.py).
    "messaging_name": "KCC Milford",
    "phone": "(203) 701-6388",
    "postal_address": "KCC Milford\nMilford, CT",
    "time_zone": "America/New_York",
    "medical_disclaimer": (
        "This article is general information, not medical advice. Talk to your own care team about your health "
        "and before starting or changing any treatment. In an emergency call 911; in a mental health crisis call "
        "or text 988."
    ),
}
PEOPLE = {
    "writer": {"name": "Demo Writer", "credentials": "", "role": "Patient education writer (demo)"},
    "reviewer": {"name": "Dr. Demo Reviewer", "credentials": "MD", "role": "Medical reviewer (demo)"},
    "nurse": {"name": "Demo Nurse Reviewer", "credentials": "RN", "role": "Infusion nurse (demo)"},
}


def seed_cms(stdout):
    with transaction.atomic():
        home = ensure_home(stdout)
        ensure_clinic_settings(stdout)
        topics = {slug: ensure_topic(slug, name, description) for slug, name, description in TOPICS}
        people = {
            key: Person.objects.get_or_create(name=data["name"], defaults=data)[0] for key, data in PEOPLE.items()
        }
        index = ensure_child(
            home,
            ArticleIndexPage,
            "articles",
            title="Patient education",
            intro="Plain-language articles about ketamine treatment, written by our team and medically reviewed.",
            hero_image=demo_image("Demo hero: patient education", "Soft blue and teal gradient", 0),
            is_demo=True,
        )
        for number, service in enumerate(SERVICES, start=1):
            ensure_child(
                home,
                ServicePage,
                service["slug"],
                title=service["title"],
                summary=service["summary"],
                conditions=service["conditions"],
                hero_image=demo_image(f"Demo hero: {service['title']}", service["alt"], number),
                body_spec=service["body"],
                topics_slugs=service["topics"],
                topics=topics,
                is_demo=True,
                seo_title=service["title"],
                search_description=service["summary"],
            )
        articles = []
        for number, article in enumerate(ARTICLES, start=10):
            articles.append(
                ensure_child(
                    index,
                    ArticlePage,
                    article["slug"],
                    title=article["title"],
                    summary=article["summary"],
                    hero_image=demo_image(f"Demo hero: {article['title']}", article["alt"], number),
                    body_spec=article["body"],
                    topics_slugs=article["topics"],
                    topics=topics,
                    author=people["writer"],
                    medical_reviewer=people[article.get("reviewer", "reviewer")],
                    last_reviewed=datetime.date.fromisoformat(article["last_reviewed"]),
                    is_demo=True,
                    seo_title=article["seo_title"],
                    search_description=article["seo_description"],
                )
            )
        link_related(articles, stdout)
        ensure_privacy_notice(home)
        translated = seed_spanish(home, index, articles, people, stdout)
    stdout.write(f"CMS demo content is in place ({len(articles)} articles, {translated} pages in Spanish).")


def seed_spanish(home, index, articles, people, stdout):
    """The demo's Spanish: the home page, the article index, the services and three articles (cms/demo_articles_es.py),
    topic names and the clinic's disclaimer. Each page is made the way an editor makes it (a draft translation from
    the admin's "Translate") and goes live only by approval in the Medical review workflow, the same gate every
    translation passes (cms/medical_review.py). Pages already translated are left alone."""
    spanish = locale_for("es")
    if spanish is None:
        return 0
    for topic in Topic.objects.canonical():
        if topic.slug in TOPICS_ES and topic.get_translation_or_none(spanish) is None:
            name, description = TOPICS_ES[topic.slug]
            translation = topic.copy_for_translation(spanish)
            translation.name, translation.description = name, description
            translation.save()
    clinic = get_clinic_settings()
    if not clinic.translations.filter(locale=spanish).exists():
        ClinicTranslation.objects.create(settings=clinic, locale=spanish, medical_disclaimer=CLINIC_DISCLAIMER_ES)

    plan = [(home, HOME_ES), (index, INDEX_ES)]
    plan += [(page, SERVICES_ES[page.slug]) for page in ServicePage.objects.child_of(home) if page.slug in SERVICES_ES]
    plan += [(page, ARTICLES_ES[page.slug]) for page in articles if page.slug in ARTICLES_ES]
    made = 0
    for source, words in plan:
        if source.get_translation_or_none(spanish) is not None:
            continue
        translation = translate_page(source, "es")
        fields = dict(words)
        if "body" in fields:
            fields["body"] = build_body(fields["body"], spanish)
        for name, value in fields.items():
            setattr(translation, name, value)
        if isinstance(translation, ArticlePage):
            translation.author = people["writer"]
            translation.medical_reviewer = people[
                next(a.get("reviewer", "reviewer") for a in ARTICLES if a["slug"] == source.slug)
            ]
        translation.is_demo = True
        translation.save_revision()
        approve_through_review(translation)
        made += 1
    if made:
        stdout.write(f"Translated {made} demo pages into Spanish (approved in the Medical review workflow).")
    return Page.objects.filter(locale=spanish, live=True).count()


def ensure_home(stdout):
    """The site's root is our HomePage: replace Wagtail's default "Welcome" page the first time."""
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=Locale.get_default()).first()
    if home is None:
        home = HomePage(title="Ketamine Center of Connecticut", slug="clinic-home", is_demo=True)
        home.intro = RichText(
            "<p>Ketamine infusion therapy for chronic and cancer pain, depression and PTSD, in Milford, CT. "
            "This is demo content.</p>"
        ).source
        root.add_child(instance=home)
        home.save_revision().publish()
        stdout.write("Created the home page.")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    site.root_page = home
    site.site_name = CLINIC["clinic_name"]
    site.save()
    for welcome in Page.objects.filter(depth=2).exclude(pk=home.pk).exact_type(Page):
        if not welcome.get_children().exists():
            welcome.delete()
    if home.slug != "home" and not root.get_children().filter(slug="home").exists():
        home.slug = "home"
        home.save_revision().publish()
    return HomePage.objects.get(pk=home.pk)


def ensure_clinic_settings(stdout):
    clinic = get_clinic_settings()
    if clinic.clinic_name:
        if not clinic.messaging_name and clinic.clinic_name == CLINIC["clinic_name"]:
            # A demo database seeded before the messaging name existed: give it the neutral one.
            clinic.messaging_name = CLINIC["messaging_name"]
            clinic.save(update_fields=["messaging_name"])
        return  # already set up, maybe edited since: keep it
    for field, value in CLINIC.items():
        setattr(clinic, field, value)
    clinic.booking_url = settings.FRONTEND_BASE_URL.rstrip("/") + "/book-a-consultation/"
    clinic.full_clean()
    clinic.save()
    stdout.write("Set the clinic settings.")


def ensure_privacy_notice(home):
    """The demo privacy notice, and the clinic settings pointing at it unless they already point at one."""
    notice = ensure_child(
        home,
        InfoPage,
        PRIVACY_NOTICE["slug"],
        title=PRIVACY_NOTICE["title"],
        summary=PRIVACY_NOTICE["summary"],
        last_updated=datetime.date.fromisoformat(PRIVACY_NOTICE["last_updated"]),
        body_spec=PRIVACY_NOTICE["body"],
        is_demo=True,
    )
    clinic = get_clinic_settings()
    if clinic.privacy_page_id is None:
        clinic.privacy_page = notice
        clinic.save()
    return notice


def ensure_topic(slug, name, description):
    return Topic.objects.canonical().get_or_create(
        slug=slug, locale=Locale.get_default(), defaults={"name": name, "description": description}
    )[0]


def ensure_child(parent, model, slug, *, body_spec=None, topics_slugs=(), topics=None, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    if body_spec is not None:
        fields["body"] = build_body(body_spec)
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    if topics_slugs:
        page.topics.set([topics[s] for s in topics_slugs])
    page.save_revision().publish()
    return page


def build_body(spec, locale=None):
    """Resolve the placeholders of cms/demo_articles.py: generated images and service pages by (English) slug, in
    ``locale`` (the service page's translation there) when given."""
    blocks = []
    for block_type, value in spec:
        if block_type == "image":
            value = {**value, "image": demo_image(*value["image"])}
        elif block_type == "callout":
            page = None
            if value["page"]:
                page = ServicePage.objects.filter(slug=value["page"], locale=Locale.get_default()).first()
            if page is not None and locale is not None:
                page = page.get_translation_or_none(locale) or page
            value = {**value, "page": page}
        blocks.append((block_type, value))
    return blocks


def link_related(articles, stdout):
    for article in articles:
        if article.related_links.exists():
            continue
        others = [other for other in articles if other.pk != article.pk][:3]
        for order, other in enumerate(others):
            RelatedArticle.objects.create(page=article, related_page=other, sort_order=order)
        article.save_revision().publish()


def demo_image(title, alt, seed):
    """A generated abstract gradient (no download), stored once under its title."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    width, height = 1600, 900
    hue = (seed * 47) % 360
    start = _colour(hue, 0.45, 0.55)
    end = _colour((hue + 60) % 360, 0.55, 0.35)
    picture = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    for x in range(width):
        t = x / (width - 1)
        draw.line([(x, 0), (x, height)], fill=tuple(round(a + (b - a) * t) for a, b in zip(start, end, strict=True)))
    for i in range(4):
        radius = 120 + 60 * i
        cx = int(width * (0.2 + 0.2 * i))
        cy = int(height * (0.5 + 0.25 * math.sin(seed + i)))
        draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], outline=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    image = Image(title=title, description=alt)
    image.file = ImageFile(buffer, name=f"demo-{seed}.jpg")
    image.save()
    return image


def _colour(hue, saturation, lightness):
    import colorsys

    r, g, b = colorsys.hls_to_rgb(hue / 360, lightness, saturation)
    return round(r * 255), round(g * 255), round(b * 255)
