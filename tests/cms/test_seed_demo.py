import io
import json

import pytest
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site, TaskState, WorkflowState

from cms.clinic import get_clinic_settings
from cms.demo import seed_cms
from cms.models import ArticleIndexPage, ArticlePage, HomePage, InfoPage, Person, ServicePage, Topic

pytestmark = pytest.mark.django_db


def counts():
    return (
        Page.objects.count(),
        Topic.objects.count(),
        Person.objects.count(),
        get_image_model().objects.count(),
        ArticlePage.objects.get(slug="what-to-know-about-ketamine-and-cancer-pain-management").related_links.count(),
    )


def test_seed_is_complete_and_idempotent(api):
    seed_cms(io.StringIO())
    first = counts()
    seed_cms(io.StringIO())
    assert counts() == first

    home = HomePage.objects.get(locale=Locale.get_default())
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert home.slug == "home"
    # Wagtail's "Welcome" page is gone; the other home is the Spanish one.
    assert list(Page.objects.filter(depth=2).exclude(pk=home.pk).values_list("pk", flat=True)) == [
        home.get_translation(spanish()).pk
    ]
    assert ArticleIndexPage.objects.count() == 2  # English and Spanish
    assert ServicePage.objects.count() == 6
    # The privacy notice: a demo information page the clinic edits, which the clinic settings point at.
    notice = InfoPage.objects.get(slug="privacy")
    assert notice.is_demo and notice.live
    assert get_clinic_settings().privacy_page_id == notice.pk
    linked = api.get("/api/v2/clinic/").json()["privacy_notice"]
    assert linked["url"].endswith("/privacy/") and linked["title"] == "Privacy notice"
    assert "Demo content" in json.dumps(api.get(f"/api/v2/pages/{notice.pk}/").json()["body"])
    assert set(Topic.objects.canonical().values_list("slug", flat=True)) == {
        "pain-management",
        "cancer-care",
        "depression",
        "ptsd",
        "side-effects",
        "treatment-basics",
    }

    clinic = get_clinic_settings()
    assert (clinic.clinic_name, clinic.phone, clinic.time_zone) == (
        "Ketamine Center of Connecticut",
        "(203) 701-6388",
        "America/New_York",
    )
    assert "Milford, CT" in clinic.postal_address

    articles = ArticlePage.objects.live().order_by("path")
    assert articles.filter(locale=Locale.get_default()).count() >= 5
    assert articles.first().title == "What to know about ketamine and cancer pain management"
    for article in articles:
        block_types = {block.block_type for block in article.body}
        assert {"heading", "rich_text", "image", "callout", "faq", "references"} <= block_types, article.title
        assert article.is_demo and article.hero_image and article.hero_image.description
        assert article.topics.exists() and article.author and article.medical_reviewer and article.last_reviewed
        assert article.related_links.exists() and article.seo_title and article.search_description

    first_text = json.dumps(list(articles.first().body.raw_data)).lower()
    for phrase in (
        "dissociative anaesthetic",
        "nmda",
        "opioid receptors",
        "hallucinations",
        "benzodiazepine",
        "book a consultation",
    ):
        assert phrase in first_text, phrase

    listing = api.get("/api/v2/pages/?type=cms.ArticlePage").json()
    assert listing["meta"]["total_count"] == articles.count()


def spanish():
    return Locale.objects.get(language_code="es")


def test_seed_translates_into_spanish_through_medical_review(api):
    seed_cms(io.StringIO())
    pages = Page.objects.filter(locale=spanish()).specific()
    # Home, article index, three services and at least three articles, the cancer-pain one among them.
    assert {type(page).__name__ for page in pages} == {"HomePage", "ArticleIndexPage", "ServicePage", "ArticlePage"}
    assert ArticlePage.objects.filter(locale=spanish()).count() >= 3
    cancer = ArticlePage.objects.get(slug="what-to-know-about-ketamine-and-cancer-pain-management")
    translation = cancer.get_translation(spanish())
    for page in pages:
        assert page.live and page.is_demo, page
        approved = TaskState.objects.filter(
            workflow_state__in=WorkflowState.objects.for_instance(page), status=TaskState.STATUS_APPROVED
        )
        assert approved.exists(), f"{page} went live without its own medical review"
    assert "Traducción de demostración" in json.dumps(list(translation.body.raw_data), ensure_ascii=False)
    assert translation.medical_reviewer and translation.last_reviewed

    data = api.get(f"/api/v2/pages/{translation.pk}/").json()
    assert data["meta"]["locale"] == "es" and data["meta"]["html_path"].startswith("/es/articulos/")
    assert {link["locale"] for link in data["meta"]["translations"]} == {"en", "es"}
    assert "Manejo del dolor" in [topic["name"] for topic in data["topics"]]
    # Related articles in Spanish where they are translated, else the English ones.
    spanish_ids = set(ArticlePage.objects.filter(locale=spanish(), live=True).values_list("pk", flat=True))
    related = data["related_articles"]
    assert related and any(link["id"] in spanish_ids for link in related)
    assert all(("/es/" in link["url"]) == (link["id"] in spanish_ids) for link in related)
    callouts = [b for b in data["body"] if b["type"] == "callout" and b["value"].get("link")]
    assert callouts and all("/es/" in b["value"]["link"]["url"] for b in callouts)
    assert api.get("/api/v2/pages/", {"locale": "es", "type": "cms.ArticlePage"}).json()["meta"]["total_count"] >= 3
    assert "español" in api.get("/api/v2/clinic/", {"locale": "es"}).json()["medical_disclaimer"]
