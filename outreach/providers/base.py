"""The small interface every provider adapter implements, and the errors the engine understands.

Adapters translate their vendor's exceptions into these, so the engine's retry rules are written once:
- TransientSendError: try again later (429, 5xx, connection problems). ``outcome_unknown`` is set when the
  request may have reached the provider (a read timeout, a dropped connection): the engine resends such a message
  at most once more, and counts it.
- PermanentSendError: never retry (invalid number, refused recipient...). ``opted_out`` asks the engine to record
  an opt-out; ``suppress`` asks it to suppress the address.
Error messages never include the recipient: they end up in the outbox row and in logs.
"""

import re
from dataclasses import dataclass, field

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


def connection_error(exc):
    """A refused connection never reached the provider; a dropped one may have."""
    text = repr(exc)
    if "NewConnectionError" in text or "Connection refused" in text or "NameResolutionError" in text:
        return TransientSendError("connection_error", "could not connect to the provider")
    return TransientSendError("connection_dropped", "the connection dropped mid-request", outcome_unknown=True)


class LookupUnavailable(Exception):
    """The provider could not say whether it holds a message (it is down, or has no look-up)."""


class Provider:
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


class EmailProvider(Provider):
    name = "email"

    def send_email(self, message: OutgoingEmail) -> SendResult:  # pragma: no cover - interface
        raise NotImplementedError

    def send_email_batch(self, messages: list[OutgoingEmail]) -> list[SendResult | SendError]:
        """Send several messages at once; one result or error per message, in order. Adapters whose provider has a
        batch API (Postmark's batch endpoint, Mailgun's batch sending) override this with one request."""
        results = []
        for message in messages:
            try:
                results.append(self.send_email(message))
            except SendError as exc:
                results.append(exc)
        return results
