"""``/robots.txt``: what crawlers may fetch, and where the sitemap is."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

# Paths no search result should ever show. /preview (a draft behind a token) is matched exactly, so a page whose
# slug merely starts with "preview" stays crawlable ("$" is understood by the major crawlers, ignored by others).
DISALLOWED = [
    "/admin/",
    "/preview$",
    "/preview?",
    "/api/v2/page_preview/",
    "/api/outreach/",
    "/webhooks/",
    "/u/",
    "/preferences/",
    "/r/",
    "/subscriptions/",
    "/_util/",
]


@require_safe
def robots_txt(request):
    context = {"disallowed": DISALLOWED, "sitemap_url": settings.PUBLIC_BASE_URL.rstrip("/") + "/sitemap.xml"}
    response = render(request, "robots.txt", context, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
