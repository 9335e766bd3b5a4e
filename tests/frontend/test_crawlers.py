"""The site as crawlers and link-preview parsers read it: the first HTML of each path, no JavaScript run.

Each public page's head carries its title, description, canonical URL, Open Graph and Twitter tags, image and
schema.org data, equal to what the content API serves for it (one source); unknown paths are 404s (still the shell,
so the JavaScript draws a friendly page); old paths redirect, but never to a page readers may not see.
"""

import json
from html.parser import HTMLParser

import pytest
from django.test import override_settings
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from cms.models import ClinicSettings
from tests.cms.factories import (
    full_body,
    make_article,
    make_image,
    make_person,
    make_service,
    make_site_tree,
    make_topic,
)

SITE = "https://clinic.example"
pytestmark = [pytest.mark.urls("tests.frontend.urls"), pytest.mark.django_db]


class HeadReader(HTMLParser):
    """What a link-preview parser collects: <title>, <meta name|property>, <link rel>, JSON-LD blocks."""

    def __init__(self):
        super().__init__()
        self.title, self.meta, self.links, self.json_ld, self.scripts = "", {}, {}, [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]] = attrs.get("content")
        elif tag == "link":
            self.links[attrs["rel"]] = attrs.get("href")
        elif tag == "script":
            self.scripts.append(attrs)
            self._in = "json-ld" if attrs.get("type") == "application/ld+json" else "script"

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json-ld":
            self.json_ld.append(json.loads(data))

    def handle_endtag(self, tag):
        if tag in ("title", "script"):
            self._in = None


def read(client, path):
    response = client.get(path)
    reader = HeadReader()
    reader.feed(response.content.decode())
    return response, reader


@pytest.fixture
def site(settings):
    settings.FRONTEND_BASE_URL = SITE
    settings.PUBLIC_BASE_URL = SITE
    home, index = make_site_tree()
    clinic = ClinicSettings.load()
    clinic.clinic_name = "Test Clinic"
    clinic.phone = "(203) 555-0100"
    clinic.booking_url = SITE + "/book/"
    clinic.save()
    topic = make_topic("cancer-care", "Cancer care")
    service = make_service(home, topics=[topic])
    article = make_article(
        index,
        "ketamine-and-pain",
        title="Ketamine and pain",
        topics=[topic],
        body=full_body(make_image(), link_page=service),
        medical_reviewer=make_person(),
        seo_title="Ketamine for pain: what to know",
        search_description="How ketamine infusions can help with pain.",
    )
    return {"home": home, "index": index, "service": service, "article": article}


def api_seo(client, path):
    return client.get("/api/v2/pages/find/", {"html_path": path}, follow=True).json()["seo"]


@pytest.mark.parametrize("name", ["article", "service", "home"])
def test_each_page_carries_its_head_in_the_first_html(client, site, name):
    path = site[name].url_path.removeprefix("/clinic-home")
    response, head = read(client, path)
    seo = api_seo(client, path)

    assert response.status_code == 200
    expected_title = seo["title"] if seo["title"] == "Test Clinic" else f"{seo['title']} | Test Clinic"
    assert head.title == expected_title
    assert head.meta["description"] == seo["description"] and seo["description"]
    assert head.links["canonical"] == SITE + path == seo["canonical_url"]
    assert head.meta["og:title"] == head.meta["twitter:title"] == seo["title"]
    assert head.meta["og:description"] == head.meta["twitter:description"] == seo["description"]
    assert head.meta["og:url"] == SITE + path
    assert head.meta["og:site_name"] == "Test Clinic"
    assert head.meta["og:type"] == ("article" if name == "article" else "website")
    assert "robots" not in head.meta
    # Structured data, as the API gives it (and as the JavaScript used to build it).
    assert head.json_ld == [seo["structured_data"]]
    assert head.json_ld[0]["@type"] in ("MedicalClinic", "MedicalWebPage", ["MedicalWebPage", "FAQPage"])
    # The image a preview shows: a JPEG rendition that exists, with its alt text.
    if name == "home":
        assert "og:image" not in head.meta and head.meta["twitter:card"] == "summary"
    else:
        image = seo["image"]
        assert head.meta["og:image"] == head.meta["twitter:image"] == image["url"]
        assert head.meta["og:image:alt"] == head.meta["twitter:image:alt"] == image["alt"] and image["alt"]
        assert (head.meta["og:image:width"], head.meta["og:image:height"]) == (
            str(image["width"]),
            str(image["height"]),
        )
        assert head.meta["twitter:card"] == "summary_large_image"
        fetched = client.get(image["url"].removeprefix(SITE))
        assert fetched.status_code == 200 and b"".join(fetched.streaming_content)[:3] == b"\xff\xd8\xff"  # JPEG
    # Still the application shell: the front end takes over from here, under its policy.
    assert {"type": "module", "src": "/assets/js/main.js"} in head.scripts
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_home_structured_data_is_the_clinic(client, site):
    _, head = read(client, "/")
    assert head.json_ld[0]["@type"] == "MedicalClinic"
    assert head.json_ld[0]["telephone"] == "(203) 555-0100"
    assert head.json_ld[0]["url"] == SITE + "/"


@pytest.mark.parametrize("path", ["/no-such-page/", "/articles/no-such-article/", "/articles/ketamine-and-pain/x/"])
def test_unknown_paths_are_404_shells_that_are_not_indexed(client, site, path):
    response, head = read(client, path)
    assert response.status_code == 404
    assert head.title == "Page not found | Test Clinic"
    assert head.meta["robots"] == "noindex"
    assert "canonical" not in head.links and "og:url" not in head.meta
    assert {"type": "module", "src": "/assets/js/main.js"} in head.scripts  # the JavaScript draws the friendly page


def test_pages_readers_may_not_see_are_404(client, site):
    index = site["index"]
    draft = make_article(index, "a-draft", publish=False)
    locked = make_article(index, "members-only")
    PageViewRestriction.objects.create(page=locked, restriction_type=PageViewRestriction.PASSWORD, password="x")
    for page in (draft, locked):
        response, head = read(client, f"/articles/{page.slug}/")
        assert response.status_code == 404
        assert page.title not in response.content.decode()


def test_paths_are_made_canonical_and_old_paths_redirect_to_public_pages_only(client, site):
    index = site["index"]
    article = site["article"]
    response = client.get("/articles/ketamine-and-pain?utm_source=x")
    assert response.status_code == 301
    assert response["Location"] == "/articles/ketamine-and-pain/?utm_source=x"
    assert client.get("/subscribe")["Location"] == "/subscribe/"

    Redirect.objects.create(old_path="/old-pain-article", redirect_page=article)
    response = client.get("/old-pain-article/")
    assert response.status_code == 301
    assert response["Location"] in ("/articles/ketamine-and-pain/", SITE + "/articles/ketamine-and-pain/")

    draft = make_article(index, "secret-launch", publish=False)
    Redirect.objects.create(old_path="/teaser", redirect_page=draft)
    response = client.get("/teaser/")
    assert response.status_code == 404
    assert "secret-launch" not in response.get("Location", "") + response.content.decode()


def test_the_front_ends_own_routes_and_the_article_list(client, site):
    response, head = read(client, "/subscribe/")
    assert response.status_code == 200
    assert head.title == "Get new articles by email or text | Test Clinic"
    assert head.links["canonical"] == SITE + "/subscribe/"

    response, head = read(client, "/book/")
    assert response.status_code == 200
    assert head.title == "Book a consultation | Test Clinic"
    assert head.meta["description"] == "Book a consultation: call (203) 555-0100."

    _, head = read(client, "/articles/?topic=cancer-care")
    assert head.title == "Cancer care: Articles | Test Clinic"
    assert head.links["canonical"] == SITE + "/articles/"
    _, head = read(client, "/articles/?q=ketamine")
    assert head.meta["robots"] == "noindex"

    response, head = read(client, "/preview?content_type=cms.articlepage&token=t")
    assert response.status_code == 200 and head.meta["robots"] == "noindex"


def test_text_from_editors_cannot_break_out_of_the_head(client, site):
    index = site["index"]
    hostile = '</title></script><script>alert(1)</script><!-- "&'
    make_article(
        index,
        "hostile",
        title=hostile,
        summary=hostile,
        body=[("faq", {"question": hostile, "answer": RichText(f"<p>{hostile}</p>")})],
    )
    response, head = read(client, "/articles/hostile/")
    html = response.content.decode()
    assert head.title == f"{hostile} | Test Clinic"
    assert head.meta["description"] == hostile
    assert head.json_ld[0]["mainEntity"][0]["name"] == hostile
    assert [s for s in head.scripts if s.get("type") not in ("module", "application/ld+json")] == []
    assert "<script>alert(1)" not in html


def test_robots_txt_points_at_the_sitemap_and_keeps_private_paths_out(client, site):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    disallowed = {line.split(": ", 1)[1] for line in lines if line.startswith("Disallow: ")}
    for private in ("/admin/", "/preview?", "/u/", "/preferences/", "/r/", "/api/v2/page_preview/"):
        assert private in disallowed
    # Pages and the API they are read from stay crawlable (search engines render pages with it).
    assert not any(rule in disallowed for rule in ("/", "/api/", "/api/v2/", "/articles/"))


@override_settings(FRONTEND_BASE_URL=SITE)
def test_a_static_host_serving_the_file_unchanged_keeps_a_generic_head():
    from config.frontend import FRONTEND_DIR

    html = (FRONTEND_DIR / "index.html").read_text()
    assert "<!--head-->" in html and "<!--/head-->" in html


def test_answers_are_kept_but_a_publish_or_unpublish_shows_at_once(client, site):
    article, index = site["article"], site["index"]
    assert client.get("/articles/ketamine-and-pain/").status_code == 200
    assert client.get("/articles/brand-new/").status_code == 404
    article.unpublish()
    make_article(index, "brand-new", title="Brand new")
    assert client.get("/articles/ketamine-and-pain/").status_code == 404
    response, head = read(client, "/articles/brand-new/")
    assert response.status_code == 200 and head.title == "Brand new | Test Clinic"
