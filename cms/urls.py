from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from cms.api import api_router
from cms.openapi import openapi_view
from cms.sitemap import FrontendSitemap

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("api/openapi.json", openapi_view, name="cms_openapi"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": FrontendSitemap}}, name="cms_sitemap"),
]
