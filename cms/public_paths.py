"""What the site shows at a front-end path, decided on the server for the first HTML it sends.

The reference front end's router (frontend/assets/js/router.js) decides the same way in the browser: the editor's
preview (``/preview``), else the public page at the path (the API's ``pages/find/``), else one of the front end's
own routes (``/subscribe/``, the path of the clinic's booking URL), else nothing: a 404, which Wagtail's redirects
may still turn into a redirect (cms/redirects.py).

Everything in the head is read from the content API in process (``cms.api.read_api``): a page's ``seo`` (title,
description, canonical URL, link-preview image, structured data) and the clinic's name. So a crawler or link-preview
parser that runs no JavaScript reads the same title, description, canonical URL, image and structured data the
front end shows once its JavaScript has run (frontend/assets/js/layout.js writes the same tags).
"""

import hashlib
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache

from cms.api import read_api
from cms.caching import content_version, seconds_until_next_expiry
from cms.frontend import default_language
from cms.models import Topic

PREVIEW_PATHS = ("/preview", "/preview/")
SUBSCRIBE_PATH = "/subscribe/"
# The front end's own routes: their heads as the JavaScript views give them (views/subscribe.js, views/booking.js).
SUBSCRIBE_HEAD = {
    "title": "Get new articles by email or text",
    "description": "Choose topics and get our new patient-education articles by email or text message.",
}
BOOKING_TITLE = "Book a consultation"
NOT_FOUND_TITLE = "Page not found"
PREVIEW_TITLE = "Preview"
# Like Django's json_script: nothing in the data can close the script element or open a comment.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass
class Head:
    title: str
    site_name: str = ""
    description: str = ""
    canonical_url: str | None = None
    image: dict | None = None  # a rendition: {url, width, height, alt}
    structured_data: dict | None = None
    og_type: str = "website"
    noindex: bool = False
    # Other-language versions of the page (hreflang): [{"hreflang": "es", "href": url}, ..., x-default last].
    alternates: list = field(default_factory=list)
    language: str = field(default_factory=default_language)  # the page's, for <html lang>

    @property
    def full_title(self):
        if self.title and self.site_name and self.title != self.site_name:
            return f"{self.title} | {self.site_name}"
        return self.title or self.site_name

    def elements(self):
        """The head's tags after <title>, as (tag, attributes) in document order."""
        canonical = None if self.noindex else self.canonical_url
        image = self.image or {}
        meta = [
            ("name", "description", self.description),
            ("name", "robots", "noindex" if self.noindex else None),
            ("property", "og:type", self.og_type),
            ("property", "og:title", self.title),
            ("property", "og:description", self.description),
            ("property", "og:url", canonical),
            ("property", "og:image", image.get("url")),
            ("property", "og:image:width", image.get("width")),
            ("property", "og:image:height", image.get("height")),
            ("property", "og:image:alt", image.get("alt")),
            ("property", "og:site_name", self.site_name),
            ("name", "twitter:card", "summary_large_image" if image else "summary"),
            ("name", "twitter:title", self.title),
            ("name", "twitter:description", self.description),
            ("name", "twitter:image", image.get("url")),
            ("name", "twitter:image:alt", image.get("alt")),
        ]
        elements = [("link", {"rel": "canonical", "href": canonical})] if canonical else []
        if canonical:
            elements += [("link", {"rel": "alternate", **alternate}) for alternate in self.alternates]
        elements += [
            ("meta", {kind: key, "content": str(value)}) for kind, key, value in meta if value not in ("", None)
        ]
        return elements

    @property
    def structured_data_json(self):
        if not self.structured_data:
            return None
        return json.dumps(self.structured_data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)


@dataclass
class PathAnswer:
    status: int
    head: Head
    redirect: str | None = None


def with_slash(path):
    return path if path.endswith("/") else path + "/"


def site_origins(request):
    """Origins this site is reached on: the request's own and the configured front end's."""
    return {request.build_absolute_uri("/").rstrip("/"), origin(settings.FRONTEND_BASE_URL)}


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def hreflang_alternates(translations):
    """A page's language versions (the API's meta.translations) as hreflang links, x-default for the default one."""
    if len(translations) < 2:
        return []
    links = [{"hreflang": t["locale"], "href": t["url"]} for t in translations if t.get("url")]
    default = next((t["url"] for t in translations if t["locale"] == default_language() and t.get("url")), None)
    if default:
        links.append({"hreflang": "x-default", "href": default})
    return links


def page_head(request, page, site_name):
    seo = page.get("seo") or {}
    page_type = page["meta"]["type"]
    head = Head(
        language=page["meta"].get("locale") or default_language(),
        alternates=hreflang_alternates(page["meta"].get("translations") or []),
        title=seo.get("title") or page["title"],
        site_name=site_name,
        description=seo.get("description") or "",
        canonical_url=seo.get("canonical_url"),
        image=seo.get("image"),
        structured_data=seo.get("structured_data"),
        og_type="article" if page_type == "cms.ArticlePage" else "website",
    )
    if page_type == "cms.ArticleIndexPage":
        # As views/article-index.js: a topic names the list; a search result is not a page to index.
        topics = Topic.objects.filter(slug=request.GET.get("topic", ""))
        topic = (
            topics.filter(locale__language_code=head.language).values_list("name", flat=True).first()
            or topics.canonical().values_list("name", flat=True).first()
        )
        if topic:
            head.title = f"{topic}: {head.title}"
        head.noindex = bool(request.GET.get("q", "").strip())
    return head


def builtin_answer(request, clinic, site_name):
    """The front end's own routes, when no page lives at their path: /subscribe/ and the clinic's booking path."""
    path = with_slash(request.path)
    site_base = settings.FRONTEND_BASE_URL.rstrip("/")
    if path == SUBSCRIBE_PATH:
        return SUBSCRIBE_PATH, Head(site_name=site_name, canonical_url=site_base + SUBSCRIBE_PATH, **SUBSCRIBE_HEAD)
    booking = urlsplit(clinic.get("booking_url") or "")
    if booking.netloc and origin(clinic["booking_url"]) in site_origins(request) and with_slash(booking.path) == path:
        phone = clinic.get("phone")
        return booking.path, Head(
            title=BOOKING_TITLE,
            site_name=site_name,
            description=f"Book a consultation: call {phone}." if phone else "Book a consultation.",
            canonical_url=site_base + booking.path,
        )
    return None


def cached_answer_for(request):
    """``answer_for``, kept in the Django cache under the API's content version (cms/caching.py), so a publish shows
    at once and a page past its expiry drops out on time, exactly as for API responses. Reading a page through the
    API in process costs tens of queries; the answer depends only on the URL (never on the session), so it is shared.
    """
    if request.path in PREVIEW_PATHS:
        return answer_for(request)
    raw = f"{content_version()}|{request.get_host()}|{request.get_full_path()}"
    key = "cms:path-answer:" + hashlib.sha256(raw.encode()).hexdigest()
    answer = cache.get(key)
    if answer is None:
        answer = answer_for(request)
        until_expiry = seconds_until_next_expiry()
        timeout = (
            settings.CMS_API_CACHE_SECONDS
            if until_expiry is None
            else min(settings.CMS_API_CACHE_SECONDS, until_expiry)
        )
        cache.set(key, answer, timeout=timeout)
    return answer


def answer_for(request):
    """What to send for a GET of a front-end path: its status and head, or a redirect to its canonical path."""
    clinic = read_api(request, "/api/v2/clinic/")[1] or {}
    site_name = clinic.get("clinic_name", "")
    path = request.path
    if path in PREVIEW_PATHS:
        # A draft behind a token: never indexed, and its content is not put in a page a cache may keep.
        return PathAnswer(200, Head(title=PREVIEW_TITLE, site_name=site_name, noindex=True))

    status, page = read_api(request, "/api/v2/pages/find/", {"html_path": path})
    if status == 200 and page:
        canonical_path = page["meta"].get("html_path")
        if canonical_path and canonical_path != path:
            return PathAnswer(301, Head(title=page["title"]), redirect=canonical_path + query_suffix(request))
        return PathAnswer(200, page_head(request, page, site_name))

    builtin = builtin_answer(request, clinic, site_name)
    if builtin:
        canonical_path, head = builtin
        if canonical_path != path:
            return PathAnswer(301, head, redirect=canonical_path + query_suffix(request))
        return PathAnswer(200, head)
    return PathAnswer(404, Head(title=NOT_FOUND_TITLE, site_name=site_name, noindex=True))


def query_suffix(request):
    query = request.META.get("QUERY_STRING", "")
    return f"?{query}" if query else ""
