"""Serves the reference front end (``frontend/``) from this server: ``make run`` shows the clinic's site at ``/``.

The front end is plain files that live on the content API alone, so any static host can serve them instead (switch
``SERVE_FRONTEND`` off here). Two views:

- ``asset``: files under ``frontend/assets/`` with the content types JavaScript modules need, an ``ETag`` and
  ``Last-Modified``, and ``Cache-Control: no-cache`` (revalidated on every use, so a deploy shows at once).
- ``shell``: ``frontend/index.html`` for every other page path, with the status and document head of what is there
  (cms/public_paths.py): each page's title, description, canonical URL, Open Graph and Twitter tags, image and
  structured data from the API's data, for crawlers and link previews that run no JavaScript; 404 where nothing is
  (the JavaScript still draws a friendly page). The view also fills in the API's origin (``<meta name="api-base">``)
  and the front end's own, and sends a Content-Security-Policy that allows scripts, styles, images and API calls
  from this origin and the API's only (JSON-LD is a data block, not a script: the policy does not apply to it).
"""

import hashlib
import mimetypes
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.utils.cache import get_conditional_response
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import http_date
from django.utils.safestring import mark_safe
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
# What the server replaces with the path's own head; a static host serving the file unchanged keeps the generic one.
HEAD_START, HEAD_END = "<!--head-->", "<!--/head-->"
HTML_LANG = '<html lang="en">'  # the page's language replaces it (the JavaScript keeps it current)
# Paths the editor's Preview panel loads in an iframe of the admin; every other page refuses to be framed.
PREVIEW_PATH = "/preview"
HTML = "text/html; charset=utf-8"


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


def head_html(head):
    """The <title>, links, meta tags and JSON-LD of a cms.public_paths.Head."""
    html = format_html("<title>{}</title>\n", head.full_title)
    html += format_html_join(
        "",
        "  <{}{}>\n",
        ((tag, format_html_join("", ' {}="{}"', attributes.items())) for tag, attributes in head.elements()),
    )
    if head.structured_data_json:
        # Escaped like Django's json_script (no "<", ">" or "&" in it), so it cannot end the element early.
        data = mark_safe(head.structured_data_json)  # escaped like json_script: safe inside the element
        html += format_html('  <script type="application/ld+json" id="structured-data">{}</script>\n', data)
    return html


def shell_html(head=None):
    template = _shell_template((FRONTEND_DIR / "index.html").stat().st_mtime_ns)
    api_base = settings.PUBLIC_BASE_URL.rstrip("/")
    site_base = settings.FRONTEND_BASE_URL.rstrip("/")
    html = template.replace(API_BASE_META, f'<meta name="api-base" content="{escape(api_base)}">').replace(
        SITE_BASE_META, f'<meta name="site-base" content="{escape(site_base)}">'
    )
    if head is not None:
        html = html.replace(HTML_LANG, f'<html lang="{escape(head.language)}">', 1)
        before, rest = html.split(HEAD_START, 1)
        html = before + head_html(head).strip() + rest.split(HEAD_END, 1)[1]
    return html


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
    from cms.public_paths import cached_answer_for

    answer = cached_answer_for(request)
    if answer.redirect:
        return HttpResponsePermanentRedirect(answer.redirect)
    body = shell_html(answer.head).encode()
    if answer.status == 200:
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        response = get_conditional_response(request, etag=etag) or HttpResponse(body, content_type=HTML)
        response["ETag"] = etag
    else:
        response = HttpResponse(body, content_type=HTML, status=answer.status)
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
