from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from cms.api import api_router
from cms.openapi import openapi_view
from cms.robots import robots_txt
from cms.sitemap import FrontendSitemap

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("api/openapi.json", openapi_view, name="cms_openapi"),
    path("robots.txt", robots_txt, name="cms_robots"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": FrontendSitemap}}, name="cms_sitemap"),
]
