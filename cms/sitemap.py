"""``/sitemap.xml``: the front-end URLs of the live, public pages of the requested site."""

from wagtail.contrib.sitemaps import Sitemap

from cms.frontend import frontend_url, site_root_paths
from cms.visibility import public_pages_in_site


class FrontendSitemap(Sitemap):
    def items(self):
        return public_pages_in_site(self.get_wagtail_site()).order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        root_paths = site_root_paths()
        urls = []
        for item in self.paginator.page(page).object_list:
            location = frontend_url(item, root_paths)
            if location:
                urls.append({"item": item, "location": location, "lastmod": self.lastmod(item)})
        lastmods = [url["lastmod"] for url in urls]
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls
