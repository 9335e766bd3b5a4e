"""Keeping signed tokens out of logs (application, gunicorn access log, Sentry).

The links in patients' messages carry signed tokens in their path (/u/, /preferences/, /subscriptions/confirm/,
/r/) and the editor's preview carries one in its query string. Whoever reads a log must not be able to unsubscribe a
patient or open their preferences, so every log line and every error report passes `redact`: the token path segment
becomes "…" and every query string is dropped (no query value is needed to read a log). A traceback is redacted
too, and any value django.core.signing made, wherever it appears (BadSignature's message quotes the signature).
"""

import logging
import re

TOKEN_PATHS = ("u", "preferences", "subscriptions/confirm", "r")
_PREFIXES = "|".join(re.escape(prefix) for prefix in TOKEN_PATHS)
_TOKEN_SEGMENT = re.compile(rf"(/(?:{_PREFIXES})/)[^/?#\s\"'<>]+")
# A query string after a path or URL ("/x?token=...", "https://h/p?x=1"); a lone "?" in prose is left alone.
_QUERY = re.compile(r"((?:https?://[^\s/?#\"'<>]+)?/[^\s?#\"'<>]*)\?[^\s#\"'<>]*")
# payload[:timestamp]:signature, the signature 43 characters of URL-safe base64 (HMAC-SHA256).
_SIGNED_VALUE = re.compile(r"\.?[\w-]+(?::[\w-]+)?:[\w-]{43}(?![\w-])")


def redact(text):
    if not isinstance(text, str):
        return text
    text = _SIGNED_VALUE.sub("…", text)
    if "/" not in text:
        return text
    return _QUERY.sub(r"\1?…", _TOKEN_SEGMENT.sub(r"\1…", text))


class RedactFilter(logging.Filter):
    """Rewrites each record's message through `redact`, and drops the request object Django attaches to its
    request-error records (a formatter would print it with its full path)."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        record.__dict__.pop("request", None)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
