"""Wagtail's redirects, served by this server (a 404 at an old path becomes a redirect), but never to a page readers
may not see.

Wagtail's RedirectMiddleware follows a redirect to any page, live or not: the Location would reveal the path of a
draft, expired or restricted page, and lead to a 404 anyway. The API's redirects endpoint leaves those out
(cms/api.py); this middleware applies the same rule (cms.visibility) to the server's own redirects, which the
front-end shell's 404s now reach (config/frontend.py).
"""

from urllib.parse import urlparse

from django import http
from wagtail.contrib.redirects import models
from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect

from cms.visibility import public_pages


def find_redirect(request):
    """The redirect Wagtail's middleware would follow: the path with its query string first, then without."""
    path = models.Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    redirect = get_redirect(request, path)
    path_without_query = urlparse(path).path
    if redirect is None and path != path_without_query:
        redirect = get_redirect(request, path_without_query)
    return redirect


class PublicRedirectMiddleware(RedirectMiddleware):
    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        redirect = find_redirect(request)
        if redirect is None:
            return response
        if redirect.redirect_page_id and not public_pages().filter(pk=redirect.redirect_page_id).exists():
            return response
        location = redirect.link
        if location is None:
            return response
        if redirect.is_permanent:
            return http.HttpResponsePermanentRedirect(location)
        return http.HttpResponseRedirect(location)
