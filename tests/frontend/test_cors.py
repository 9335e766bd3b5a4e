"""The headless setup: the front end on one origin, the content API on another, in a real browser.

One live server answers on two origins (http://127.0.0.1:PORT and http://localhost:PORT are different origins to a
browser): the site is opened on the first, and its API base (PUBLIC_BASE_URL) is the second, so every API call is
cross-origin and works only through CORS (django-cors-headers, CORS_ALLOWED_ORIGINS).
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from cms.models import ArticlePage, ClinicSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CANCER_PAIN = "/articles/what-to-know-about-ketamine-and-cancer-pain-management/"


@pytest.fixture
def two_origins(demo_site, settings):
    port = urlsplit(demo_site).port
    site, api = f"http://127.0.0.1:{port}", f"http://localhost:{port}"
    settings.FRONTEND_BASE_URL = site
    settings.PUBLIC_BASE_URL = api
    settings.WAGTAILAPI_BASE_URL = api
    return site, api


def fetch_status(page, url, **init):
    """What the page's own script sees: the status it may read, or "blocked" when CORS forbids reading it."""
    return page.evaluate(
        "async ([url, init]) => { try { return (await fetch(url, init)).status; } catch (e) { return 'blocked'; } }",
        [url, init],
    )


def test_a_front_end_on_another_origin_reads_the_api_through_cors(tab, two_origins, settings):
    site, api = two_origins
    settings.CORS_ALLOWED_ORIGINS = [site]
    tab.base_url = site

    page = tab.open(CANCER_PAIN)
    article = ArticlePage.objects.get(url_path__endswith=CANCER_PAIN)
    expect(page.locator("h1")).to_have_text(article.title)
    expect(page.locator(".site-footer")).to_contain_text(ClinicSettings.load().clinic_name)
    cross_origin = [url for _, url in tab.api_responses if url.startswith(api + "/api/")]
    assert cross_origin, tab.api_responses
    assert not [url for _, url in tab.api_responses if url.startswith(site + "/api/")]

    # Revalidation works across origins too: ETag is exposed and If-None-Match allowed (home, list, home: 304s).
    page = tab.open("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Patient education").click()
    expect(page.locator("h1")).to_have_text("Patient education")
    tab.wait_for_view()
    tab.api_responses.clear()
    page.locator("a.brand").click()
    expect(page.locator("h1")).to_have_text(ClinicSettings.load().clinic_name)
    tab.wait_for_view()
    assert any(status == 304 for status, _ in tab.api_responses), tab.api_responses

    # The subscribe endpoint the form posts to (a JSON POST: preflighted) and the OpenAPI document are readable.
    assert fetch_status(page, api + "/api/outreach/v1/subscriptions/", method="POST", body="{}",
                        headers={"Content-Type": "application/json"}) == 400  # fmt: skip
    assert fetch_status(page, api + "/api/openapi.json") == 200
    # Never with the reader's cookies: the API is anonymous, so credentials are not allowed.
    assert fetch_status(page, api + "/api/v2/clinic/", credentials="include") == "blocked"
    blocked = [error for error in tab.errors if "CORS policy" in error or "net::ERR_FAILED" in error]
    assert len(blocked) == 2, tab.errors  # that refusal, as Chromium logs it; nothing else was refused
    tab.errors = [error for error in tab.errors if error not in blocked]


def test_preview_drafts_are_read_across_origins_by_token(tab, two_origins, settings):
    site, api = two_origins
    settings.CORS_ALLOWED_ORIGINS = [site]
    article = ArticlePage.objects.get(url_path__endswith=CANCER_PAIN)
    article.title = "A draft read from the other origin"
    token = article.create_page_preview().token
    tab.base_url = site

    page = tab.open(f"/preview?content_type=cms.articlepage&token={token}")
    expect(page.locator("h1")).to_have_text("A draft read from the other origin")
    assert any(re.search(r"/api/v2/page_preview/", url) and url.startswith(api) for _, url in tab.api_responses)
    # As wagtail-headless-preview's client asks for it.
    url = f"{api}/api/v2/page_preview/1/?content_type=cms.articlepage&token={token}&format=json"
    assert fetch_status(page, url) == 200


def test_origins_not_configured_cannot_read_the_api(frontend_browser, two_origins, settings):
    site, api = two_origins
    settings.CORS_ALLOWED_ORIGINS = []  # the default
    context = frontend_browser.new_context()
    try:
        page = context.new_page()
        page.goto(site + "/robots.txt")
        for path in ("/api/v2/clinic/", "/api/v2/pages/", "/api/openapi.json"):
            assert fetch_status(page, api + path) == "blocked"
        assert fetch_status(page, site + "/api/v2/clinic/") == 200  # same origin: no CORS needed
    finally:
        context.close()
