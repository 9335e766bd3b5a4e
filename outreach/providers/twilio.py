"""SMS through Twilio's Messages API with the official `twilio` library.

https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
"""

import threading
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from requests.adapters import HTTPAdapter
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from .base import PermanentSendError, SendResult, SMSProvider, TransientSendError, connection_error

# Twilio error codes that mean "this recipient, never again on this channel" or "this number cannot text".
OPTED_OUT_CODES = {21610}
UNREACHABLE_CODES = {21211, 21614, 30006}
_clients = threading.local()
POOL_SIZE = 32


def make_twilio_client(
    account_sid: str,
    auth_token: str,
    api_base_url: str = "https://api.twilio.com",
    timeout: float = 10.0,
    *,
    edge: str | None = None,
    region: str | None = None,
) -> Client:
    """A twilio Client with an explicit timeout (seconds, connect and read), pooled keep-alive connections, no
    automatic retries (the caller's retry policy decides) and `api_base_url` as the scheme://host[:port] of the API."""
    if not account_sid or not auth_token:
        raise ValueError("account_sid and auth_token are required")
    if timeout is None or timeout <= 0:
        raise ValueError("timeout must be a positive number of seconds")
    parts = urlsplit(api_base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"api_base_url must be an absolute http(s) URL, got {api_base_url!r}")

    http_client = TwilioHttpClient(pool_connections=True, timeout=float(timeout), max_retries=0)
    # TwilioHttpClient only mounts its adapter on https://; give http:// (local fakes) the same pool and no retries.
    http_client.session.mount("http://", HTTPAdapter(pool_maxsize=POOL_SIZE, max_retries=0))
    http_client.session.mount("https://", HTTPAdapter(pool_maxsize=POOL_SIZE, max_retries=0))
    # Proxies and CA bundles come from settings, not re-read from the environment on every request (~7% of a send).
    http_client.session.trust_env = False

    client = Client(account_sid, auth_token, account_sid=account_sid, http_client=http_client)
    client.edge = edge
    client.region = region
    client.api.base_url = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    return client


class TwilioSMSProvider(SMSProvider):
    name = "twilio"

    def __init__(
        self,
        account_sid,
        auth_token,
        from_number=None,
        messaging_service_sid=None,
        api_base_url="https://api.twilio.com",
        timeout=10,
    ):
        if not (account_sid and auth_token):
            raise ImproperlyConfigured("SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.")
        if not (from_number or messaging_service_sid):
            raise ImproperlyConfigured("SMS_PROVIDER=twilio needs TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID.")
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_number = from_number
        self.messaging_service_sid = messaging_service_sid
        self.api_base_url = api_base_url
        self.timeout = timeout

    @classmethod
    def from_settings(cls):
        return cls(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            settings.TWILIO_FROM_NUMBER,
            settings.TWILIO_MESSAGING_SERVICE_SID,
            settings.TWILIO_API_BASE_URL,
            settings.TWILIO_HTTP_TIMEOUT,
        )

    def client(self):
        # One client (and connection pool) per worker thread and configuration.
        key = (self.account_sid, self.auth_token, self.api_base_url, self.timeout)
        cached = getattr(_clients, "entry", None)
        if cached is None or cached[0] != key:
            cached = (key, make_twilio_client(self.account_sid, self.auth_token, self.api_base_url, self.timeout))
            _clients.entry = cached
        return cached[1]

    def warm(self):
        self.client()

    def send_sms(self, message):
        params = {"to": message.to, "body": message.body}
        if self.messaging_service_sid:
            params["messaging_service_sid"] = self.messaging_service_sid
        else:
            params["from_"] = self.from_number
        if message.status_callback:
            params["status_callback"] = message.status_callback
        if message.validity_seconds:
            params["validity_period"] = max(1, min(36000, int(message.validity_seconds)))
        try:
            created = self.client().messages.create(**params)
        except TwilioRestException as exc:
            raise classify_twilio_error(exc) from None
        except requests.exceptions.ConnectTimeout:
            raise TransientSendError("connect_timeout", "Twilio did not accept the connection in time") from None
        except requests.exceptions.Timeout:
            raise TransientSendError(
                "timeout", "Twilio did not answer in time; the request may have arrived", outcome_unknown=True
            ) from None
        except requests.exceptions.ConnectionError as exc:
            raise connection_error(exc) from None
        return SendResult(provider=self.name, message_id=created.sid, status=created.status or "queued")


def classify_twilio_error(exc):
    code = exc.code or exc.status
    if exc.status == 429 or exc.status >= 500:
        return TransientSendError(code, f"Twilio answered HTTP {exc.status}")
    if exc.code in OPTED_OUT_CODES:
        return PermanentSendError(code, "the recipient has opted out of messages from this sender", opted_out=True)
    if exc.code in UNREACHABLE_CODES:
        return PermanentSendError(code, "the number cannot receive text messages", unreachable=True)
    return PermanentSendError(code, exc.msg or f"Twilio refused the message (HTTP {exc.status})")
