import re

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz, livez
from config.metrics import metrics

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("livez", livez, name="livez"),
    path("metrics", metrics, name="metrics"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("cms.urls")),
    path("", include("outreach.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns
    from django.views.static import serve

    urlpatterns += staticfiles_urlpatterns()
    # Uploaded images for `make run`, but never documents: those go through Wagtail's document view and its privacy
    # checks (/documents/<id>/<file>), whatever the storage holds.
    urlpatterns += [
        re_path(
            "^" + re.escape(settings.MEDIA_URL.lstrip("/")) + r"(?!documents/)(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

if settings.SERVE_FRONTEND:
    from config import frontend

    # The reference front end (frontend/, served by config/frontend.py): its files, and its HTML shell for every
    # other path no route above matched, except in this server's own namespaces, where an unknown path stays a 404.
    urlpatterns += [
        path("assets/<path:path>", frontend.asset, name="frontend-asset"),
        re_path(
            r"^(?!(?:api|admin|documents|media|static|webhooks|_util)(?:/|$))",
            frontend.shell,
            name="frontend-shell",
        ),
    ]

urlpatterns += [path("", include(wagtail_urls))]
