import io
import json

import pytest
from wagtail.images import get_image_model
from wagtail.models import Page, Site

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

    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert home.slug == "home"
    assert not Page.objects.filter(depth=2).exclude(pk=home.pk).exists()  # Wagtail's "Welcome" page is gone
    assert ArticleIndexPage.objects.count() == 1
    assert ServicePage.objects.count() == 3
    # The privacy notice: a demo information page the clinic edits, which the clinic settings point at.
    notice = InfoPage.objects.get(slug="privacy")
    assert notice.is_demo and notice.live
    assert get_clinic_settings().privacy_page_id == notice.pk
    linked = api.get("/api/v2/clinic/").json()["privacy_notice"]
    assert linked["url"].endswith("/privacy/") and linked["title"] == "Privacy notice"
    assert "Demo content" in json.dumps(api.get(f"/api/v2/pages/{notice.pk}/").json()["body"])
    assert set(Topic.objects.values_list("slug", flat=True)) == {
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
    assert articles.count() >= 5
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
