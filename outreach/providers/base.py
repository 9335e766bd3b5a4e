"""The small interface every provider adapter implements, and the errors the engine understands.

Adapters translate their vendor's exceptions into these, so the engine's retry rules are written once:
- TransientSendError: try again later. ``outcome_unknown`` is set when the request left and the provider may have
  accepted the message: HTTP 500, 502, 504 (any 5xx but 503), a read timeout, a connection dropped mid-request.
  Such a message is looked up (`find_accepted`) before any resend. Without it (a refused connection, a connect
  timeout, 429, 503) the message was not sent and is simply retried.
- PermanentSendError: never retry (invalid number, refused recipient...). ``opted_out`` asks the engine to record
  an opt-out; ``suppress`` asks it to suppress the address.
- LookupUnavailable: `find_accepted` could not say whether the provider holds a message.
Error messages never include the recipient: they end up in the outbox row and in logs.
"""

import datetime
import re
from dataclasses import dataclass, field

import requests

_PII = re.compile(r"\+?\d[\d\s().-]{6,}\d|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def scrub(text, limit=300):
    """Remove phone numbers and email addresses from a provider's message before we keep or log it."""
    return _PII.sub("[redacted]", str(text or ""))[:limit]


@dataclass(frozen=True)
class OutgoingSMS:
    to: str
    body: str
    status_callback: str | None = None
    validity_seconds: int | None = None
    reference: str = ""  # our outbox id, for correlation; never PII


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    text: str
    html: str = ""
    headers: dict = field(default_factory=dict)
    reference: str = ""
    tags: tuple = ()
    # The sender's display name inbox lists show: the clinic's neutral messaging name (outreach/providers/sender.py).
    from_name: str = ""


@dataclass(frozen=True)
class SendResult:
    provider: str
    message_id: str
    status: str = "sent"


class SendError(Exception):
    def __init__(self, code, reason):
        self.code = str(code or "")
        self.reason = scrub(reason)
        super().__init__(f"{self.code}: {self.reason}" if self.code else self.reason)


class TransientSendError(SendError):
    def __init__(self, code, reason, *, outcome_unknown=False, retry_after=None):
        super().__init__(code, reason)
        self.outcome_unknown = outcome_unknown
        self.retry_after = retry_after


class PermanentSendError(SendError):
    def __init__(self, code, reason, *, opted_out=False, suppress=False, unreachable=False):
        super().__init__(code, reason)
        self.opted_out = opted_out
        self.suppress = suppress
        self.unreachable = unreachable


# Failures that happen before a byte of the request reaches the provider, as urllib3 names them.
_NEVER_CONNECTED = ("NewConnectionError", "NameResolutionError", "Connection refused", "Failed to establish")


def _exception_chain_text(exc):
    parts = []
    while exc is not None and len(parts) < 8:
        parts.append(repr(exc))
        exc = exc.__cause__ or exc.__context__
    return " ".join(parts)


def refused_recipient():
    return PermanentSendError("recipient_refused", "the provider refused the recipient", suppress=True)


def connection_error(exc):
    """A refused connection never reached the provider; a dropped one may have."""
    text = _exception_chain_text(exc)
    if any(marker in text for marker in _NEVER_CONNECTED):
        return TransientSendError("connection_error", "could not connect to the provider")
    return TransientSendError("connection_dropped", "the connection dropped mid-request", outcome_unknown=True)


def transport_error(exc):
    """A `requests` exception (or one of anymail's, which subclass them) as a TransientSendError: unknown outcome
    only when the request may have reached the provider."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return TransientSendError("connect_timeout", "the provider did not accept the connection in time")
    if isinstance(exc, requests.exceptions.Timeout):
        return TransientSendError(
            "timeout", "the provider did not answer in time; the request may have arrived", outcome_unknown=True
        )
    if isinstance(exc, requests.exceptions.ProxyError | requests.exceptions.SSLError):
        # The proxy or the TLS handshake failed: the request itself was never sent.
        return TransientSendError("connection_error", "could not connect to the provider")
    if isinstance(exc, requests.exceptions.ConnectionError):
        return connection_error(exc)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return TransientSendError("connection_dropped", "the answer was cut off", outcome_unknown=True)
    return TransientSendError("request_error", f"the request could not be made ({type(exc).__name__})")


def async_transport_error(exc):
    """An aiohttp (or asyncio timeout) exception as a TransientSendError, with the same meaning as `transport_error`:
    a connection that was never made is a plain retry; anything after it (a timeout, a dropped or cut-off answer, an
    error we cannot place) may have reached the provider, so the outcome is unknown."""
    import aiohttp

    if isinstance(exc, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
        return TransientSendError("connection_error", "could not connect to the provider")
    if isinstance(exc, TimeoutError):
        return TransientSendError(
            "timeout", "the provider did not answer in time; the request may have arrived", outcome_unknown=True
        )
    return TransientSendError("connection_dropped", "the connection dropped mid-request", outcome_unknown=True)


def server_error(status, code, reason, *, retry_after=None):
    """A 5xx or 429 answer as a TransientSendError. 429 and 503 say the request was turned away; any other 5xx
    (500, 502 from a gateway, 504 from one that gave up waiting) may come after the provider accepted it."""
    if status in (429, 503):
        return TransientSendError(code, reason, retry_after=retry_after)
    return TransientSendError(code, reason, outcome_unknown=True)


def retry_after_seconds(headers):
    """Retry-After in seconds (only the delta-seconds form; an HTTP date is ignored), capped at an hour."""
    try:
        value = float((headers or {}).get("Retry-After", ""))
    except (TypeError, ValueError):
        return None
    return min(max(value, 0.0), 3600.0)


class LookupUnavailable(Exception):
    """The provider could not say whether it holds a message: it is down, refused us, or its search is not yet
    complete for so recent a send. `retry_after` (seconds or None): asking again after that long can give a
    conclusive answer."""

    def __init__(self, reason, *, retry_after=None):
        super().__init__(scrub(reason))
        self.retry_after = retry_after


# Provider clocks and ours differ; a look-up searches from this long before the attempt started.
LOOKUP_CLOCK_SKEW = datetime.timedelta(minutes=2)


def not_settled(since, settle_seconds, now=None):
    """LookupUnavailable when a search finding nothing is not yet conclusive (the provider indexes sends late)."""
    now = now or datetime.datetime.now(datetime.UTC)
    remaining = settle_seconds - (now - since).total_seconds()
    if remaining > 0:
        return LookupUnavailable("the provider's search is not complete yet for this send", retry_after=remaining)
    return None


def one_by_one(send, messages):
    """`send` each message in turn; its result, or the SendError it raised, per message, in order."""
    results = []
    for message in messages:
        try:
            results.append(send(message))
        except SendError as exc:
            results.append(exc)
    return results


class Provider:
    max_batch = 1  # messages one provider request can carry (send_email_batch)

    def warm(self):
        """Build clients and connection pools now, so the send itself is only the request (pacing relies on it)."""

    def find_accepted(self, message, since) -> SendResult | None:
        """Did the provider accept `message` (an OutgoingSMS/OutgoingEmail, same `reference` and recipient) at or
        after `since` (an aware datetime)? The SendResult of the message it holds, or None when it holds none.
        Asked before resending a message whose earlier attempt had an ambiguous outcome (the request left and the
        answer was a 500/502/504, a timeout or a dropped connection), so it is adopted rather than sent twice.
        Raises LookupUnavailable when the provider cannot answer."""
        raise LookupUnavailable(f"{self.name} has no message look-up")


class SMSProvider(Provider):
    name = "sms"

    def send_sms(self, message: OutgoingSMS) -> SendResult:  # pragma: no cover - interface
        raise NotImplementedError

    def send_sms_many(self, messages: list[OutgoingSMS], concurrency: int) -> list[SendResult | SendError]:
        """Send several texts at once, at most `concurrency` requests in flight; one result or error per message, in
        order. Adapters with an async client (Twilio) override this; the default sends them one after the other."""
        return one_by_one(self.send_sms, messages)


class EmailProvider(Provider):
    name = "email"

    def send_email(self, message: OutgoingEmail) -> SendResult:  # pragma: no cover - interface
        raise NotImplementedError

    def send_email_batch(self, messages: list[OutgoingEmail]) -> list[SendResult | SendError]:
        """Send several messages at once; one result or error per message, in order. Adapters whose provider has a
        batch API (Postmark's batch endpoint, Mailgun's batch sending) override this with one request."""
        return one_by_one(self.send_email, messages)
