"""Request-level guards that belong to no app: body size limits and the security headers Django does not set.

Size: a request whose declared Content-Length is over the limit is answered 413 before a byte of its body is read
(Django would read up to DATA_UPLOAD_MAX_MEMORY_SIZE and then answer 400). Form and JSON bodies are held to
DATA_UPLOAD_MAX_MEMORY_SIZE; multipart uploads (CSV imports, images, documents) to REQUEST_MAX_UPLOAD_BYTES.
Under WSGI a body without Content-Length is never read by Django (it reads CONTENT_LENGTH bytes, i.e. none), so the
declared length is the whole story; put the same cap on the reverse proxy (nginx client_max_body_size) as well.
"""

from urllib.parse import unquote_to_bytes

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse, JsonResponse

BIGINT_MAX = 2**63 - 1

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)


def body_limit(request):
    if request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/"):
        return settings.REQUEST_MAX_UPLOAD_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestSizeLimitMiddleware:
    """413 for a declared body over the limit; 400 for a Content-Length that is not a number."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return HttpResponse("Malformed Content-Length.", status=400, content_type="text/plain")
        limit = body_limit(request)
        if length > limit:
            return HttpResponse(
                f"Request body too large: {length} bytes, the limit is {limit}.",
                status=413,
                content_type="text/plain",
            )
        return self.get_response(request)


class QueryGuardMiddleware:
    """400 for what no genuine request holds and PostgreSQL cannot take: a NUL byte in the path or query string, and
    (on the API) a paging `offset`/`limit` beyond a 64-bit integer. Without this guard both reached the database
    and came back as 500s (found by schemathesis against the content API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem is None:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"message": problem}, status=400)
        return HttpResponse(problem, status=400, content_type="text/plain")

    @staticmethod
    def problem(request):
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            return "NUL bytes are not allowed in the path or query string"
        if request.path.startswith("/api/"):
            for name in ("offset", "limit"):
                value = request.GET.get(name, "").strip()
                if value.lstrip("+-").isdigit() and abs(int(value)) > BIGINT_MAX:
                    return f"{name} is out of range"
        return None


class SecurityHeadersMiddleware:
    """Permissions-Policy (Django has no setting for it), unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (CONTENT_SECURITY_POLICY), plus inline scripts under /admin/ only: Wagtail's page editor
    writes inline <script> blocks (block definitions, chooser URLs) and carries no nonces. Everything else, the API
    included, keeps script-src 'self'. A policy a view set itself (the front-end shell) is never overridden."""

    ADMIN_PREFIX = "/admin/"

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(self.ADMIN_PREFIX) and parts.update is None:
            parts.update = {"script-src": ["'unsafe-inline'"]}
        return parts
