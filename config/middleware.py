"""Request-level guards that belong to no app: body size limits and the security headers Django does not set.

Size: a request whose declared Content-Length is over the limit is answered 413 before a byte of its body is read
(Django would read up to DATA_UPLOAD_MAX_MEMORY_SIZE and then answer 400). Form and JSON bodies are held to
DATA_UPLOAD_MAX_MEMORY_SIZE; multipart uploads (CSV imports, images, documents) to REQUEST_MAX_UPLOAD_BYTES.
Under WSGI a body without Content-Length is never read by Django (it reads CONTENT_LENGTH bytes, i.e. none), so the
declared length is the whole story; put the same cap on the reverse proxy (nginx client_max_body_size) as well.
"""

from django.conf import settings
from django.http import HttpResponse

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


class SecurityHeadersMiddleware:
    """Permissions-Policy (Django has no setting for it), unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
