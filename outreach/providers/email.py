"""Email through django-anymail (Postmark or Mailgun, chosen by EMAIL_PROVIDER; API URLs overridable by env).

https://anymail.dev/en/stable/sending/anymail_additions/

Single messages go through the configured anymail backend. Batches and look-ups are each provider's own
(outreach.providers.postmark, outreach.providers.mailgun), still on anymail's settings and, for sending, its backends.
"""

import requests
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from anymail.message import AnymailMessage

from . import mailgun, postmark
from .base import (
    EmailProvider,
    PermanentSendError,
    SendResult,
    TransientSendError,
    refused_recipient,
    retry_after_seconds,
    server_error,
    transport_error,
)
from .http import open_connection
from .sender import from_address


class AnymailEmailProvider(EmailProvider):
    def __init__(self, esp_name):
        self.name = esp_name
        self.esp = _esp_module(esp_name)
        self.max_batch = self.esp.MAX_BATCH if self.esp else 1

    def send_email(self, message):
        email = AnymailMessage(
            from_email=from_address(message),
            subject=message.subject,
            body=message.text,
            to=[message.to],
            headers=dict(message.headers),
            connection=open_connection(),
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        email.metadata = {"outbox_id": message.reference}
        if message.tags:
            email.tags = list(message.tags)
        try:
            email.send()
        except AnymailRecipientsRefused:
            raise refused_recipient() from None
        except AnymailAPIError as exc:
            raise self.classify(exc) from None
        status = email.anymail_status
        return SendResult(provider=self.name, message_id=status.message_id or "", status=_status_word(status))

    def send_email_batch(self, messages):
        if self.esp is None or len(messages) < 2:
            return super().send_email_batch(messages)
        return self.esp.send_batch(self, list(messages))

    def find_accepted(self, message, since):
        if self.esp is None:
            return super().find_accepted(message, since)
        return self.esp.find_accepted(self.name, message, since)

    def classify(self, exc):
        refusal = self.esp.classify_refusal(exc) if self.esp else None
        return refusal or classify_anymail_error(exc)


def _esp_module(esp_name):
    return {"postmark": postmark, "mailgun": mailgun}.get(esp_name)


def _status_word(anymail_status):
    statuses = anymail_status.status or set()
    return "queued" if "queued" in statuses else "sent"


def classify_anymail_error(exc):
    """anymail's exception for a failed API call (it subclasses the `requests` exception when there was no answer)."""
    if isinstance(exc, requests.exceptions.RequestException) and getattr(exc, "response", None) is None:
        return transport_error(exc)
    status = getattr(exc, "status_code", None)
    if status is None or 200 <= status < 300:
        # It answered, but not in a way anymail could read: it may well have accepted the message.
        return TransientSendError("api_error", "the email provider's answer could not be read", outcome_unknown=True)
    response = getattr(exc, "response", None)
    if status == 429 or status >= 500:
        retry_after = retry_after_seconds(response.headers if response is not None else None)
        return server_error(status, status, f"the email provider answered HTTP {status}", retry_after=retry_after)
    if status in (401, 403):
        # Our credentials, not the message: keep it for when they are fixed.
        return TransientSendError(status, f"the email provider refused our credentials (HTTP {status})")
    return PermanentSendError(status, f"the email provider refused the message (HTTP {status})")
