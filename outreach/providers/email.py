"""Email through django-anymail (Postmark or Mailgun, chosen by EMAIL_PROVIDER; API URLs overridable by env).

https://anymail.dev/en/stable/sending/anymail_additions/
"""

import requests
from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused
from anymail.message import AnymailMessage
from django.core.mail import get_connection

from .base import EmailProvider, PermanentSendError, SendResult, TransientSendError, connection_error


class AnymailEmailProvider(EmailProvider):
    def __init__(self, esp_name):
        self.name = esp_name

    def send_email(self, message):
        email = AnymailMessage(
            subject=message.subject,
            body=message.text,
            to=[message.to],
            headers=dict(message.headers),
            connection=get_connection(fail_silently=False),
        )
        if message.html:
            email.attach_alternative(message.html, "text/html")
        email.metadata = {"outbox_id": message.reference}
        if message.tags:
            email.tags = list(message.tags)
        try:
            email.send()
        except AnymailRecipientsRefused:
            raise PermanentSendError("recipient_refused", "the provider refused the recipient", suppress=True) from None
        except AnymailAPIError as exc:
            raise classify_anymail_error(exc) from None
        status = email.anymail_status
        return SendResult(provider=self.name, message_id=status.message_id or "", status=_status_word(status))


def _status_word(anymail_status):
    statuses = anymail_status.status or set()
    return "queued" if "queued" in statuses else "sent"


def classify_anymail_error(exc):
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return TransientSendError("connect_timeout", "the email provider did not accept the connection in time")
    if isinstance(exc, requests.exceptions.Timeout):
        return TransientSendError(
            "timeout", "the email provider did not answer in time; the request may have arrived", outcome_unknown=True
        )
    if isinstance(exc, requests.exceptions.ConnectionError):
        return connection_error(exc.__cause__ or exc)
    status = getattr(exc, "status_code", None)
    if status is None or status == 429 or status >= 500:
        return TransientSendError(status or "api_error", f"the email provider answered HTTP {status}")
    return PermanentSendError(status, f"the email provider refused the message (HTTP {status})")
