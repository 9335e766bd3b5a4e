"""The project's URLs plus uploaded media: DEBUG is off in tests, so nothing else would serve the demo images."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *project_urlpatterns,
]
