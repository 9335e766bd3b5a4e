"""One shape for a client's mistake in the JSON APIs: `400 {"errors": {field: [reason, ...]}}`.

DRF answers a body it cannot parse (not JSON, `Infinity`, nested too deeply) with `{"detail": ...}`; the outreach
APIs name the field instead, and for an unreadable body the field is `body`. Everything else keeps DRF's answer.
"""

from rest_framework.exceptions import ParseError
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ParseError):
        response.data = {"errors": {"body": [str(exc.detail)]}}
    return response
