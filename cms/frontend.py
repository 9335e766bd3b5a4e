"""Front-end URLs for pages: the headless front end, not this server, is where readers see a page.

A page's front-end path is its path relative to the root page of its Site (``/articles/some-article/``); its URL is
``FRONTEND_BASE_URL`` followed by that path. Every page link the API returns (``html_url``, page choosers, rich text
links, the sitemap, redirects) is made here so they all agree.
"""

from django.conf import settings
from wagtail.models import Site


def site_root_paths():
    """Wagtail's cached list of site root paths (one cache read); pass it on when making many URLs."""
    return Site.get_site_root_paths()


def frontend_path(page, root_paths=None):
    """The page's path under its site's root page, or None when the page is outside every site."""
    url_path = page.url_path
    for root in root_paths if root_paths is not None else site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return None


def frontend_url(page, root_paths=None):
    path = frontend_path(page, root_paths)
    if path is None:
        return None
    return settings.FRONTEND_BASE_URL.rstrip("/") + path


def absolute_media_url(url):
    """Storage URLs are relative (``/media/...``) by default; a front end on another origin needs them whole."""
    if url.startswith(("http://", "https://", "//")):
        return url
    return settings.PUBLIC_BASE_URL.rstrip("/") + url
