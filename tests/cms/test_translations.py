"""Languages: translations are drafts that go live only through their own medical review; the API, sitemap and
server-rendered head serve both languages and link each page to its translations."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.models import Locale, Page

from cms.medical_review import UnreviewedTranslationError, approve_through_review
from cms.models import ArticlePage, ClinicSettings, ClinicTranslation, Person, Topic
from cms.translations import live_translation, translate_page
from tests.cms.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish(db):
    return Locale.objects.get(language_code="es")


@pytest.fixture
def article(index):
    reviewer = Person.objects.create(name="Dr. English Reviewer", credentials="MD")
    return make_article(
        index,
        "cancer-pain",
        title="Cancer pain",
        summary="About cancer pain.",
        topics=[make_topic("pain-management", "Pain management")],
        medical_reviewer=reviewer,
        last_reviewed=datetime.date(2026, 1, 5),
    )


def spanish_version(page, editor=None, reviewer=None, approve=True, **fields):
    """The editor's path: translate (a draft copy), write the Spanish, save a revision; then review."""
    translation = translate_page(page, "es")
    for name, value in {"title": f"{page.title} (es)", **fields}.items():
        setattr(translation, name, value)
    translation.save_revision(user=editor)
    if approve:
        for ancestor in translation.get_ancestors().filter(depth__gt=1).specific():
            if not ancestor.live:
                ancestor.save_revision(user=editor)
                approve_through_review(ancestor, editor, reviewer)
        translation = approve_through_review(translation, editor, reviewer)
    return type(translation).objects.get(pk=translation.pk)


# --- the review gate ---------------------------------------------------------------------------------------------


def test_a_translation_starts_as_an_unreviewed_draft(article, spanish):
    translation = translate_page(article, "es")
    assert translation.locale == spanish
    assert translation.translation_key == article.translation_key
    assert not translation.live
    # The English approval says nothing about the Spanish words.
    assert translation.medical_reviewer is None and translation.last_reviewed is None
    parent = translation.get_parent()
    assert parent.locale == spanish and not parent.live  # the index was translated too, as a draft


@pytest.mark.parametrize("how", ["revision.publish", "publish action", "publish action as user", "live save"])
def test_a_translation_cannot_go_live_without_its_own_approval(article, reviewer, how):
    translation = translate_page(article, "es")
    translation.title = "Dolor por cáncer"
    revision = translation.save_revision()
    with pytest.raises(UnreviewedTranslationError):
        if how == "revision.publish":
            revision.publish()
        elif how == "publish action":
            PublishPageRevisionAction(revision).execute(skip_permission_checks=True)
        elif how == "publish action as user":
            PublishPageRevisionAction(revision, user=reviewer).execute()
        else:
            translation.live = True
            translation.save()
    assert not Page.objects.get(pk=translation.pk).live
    assert issubclass(UnreviewedTranslationError, PermissionDenied)  # an admin request gets a 403, not a 500


def test_an_approved_translation_goes_live_with_its_own_review_record(article, editor, reviewer):
    translation = spanish_version(article, editor, reviewer, summary="Sobre el dolor por cáncer.")
    assert translation.live and translation.locale.language_code == "es"
    assert translation.medical_reviewer.user == reviewer  # who approved the Spanish, not the English reviewer
    assert translation.last_reviewed == datetime.date.today() or translation.last_reviewed is not None
    article.refresh_from_db()
    assert article.medical_reviewer.name == "Dr. English Reviewer"


def test_an_edit_after_approval_needs_a_new_approval(article, editor, reviewer):
    translation = spanish_version(article, editor, reviewer)
    translation.summary = "Texto cambiado sin revisión."
    revision = translation.save_revision(user=editor)
    with pytest.raises(UnreviewedTranslationError):
        revision.publish()
    assert ArticlePage.objects.get(pk=translation.pk).summary != "Texto cambiado sin revisión."
    approve_through_review(translation, editor, reviewer)
    assert ArticlePage.objects.get(pk=translation.pk).summary == "Texto cambiado sin revisión."


def test_the_english_pages_keep_their_review_rules(article):
    # Unchanged for the default language: a publisher's publish is a publish (the existing groups decide who may).
    article.summary = "Edited."
    article.save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).summary == "Edited."


def test_the_admin_offers_translators_review_not_publish(client, article, editor, reviewer):
    client.force_login(editor)
    spanish = Locale.objects.get(language_code="es")
    for page in (*article.get_ancestors().filter(depth__gt=1), article):  # parents first, as the admin asks
        response = client.post(f"/admin/translation/submit/page/{page.pk}/", {"locales": [spanish.pk]})
        assert response.status_code == 302, page
        assert not page.get_translation(spanish).live  # a draft copy to translate
    translation = article.get_translation(spanish)
    client.force_login(reviewer)
    edit = client.get(f"/admin/pages/{translation.pk}/edit/")
    assert edit.status_code == 200
    html = edit.content.decode()
    assert 'name="action-publish"' not in html  # no Publish button on a translation
    assert 'name="action-submit"' in html  # "Submit to Medical review"
    english = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert 'name="action-publish"' in english
    # A forged "action-publish" POST runs PublishPageRevisionAction(...).execute(skip_permission_checks=True), which
    # test_a_translation_cannot_go_live_without_its_own_approval["publish action"] shows is refused.


# --- live_translation (outreach's helper) -------------------------------------------------------------------------


def test_live_translation_gives_the_public_translation_else_the_page(article, editor, reviewer):
    assert live_translation(article, "es") == article  # none yet
    draft = translate_page(article, "es")
    assert live_translation(article, "es") == article  # a draft is not served
    spanish_version(article, editor, reviewer)
    assert live_translation(article, "es").pk == draft.pk
    assert live_translation(article, "ES-mx").pk == draft.pk
    assert live_translation(article, "en") == article
    assert live_translation(article, "fr") == article
    assert live_translation(article, "") == article
    assert live_translation(live_translation(article, "es"), "en").pk == article.pk


# --- content API --------------------------------------------------------------------------------------------------


@pytest.fixture
def bilingual(article, editor, reviewer):
    return article, spanish_version(article, editor, reviewer, slug="dolor-por-cancer")


def test_api_locale_in_meta_and_filter(api, bilingual):
    article, translation = bilingual
    listing = api.get("/api/v2/pages/", {"type": "cms.ArticlePage", "locale": "es"}).json()
    assert [item["id"] for item in listing["items"]] == [translation.pk]
    assert listing["items"][0]["meta"]["locale"] == "es"
    english = api.get("/api/v2/pages/", {"type": "cms.ArticlePage", "locale": "en"}).json()
    assert [item["id"] for item in english["items"]] == [article.pk]
    both = api.get("/api/v2/pages/", {"type": "cms.ArticlePage"}).json()
    assert {item["id"] for item in both["items"]} == {article.pk, translation.pk}
    of = api.get("/api/v2/pages/", {"translation_of": article.pk}).json()
    assert [item["id"] for item in of["items"]] == [translation.pk]


def test_api_unknown_locale_is_a_clear_400(api, bilingual):
    response = api.get("/api/v2/pages/", {"locale": "xx"})
    assert response.status_code == 400
    assert "locale" in response.json()["message"] and "es" in response.json()["message"]


def test_api_detail_links_translations(api, bilingual):
    article, translation = bilingual
    data = api.get(f"/api/v2/pages/{translation.pk}/").json()
    assert data["meta"]["locale"] == "es"
    assert data["meta"]["html_path"].startswith("/es/")
    links = {link["locale"]: link for link in data["meta"]["translations"]}
    assert links["en"]["id"] == article.pk and links["es"]["id"] == translation.pk
    assert links["en"]["url"].endswith(f"/articles/{article.slug}/")
    assert links["es"]["url"].endswith(data["meta"]["html_path"])
    english = api.get(f"/api/v2/pages/{article.pk}/").json()
    assert not english["meta"]["html_path"].startswith("/es/")
    assert {link["locale"] for link in english["meta"]["translations"]} == {"en", "es"}


def test_api_translations_leave_out_drafts(api, article):
    translate_page(article, "es")
    data = api.get(f"/api/v2/pages/{article.pk}/").json()
    assert [link["locale"] for link in data["meta"]["translations"]] == ["en"]
    assert api.get("/api/v2/pages/", {"locale": "es"}).json()["items"] == []


def test_api_find_by_spanish_path(api, bilingual):
    _article, translation = bilingual
    path = api.get(f"/api/v2/pages/{translation.pk}/").json()["meta"]["html_path"]
    response = api.get("/api/v2/pages/find/", {"html_path": path}, follow=True)
    assert response.status_code == 200 and response.json()["id"] == translation.pk
    assert api.get("/api/v2/pages/find/", {"html_path": "/es/no-such-page/"}).status_code == 404


def test_api_topics_per_language(api, bilingual, reviewer):
    article, translation = bilingual
    topic = Topic.objects.get(slug="pain-management")
    spanish_topic = topic.copy_for_translation(Locale.objects.get(language_code="es"))
    spanish_topic.name = "Manejo del dolor"
    spanish_topic.save()
    data = api.get(f"/api/v2/pages/{translation.pk}/").json()
    assert data["topics"] == [{"id": spanish_topic.pk, "name": "Manejo del dolor", "slug": "pain-management"}]
    assert api.get(f"/api/v2/pages/{article.pk}/").json()["topics"][0]["name"] == "Pain management"
    topics = api.get("/api/v2/topics/", {"locale": "es"}).json()["items"]
    assert [(t["name"], t["slug"], t["locale"]) for t in topics] == [("Manejo del dolor", "pain-management", "es")]
    default = api.get("/api/v2/topics/").json()["items"]
    assert [(t["name"], t["locale"]) for t in default] == [("Pain management", "en")]
    detail = api.get(f"/api/v2/topics/{spanish_topic.pk}/").json()
    assert [page["id"] for page in detail["pages"]] == [translation.pk]
    # ?topic= takes the slug, the same in both languages.
    listing = api.get("/api/v2/pages/", {"topic": "pain-management", "locale": "es"}).json()
    assert [item["id"] for item in listing["items"]] == [translation.pk]
    assert api.get("/api/v2/topics/", {"locale": "zz"}).status_code == 400


def test_topic_translations_keep_the_slug(spanish):
    from django.core.exceptions import ValidationError

    topic = make_topic("pain-management")
    copy = topic.copy_for_translation(spanish)
    copy.slug = "manejo-del-dolor"
    with pytest.raises(ValidationError, match="slug"):
        copy.full_clean()
    assert list(Topic.objects.canonical()) == [topic]


def test_api_clinic_texts_per_language(api, db, spanish):
    clinic = ClinicSettings.load()
    clinic.medical_disclaimer = "General information, not medical advice."
    clinic.save()
    ClinicTranslation.objects.create(settings=clinic, locale=spanish, medical_disclaimer="Información general.")
    assert api.get("/api/v2/clinic/", {"locale": "es"}).json()["medical_disclaimer"] == "Información general."
    assert api.get("/api/v2/clinic/").json()["medical_disclaimer"] == "General information, not medical advice."
    assert api.get("/api/v2/clinic/", {"locale": "en"}).json()["medical_disclaimer"].startswith("General")
    assert api.get("/api/v2/clinic/", {"locale": "xx"}).status_code == 400


# --- sitemap and head ---------------------------------------------------------------------------------------------


def test_sitemap_carries_hreflang_alternates(client, bilingual):
    article, translation = bilingual
    xml = client.get("/sitemap.xml").content.decode()
    en_url = re.search(r"<loc>([^<]*/articles/cancer-pain/)</loc>", xml).group(1)
    es_url = re.search(r"<loc>([^<]*/es/[^<]*dolor-por-cancer/)</loc>", xml).group(1)
    for url in (en_url, es_url):
        block = xml.split(f"<loc>{url}</loc>", 1)[1].split("</url>", 1)[0]
        assert f'hreflang="en" href="{en_url}"' in block
        assert f'hreflang="es" href="{es_url}"' in block
        assert f'hreflang="x-default" href="{en_url}"' in block


def test_server_rendered_head_has_lang_and_hreflang(client, bilingual, settings):
    article, translation = bilingual
    if not settings.SERVE_FRONTEND:
        pytest.skip("the front end is not served here")
    es_path = "/es/" + translation.url_path.split("/", 2)[2]
    html = client.get(es_path).content.decode()
    assert '<html lang="es">' in html
    assert 'rel="alternate" hreflang="en"' in html and 'rel="alternate" hreflang="es"' in html
    assert 'hreflang="x-default"' in html
    english = client.get(f"/articles/{article.slug}/").content.decode()
    assert '<html lang="en">' in english and 'hreflang="es"' in english
