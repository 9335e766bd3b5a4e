"""``/sitemap.xml``: the front-end URLs of the live, public pages of the requested site, each language's version of
a page naming the others (``xhtml:link rel="alternate" hreflang``, and ``x-default``: the default language's)."""

from collections import defaultdict

from wagtail.contrib.sitemaps import Sitemap

from cms.frontend import default_language, frontend_url, site_root_paths
from cms.visibility import public_pages_in_site


class FrontendSitemap(Sitemap):
    def items(self):
        return (
            public_pages_in_site(self.get_wagtail_site())
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def language_versions(self, root_paths):
        """{translation_key: [(language code, url)]} of every public page of the site (one query)."""
        versions = defaultdict(list)
        pages = (
            public_pages_in_site(self.get_wagtail_site())
            .select_related("locale")
            .only("url_path", "translation_key", "locale__language_code")
        )
        for page in pages.order_by("locale__language_code"):
            url = frontend_url(page, root_paths)
            if url:
                versions[page.translation_key].append((page.locale.language_code, url))
        return versions

    def _urls(self, page, protocol, domain):
        root_paths = site_root_paths()
        versions = self.language_versions(root_paths)
        urls = []
        for item in self.paginator.page(page).object_list:
            location = frontend_url(item, root_paths)
            if location:
                urls.append(
                    {
                        "item": item,
                        "location": location,
                        "lastmod": self.lastmod(item),
                        "alternates": alternates(versions.get(item.translation_key, [])),
                    }
                )
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


def alternates(versions):
    """hreflang links for a page in more than one language, in the shape Django's sitemap template reads."""
    if len(versions) < 2:
        return []
    links = [{"lang_code": code, "location": url} for code, url in versions]
    default = next((url for code, url in versions if code == default_language()), None)
    if default:
        links.append({"lang_code": "x-default", "location": default})
    return links
