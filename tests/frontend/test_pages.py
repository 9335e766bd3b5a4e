"""The clinic's public site, read from the content API by a real browser: every page type, routing by path,
404s and redirects, preview, the subscribe form, ETag revalidation and an accessibility audit."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from playwright.sync_api import expect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale
from wagtail.rich_text import RichText

from cms.demo import ensure_clinic_settings, ensure_topic
from cms.demo_articles import TOPICS
from cms.models import ArticlePage, ClinicSettings, ServicePage
from tests.frontend.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CANCER_PAIN = "what-to-know-about-ketamine-and-cancer-pain-management"
SUBSCRIBE_API = "/api/outreach/v1/subscriptions/"


def article_path(slug):
    return f"/articles/{slug}/"


def card_titles(page):
    return page.locator("#article-list .card__title").all_inner_texts()


def test_home_article_list_and_etag_revalidation(tab, demo_site, artifacts_dir):
    page = tab.open("/")

    clinic = ClinicSettings.load()
    english = ArticlePage.objects.live().filter(locale=Locale.get_default())  # the English site lists English ones
    newest = list(english.order_by("-first_published_at").values_list("title", flat=True)[:3])
    expect(page.locator("h1")).to_have_text(clinic.clinic_name)
    featured = page.locator("section[aria-labelledby=articles-heading] .card__title")
    expect(featured).to_have_text(newest)
    expect(page.locator("#treatments .card__title")).to_have_count(
        ServicePage.objects.live().filter(locale=Locale.get_default()).count()
    )
    # The booking call and the phone number, as a tel: link, in the hero.
    hero = page.locator(".hero")
    expect(hero.get_by_role("link", name="Book a consultation")).to_have_attribute("href", "/book-a-consultation/")
    expect(hero.get_by_role("link", name=f"Call {clinic.phone}")).to_have_attribute("href", "tel:+12037016388")
    expect(page.locator(".notice--demo")).to_contain_text("Demo content")
    expect(page).to_have_title(clinic.clinic_name)
    expect(page.locator('meta[name="description"]')).to_have_attribute("content", re.compile("Ketamine infusion"))

    tab.audit("home", artifacts_dir)
    for viewport in (DESKTOP, PHONE):
        tab.screenshot("home", artifacts_dir, viewport)

    # The article list: a topic filter and a search narrow it.
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="All articles").click()
    expect(page).to_have_url(tab.base_url + "/articles/")
    expect(page.locator("#article-list .card")).to_have_count(english.count())

    page.get_by_label("Topic", exact=True).focus()
    page.get_by_label("Topic", exact=True).select_option("ptsd")
    expect(page).to_have_url(re.compile(r"/articles/\?topic=ptsd$"))
    expect(page.locator(".results-count")).to_have_text("1 article about PTSD")
    assert card_titles(page) == ["Ketamine and PTSD: an overview for patients"]
    expect(page.get_by_label("Topic", exact=True)).to_be_focused()  # refining the list keeps the reader's place

    page.get_by_label("Topic", exact=True).select_option("")
    expect(page).to_have_url(re.compile(r"/articles/$"))
    expect(page.locator(".results-count")).to_have_text("5 articles")
    page.get_by_label("Search articles").fill("hallucinations")
    page.get_by_role("button", name="Show articles").click()
    expect(page).to_have_url(re.compile(r"/articles/\?q=hallucinations$"))
    expect(page.locator("#article-list .card")).to_have_count(1)
    assert card_titles(page) == ["What to know about ketamine and cancer pain management"]

    page.get_by_label("Topic", exact=True).select_option("ptsd")
    expect(page.locator("#article-list")).to_contain_text("No articles match")

    # A topic tag on an article leads to the list filtered by that topic; the back button returns.
    tab.open(article_path(CANCER_PAIN))
    page.get_by_role("list", name="Topics").get_by_role("link", name="Cancer care").click()
    expect(page).to_have_url(re.compile(r"/articles/\?topic=cancer-care$"))
    expect(page.locator(".results-count")).to_have_text("1 article about Cancer care")
    page.go_back()
    expect(page.locator("h1")).to_have_text(ArticlePage.objects.get(slug=CANCER_PAIN).title)

    # Words from the address bar are shown as text, never parsed as HTML.
    tab.open("/articles/?q=%3Cimg%20src%3Dx%20onerror%3Dwindow.__xss%3D1%3E")
    expect(page.locator(".results-count")).to_contain_text("<img src=x onerror=window.__xss=1>")
    assert page.evaluate("window.__xss") is None
    tab.audit("article-list", artifacts_dir)

    # Home, the article list, home again: everything home needs was seen before, so each API request is a
    # revalidation answered 304 with no body (find/ redirects to the page's detail first).
    tab.api_responses.clear()
    page = tab.open("/")
    first = {url for status, url in tab.api_responses if re.search(r"type=cms\.(Article|Service)Page", url)}
    assert first, tab.api_responses
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Patient education").click()
    expect(page.locator("h1")).to_have_text("Patient education")
    tab.wait_for_view()
    tab.api_responses.clear()
    page.locator("a.brand").click()
    expect(page.locator("h1")).to_have_text(clinic.clinic_name)
    tab.wait_for_view()
    revalidated = {url for status, url in tab.api_responses if status == 304}
    assert first <= revalidated, tab.api_responses
    assert all(status in (302, 304) for status, _ in tab.api_responses), tab.api_responses


def test_article_renders_its_sections_images_and_review(tab, demo_site, artifacts_dir):
    article = ArticlePage.objects.get(slug=CANCER_PAIN)
    page = tab.open(article_path(CANCER_PAIN))

    expect(page.locator("h1")).to_have_text(article.title)
    expect(page).to_have_title(f"{article.seo_title} | {ClinicSettings.load().clinic_name}")
    expect(page.locator('meta[name="description"]')).to_have_attribute("content", article.search_description)
    expect(page.locator('link[rel="canonical"]')).to_have_attribute("href", tab.base_url + article_path(CANCER_PAIN))
    sections = ["What is ketamine?", "Can ketamine help with cancer-related pain?", "What are the side effects?"]
    expect(page.locator(".prose h2")).to_have_text([*sections, "References"])
    expect(page.locator(".toc a")).to_have_text(sections)
    expect(page.locator("#what-is-ketamine")).to_be_attached()

    # Hero and in-body figure: WebP renditions with widths, alt text from the CMS, all loaded.
    tab.load_all_images()
    hero = page.locator(".article__hero img")
    expect(hero).to_have_attribute("alt", re.compile(r"Abstract gradient"))
    expect(hero).to_have_attribute("srcset", re.compile(r"\.webp 480w, .+\.webp 960w, .+\.webp 1600w$"))
    figure = page.locator(".prose figure.figure")
    expect(figure.locator("img")).to_have_attribute(
        "alt", "Abstract illustration of signals travelling along a branching line"
    )
    expect(figure.locator("figcaption")).to_have_text("Pain signals pass through receptors that ketamine can block.")
    assert page.evaluate("[...document.querySelectorAll('main img')].every((img) => img.naturalWidth > 0)")

    expect(page.get_by_role("note", name="Talk to your care team")).to_contain_text("book a consultation")
    faq = page.locator("details.faq", has_text="Is ketamine addictive?")
    faq.locator("summary").click()
    expect(faq.locator(".faq__answer")).to_be_visible()
    expect(page.locator(".references li")).to_contain_text(["Cancer Pain (PDQ) - Patient Version"])
    expect(page.locator(".article__review")).to_contain_text("Medically reviewed by Dr. Demo Reviewer, MD")
    expect(page.locator(".article__review")).to_contain_text("Last reviewed October 1, 2026")
    expect(page.locator(".related li")).to_have_count(3)
    expect(page.get_by_role("note", name="Medical disclaimer")).to_contain_text("not medical advice")
    expect(page.locator(".notice--demo")).to_be_visible()

    tab.audit("article", artifacts_dir)
    for viewport in (DESKTOP, PHONE):
        tab.screenshot("article-cancer-pain", artifacts_dir, viewport)

    # A page link inside the article (the callout's) opens the service page without a reload.
    page.evaluate("window.__sameDocument = true")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="About ketamine for chronic and cancer pain").click()
    expect(page).to_have_url(tab.base_url + "/ketamine-for-chronic-and-cancer-pain/")
    expect(page.locator("h1")).to_have_text("Ketamine infusion for chronic and cancer pain")
    expect(page.locator("h1")).to_be_focused()
    expect(page.locator("section[aria-labelledby=reading-heading] .card")).not_to_have_count(0)
    assert page.evaluate("window.__sameDocument") is True
    tab.audit("service", artifacts_dir)


def test_routing_redirects_not_found_and_preview(tab, demo_site, artifacts_dir):
    article = ArticlePage.objects.get(slug=CANCER_PAIN)
    Redirect.objects.create(old_path="/cancer-pain", redirect_page=article)

    page = tab.open("/cancer-pain/")
    expect(page).to_have_url(tab.base_url + article_path(CANCER_PAIN))
    expect(page.locator("h1")).to_have_text(article.title)

    tab.api_responses.clear()
    page = tab.open("/no-such-page/")
    assert tab.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator("main code")).to_have_text("/no-such-page/")
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
    asked = [url for status, url in tab.api_responses if status == 404]
    assert any("/api/v2/pages/find/?html_path=%2Fno-such-page%2F" in url for url in asked)
    assert any("/api/v2/redirects/find/?html_path=%2Fno-such-page" in url for url in asked)
    tab.audit("not-found", artifacts_dir)

    # A preview link from the CMS shows the draft with the same templates as the live page.
    live_title = article.title
    article.title = "Draft title, not yet published"
    article.body.insert(0, ("rich_text", RichText("<p>This paragraph exists only in the draft.</p>")))
    # What the editor's Preview panel does: store the draft and load the front end's /preview in an iframe.
    request = RequestFactory().get("/admin/", HTTP_HOST=demo_site.split("//")[1])
    request.user = get_user_model().objects.create_superuser("editor", "editor@example.com", "x" * 12)
    iframe = re.search(r'<iframe src="([^"]+)"', article.serve_preview(request, "").content.decode())
    preview_url = iframe.group(1).replace("&amp;", "&")
    assert preview_url.startswith(demo_site + "/preview?content_type=cms.articlepage&token=")

    page = tab.open(preview_url.removeprefix(demo_site))
    expect(page.locator("h1")).to_have_text("Draft title, not yet published")
    expect(page.locator(".prose")).to_contain_text("This paragraph exists only in the draft.")
    expect(page.locator(".notice--preview")).to_contain_text("Preview")
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
    tab.audit("preview", artifacts_dir)

    page = tab.open(article_path(CANCER_PAIN))
    expect(page.locator("h1")).to_have_text(live_title)
    expect(page.locator(".notice--preview")).to_have_count(0)

    page = tab.open("/preview?content_type=cms.articlepage&token=forged")
    expect(page.locator("h1")).to_have_text("This preview has expired")


@pytest.fixture
def topics_and_clinic():
    """What the subscribe form reads (clinic settings and topics), without the slower full demo content."""
    ensure_clinic_settings(io.StringIO())
    for slug, name, description in TOPICS:
        ensure_topic(slug, name, description)


def test_subscribe_form_posts_the_consent_wording_and_confirms(tab, topics_and_clinic, client, artifacts_dir):
    endpoint_exists = client.post(SUBSCRIBE_API, {}, content_type="application/json").status_code != 404
    posted = []

    def fake_created(route):
        posted.append(route.request.post_data_json)
        route.fulfill(status=201, content_type="application/json", body='{"status": "pending_confirmation"}')

    page = tab.open("/subscribe/?topic=cancer-care")
    if not endpoint_exists:  # until outreach ships the endpoint, stand in for it with the contract's 201
        page.route(f"**{SUBSCRIBE_API}", fake_created)
    else:
        page.on("request", lambda r: posted.append(r.post_data_json) if SUBSCRIBE_API in r.url else None)
    expect(page.locator("h1")).to_have_text("Get new articles by email or text")
    expect(page.get_by_role("checkbox", name="Cancer care")).to_be_checked()
    tab.audit("subscribe", artifacts_dir)

    # Checked in the browser first: no address, no consent.
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("#email-error")).to_have_text("Give an email address or a mobile number.")
    expect(page.locator("#consent-error")).to_be_visible()
    expect(page.get_by_label("Email address")).to_be_focused()
    assert posted == []

    page.get_by_role("checkbox", name="PTSD").check()
    page.get_by_label("Email address").fill("reader@example.com")
    wording = page.locator(".consent__wording").inner_text().strip()
    page.locator('.consent input[type="checkbox"]').check()
    page.get_by_role("button", name="Subscribe").click()

    expect(page.get_by_role("heading", name="Check your email to confirm")).to_be_focused()
    assert len(posted) == 1
    assert posted[0]["email"] == "reader@example.com"
    assert sorted(posted[0]["topics"]) == ["cancer-care", "ptsd"]
    assert posted[0]["consent_wording"] == wording
    assert "Reply STOP" in posted[0]["consent_wording"]
    assert "phone" not in posted[0]


def test_subscribe_form_handles_field_errors_rate_limits_and_outages(tab, topics_and_clinic):
    # How the form answers the API's errors (simulated): field errors, rate limit, outage, then success.
    answers = []
    page = tab.open("/subscribe/")
    page.route(f"**{SUBSCRIBE_API}", lambda route: route.fulfill(**answers.pop(0)))

    page.get_by_role("checkbox", name="Depression").check()
    page.get_by_label("Email address").fill("reader@example.com")
    page.get_by_label("Mobile number (for texts)").fill("(203) 555-0123")
    page.locator('.consent input[type="checkbox"]').check()

    answers.append(
        {"status": 400, "json": {"phone": ["Enter a valid mobile number."], "non_field_errors": ["Slow down."]}}
    )
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("#phone-error")).to_have_text("Enter a valid mobile number.")
    expect(page.get_by_label("Mobile number (for texts)")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#form-alert")).to_have_text("Slow down.")

    answers.append({"status": 429, "json": {"detail": "Request was throttled."}})
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("#form-alert")).to_contain_text("try again later")
    expect(page.locator("#phone-error")).to_be_hidden()

    answers.append({"status": 404, "body": "Not found"})
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator("#form-alert")).to_contain_text("could not sign you up just now")
    expect(page.locator("#form-alert")).to_contain_text("(203) 701-6388")

    answers.append({"status": 202, "json": {}})
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", name="Check your email and phone to confirm")).to_be_visible()
