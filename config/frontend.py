"""Serves the reference front end (``frontend/``) from this server: ``make run`` shows the clinic's site at ``/``.

The front end is plain files that live on the content API alone, so any static host can serve them instead (switch
``SERVE_FRONTEND`` off here). Two views:

- ``asset``: files under ``frontend/assets/`` with the content types JavaScript modules need, an ``ETag`` and
  ``Last-Modified``, and ``Cache-Control: no-cache`` (revalidated on every use, so a deploy shows at once).
- ``shell``: ``frontend/index.html`` for every other page path; the browser-side router asks the API what the
  path is. The view fills in the API's origin (``<meta name="api-base">``) and the front end's own origin, and sends
  a Content-Security-Policy that allows scripts, styles, images and API calls from this origin and the API's only.
"""

import hashlib
import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.html import escape
from django.utils.http import http_date
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

FRONTEND_DIR = Path(settings.BASE_DIR) / "frontend"
ASSETS_DIR = FRONTEND_DIR / "assets"
# Python 3.11 still maps .js to application/javascript; modules must be served as text/javascript.
CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
}
# The shell's placeholders: empty means "same origin", which is what a static host serving the files unchanged gets.
API_BASE_META = '<meta name="api-base" content="">'
SITE_BASE_META = '<meta name="site-base" content="">'
# Paths the editor's Preview panel loads in an iframe of the admin; every other page refuses to be framed.
PREVIEW_PATH = "/preview"


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _validators(path):
    stat = path.stat()
    return f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"', stat.st_mtime


@require_safe
def asset(request, path):
    file = (ASSETS_DIR / path).resolve()
    if not file.is_relative_to(ASSETS_DIR.resolve()) or not file.is_file():
        raise Http404("no such asset")
    etag, mtime = _validators(file)
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(mtime))
    if not_modified is not None:
        not_modified["Cache-Control"] = "no-cache"
        return not_modified
    content_type = CONTENT_TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(mtime)
    response["Cache-Control"] = "no-cache"
    return response


@cache
def _shell_template(mtime_ns):
    return (FRONTEND_DIR / "index.html").read_text(encoding="utf-8")


def shell_html():
    template = _shell_template((FRONTEND_DIR / "index.html").stat().st_mtime_ns)
    api_base = settings.PUBLIC_BASE_URL.rstrip("/")
    site_base = settings.FRONTEND_BASE_URL.rstrip("/")
    return template.replace(API_BASE_META, f'<meta name="api-base" content="{escape(api_base)}">').replace(
        SITE_BASE_META, f'<meta name="site-base" content="{escape(site_base)}">'
    )


def content_security_policy(framed_by=None):
    sources = " ".join(sorted({"'self'", origin(settings.PUBLIC_BASE_URL)}))
    directives = [
        "default-src 'self'",
        f"script-src {sources}",
        f"style-src {sources}",
        f"img-src {sources} data:",
        f"connect-src {sources}",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {framed_by}" if framed_by else "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


@require_safe
@xframe_options_exempt  # framing is governed by the CSP's frame-ancestors below
def shell(request, path=""):
    body = shell_html().encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    not_modified = get_conditional_response(request, etag=etag)
    response = not_modified or HttpResponse(body, content_type="text/html; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    if request.path == PREVIEW_PATH:
        # The admin (on PUBLIC_BASE_URL) shows the preview in an iframe.
        framed_by = " ".join(sorted({"'self'", origin(settings.PUBLIC_BASE_URL)}))
        response["Content-Security-Policy"] = content_security_policy(framed_by=framed_by)
        response["X-Robots-Tag"] = "noindex"
    else:
        response["Content-Security-Policy"] = content_security_policy()
        response["X-Frame-Options"] = "DENY"
    return response
