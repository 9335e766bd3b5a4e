"""Front-end URLs for pages: the headless front end, not this server, is where readers see a page.

A page's front-end path is its path relative to the root page of its Site (``/articles/some-article/``); its URL is
``FRONTEND_BASE_URL`` followed by that path. Every page link the API returns (``html_url``, page choosers, rich text
links, the sitemap, redirects) is made here so they all agree.

Languages: each translation of the Site's root page roots that language's tree. Pages in the default language keep
unprefixed paths; the others are under their language code (``/es/articulos/...``), as Django's ``i18n_patterns``
with ``prefix_default_language=False`` would make them. ``split_language`` reads a path back.
"""

from django.conf import settings
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant
from wagtail.models import Site


def default_language():
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def language_prefix(language_code):
    """ "" for the default language, else "/<code>"."""
    if not language_code or language_code == default_language():
        return ""
    return "/" + language_code


def split_language(path):
    """``/es/articulos/x/`` -> ("es", "/articulos/x/"); a path with no other language's prefix -> (default, path)."""
    first, _, rest = path.lstrip("/").partition("/")
    if first and first != default_language() and first in get_content_languages():
        return first, "/" + rest
    return default_language(), path


def site_root_paths():
    """Wagtail's cached list of site root paths (one cache read); pass it on when making many URLs."""
    return Site.get_site_root_paths()


def frontend_path(page, root_paths=None):
    """The page's path under its site's root page, or None when the page is outside every site."""
    url_path = page.url_path
    for root in root_paths if root_paths is not None else site_root_paths():
        if url_path.startswith(root.root_path):
            return language_prefix(root.language_code) + "/" + url_path[len(root.root_path) :]
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
