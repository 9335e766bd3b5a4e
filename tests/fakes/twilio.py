"""Fake Twilio Programmable Messaging API (2010-04-01 Messages resource) for the real `twilio` Python library.

    POST /2010-04-01/Accounts/{AccountSid}/Messages.json        create (form-encoded; basic auth AccountSid:AuthToken)
    GET  /2010-04-01/Accounts/{AccountSid}/Messages.json        list, newest first: filters To, From, DateSent,
                                                                DateSent<, DateSent> (UTC; on/before, on/after);
                                                                PageSize (default 50, at most 1000), Page,
                                                                PageToken; next_page_uri for the next page
    GET  /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json  fetch (status follows the simulated delivery)

As at Twilio, a message has no date_sent until it is sent (the simulated delivery's "sent" step): the list sorts
those first and a DateSent filter leaves them out. Injected/ambiguous faults apply to creates only when the
ambiguous mode is on (`set_ambiguous`); lists and fetches are never faulted by it.

Errors use Twilio's legacy body {"code", "message", "more_info", "status"}, which twilio-python turns into
TwilioRestException(status=..., code=...):

    401/20003 bad or missing credentials      400/21604 no To           400/21603 neither From nor MessagingServiceSid
    400/21602 no Body (nor MediaUrl/ContentSid) 400/21211 invalid To      400/21610 recipient opted out (STOP)
    injected: 429/20429, 500/20500, 503/20503 (generally code 20000 + status)

Recipient rules (`set_rule(number, rule)`): "invalid" -> 21211, "opted_out" -> 21610, "landline" -> accepted, then
delivery ends "undelivered" with ErrorCode 30006, "unreachable" -> undelivered 30003; or a dict
{"status": 400, "code": 21612, "message": "..."} to reject with any error, or {"final_status": "failed",
"error_code": 30007} to accept and end the delivery that way. Twilio's test "magic" To numbers are rules by default:
+15005550001 invalid, +15005550004 opted out, +15005550009 not SMS-capable (21614).

With status callbacks enabled the fake POSTs Twilio's status-callback form (MessageSid, MessageStatus "sent", then
"delivered" or "undelivered" + ErrorCode, AccountSid, From, To, ApiVersion, SmsSid, SmsStatus, ...) to each message's
StatusCallback URL, signed with X-Twilio-Signature exactly as `twilio.request_validator.RequestValidator` checks it.
`build_inbound_sms` builds a signed inbound-SMS webhook post.

Run standalone: python -m tests.fakes.twilio --port 0 --latency 0.08   (prints its URL on the first stdout line)
"""

from __future__ import annotations

import argparse
import math
import queue
import re
import secrets
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from twilio.request_validator import RequestValidator

from tests.fakes.base import (
    FakeMessage,
    FakeProviderServer,
    FakeResponse,
    InjectedFailure,
    RecordedRequest,
    run_cli,
)

API_VERSION = "2010-04-01"
TEST_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
TEST_AUTH_TOKEN = "9f86d081884c7d659a2feaa0c55ad015"
TEST_FROM_NUMBER = "+15005550006"  # Twilio's "valid From" magic number
TEST_MESSAGING_SERVICE_SID = "MG" + "fedcba9876543210" * 2

_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages\.json$")
_MESSAGE = re.compile(r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages/(?P<sid>[^/]+)\.json$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_CHANNEL_PREFIX = re.compile(r"^(sms|mms|whatsapp|messenger|rcs):", re.IGNORECASE)

NAMED_RULES: dict[str, dict[str, Any]] = {
    "invalid": {"status": 400, "code": 21211, "message": "The 'To' number {to} is not a valid phone number."},
    "opted_out": {"status": 400, "code": 21610, "message": "Attempt to send to unsubscribed recipient"},
    "landline": {"final_status": "undelivered", "error_code": 30006},
    "unreachable": {"final_status": "undelivered", "error_code": 30003},
}
DELIVERY_ERROR_MESSAGES = {
    30003: "Unreachable destination handset",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30007: "Message filtered",
    30008: "Unknown error",
}
MAGIC_TO_RULES: dict[str, Any] = {
    "+15005550001": "invalid",
    "+15005550004": "opted_out",
    "+15005550009": {"status": 400, "code": 21614, "message": "'To' number is not a valid mobile number"},
}

_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")


def count_segments(body: str) -> int:
    """SMS segments for a body: GSM-7 (160 / 153 per part) or UCS-2 (70 / 67 per part)."""
    if not body:
        return 1
    if all(c in _GSM7_BASIC or c in _GSM7_EXTENDED for c in body):
        units = sum(2 if c in _GSM7_EXTENDED else 1 for c in body)
        single, multi = 160, 153
    else:
        units = sum(2 if ord(c) > 0xFFFF else 1 for c in body)  # UTF-16 code units
        single, multi = 70, 67
    return 1 if units <= single else math.ceil(units / multi)


def rfc2822(moment: datetime | None = None) -> str:
    return format_datetime(moment or datetime.now(UTC))  # "Thu, 26 Nov 2026 12:00:00 +0000", as Twilio sends


def _parse_date_filter(value: str) -> tuple[datetime, bool]:
    """A DateSent filter value: "YYYY-MM-DD" (a UTC day) or "YYYY-MM-DDTHH:MM:SSZ" (as twilio-python sends it)."""
    if len(value) == 10:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), True
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC), False


def _date_matches(date_sent: str | None, op: str, moment: datetime, date_only: bool) -> bool:
    if date_sent is None:
        return False  # not sent yet: no DateSent filter lists it
    sent = parsedate_to_datetime(date_sent)
    left, right = (sent.date(), moment.date()) if date_only else (sent, moment)
    return {"=": left == right, "<": left <= right, ">": left >= right}[op]


def twilio_error(status: int, code: int, message: str, headers: dict[str, str] | None = None, **extra) -> FakeResponse:
    """Twilio's (legacy, non-RFC-9457) error body; twilio-python maps it to TwilioRestException."""
    payload = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
        **extra,
    }
    return FakeResponse.from_json(status, payload, headers)


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


@dataclass
class SignedTwilioRequest:
    """A form post signed the way Twilio signs webhooks (X-Twilio-Signature over URL + sorted params)."""

    url: str
    params: dict[str, str]
    signature: str

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Twilio-Signature": self.signature, "Content-Type": "application/x-www-form-urlencoded"}

    @property
    def django_headers(self) -> dict[str, str]:
        """For Django's test client: client.post(path, data=req.params, **req.django_headers)."""
        return {"HTTP_X_TWILIO_SIGNATURE": self.signature}

    def post(self, timeout: float = 5.0):
        import requests

        return requests.post(self.url, data=self.params, headers=self.headers, timeout=timeout)


def sign_twilio_request(url: str, params: dict[str, str], auth_token: str) -> SignedTwilioRequest:
    signature = RequestValidator(auth_token).compute_signature(url, params)
    return SignedTwilioRequest(url, dict(params), signature)


def build_inbound_sms(
    url: str,
    *,
    from_: str,
    body: str,
    to: str = TEST_FROM_NUMBER,
    auth_token: str = TEST_AUTH_TOKEN,
    account_sid: str = TEST_ACCOUNT_SID,
    message_sid: str | None = None,
    messaging_service_sid: str | None = None,
    media: list[tuple[str, str]] | None = None,
    extra: dict[str, str] | None = None,
) -> SignedTwilioRequest:
    """The signed form Twilio POSTs to an incoming-message webhook. `media` is [(url, content_type), ...]."""
    sid = message_sid or new_sid("SM")
    media = media or []
    params = {
        "ToCountry": "US",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": str(len(media)),
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "US",
        "To": to,
        "ToZip": "",
        "NumSegments": str(count_segments(body)),
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": API_VERSION,
    }
    if messaging_service_sid:
        params["MessagingServiceSid"] = messaging_service_sid
    for index, (media_url, content_type) in enumerate(media):
        params[f"MediaUrl{index}"] = media_url
        params[f"MediaContentType{index}"] = content_type
    params.update(extra or {})
    return sign_twilio_request(url, params, auth_token)


@dataclass
class CallbackAttempt:
    message_sid: str
    url: str
    params: dict[str, str]
    signature: str
    sent_at: float
    response_status: int | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Delivery:
    final_status: str = "delivered"
    error_code: int | None = None
    statuses: list[str] = field(default_factory=list)


class FakeTwilio(FakeProviderServer):
    provider = "twilio"
    rule_names = frozenset(NAMED_RULES)

    def __init__(
        self,
        *,
        account_sid: str = TEST_ACCOUNT_SID,
        auth_token: str = TEST_AUTH_TOKEN,
        status_callbacks: bool = False,
        callback_delay: float = 0.0,
        callback_timeout: float = 5.0,
        **kwargs,
    ):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._default_status_callbacks = status_callbacks
        self._default_callback_delay = callback_delay
        self.callback_timeout = callback_timeout
        self._callback_queue: queue.Queue = queue.Queue()
        self._callback_worker: threading.Thread | None = None
        self._generation = 0
        super().__init__(**kwargs)

    def _init_state(self) -> None:
        super()._init_state()
        self.status_callbacks = self._default_status_callbacks
        self.callback_delay = self._default_callback_delay
        self._callbacks: list[CallbackAttempt] = []

    def on_reset(self) -> None:
        self._generation += 1  # queued deliveries of earlier messages are dropped

    def on_stop(self) -> None:
        if self._callback_worker is not None:
            self._callback_queue.put(None)
            self._callback_worker.join(timeout=5)
            self._callback_worker = None

    # -- rules -----------------------------------------------------------------------------------------------------

    def default_rules(self) -> dict[str, Any]:
        return dict(MAGIC_TO_RULES)

    def validate_rule(self, rule: Any) -> Any:
        if isinstance(rule, dict):
            if {"status", "code"} <= rule.keys() or "final_status" in rule:
                return dict(rule)
            raise ValueError("a Twilio rule dict needs status+code (reject) or final_status (+error_code)")
        return super().validate_rule(rule)

    def _rule_spec(self, to: str) -> dict[str, Any] | None:
        rule = self.rule_for(to)
        if rule is None:
            return None
        return NAMED_RULES[rule] if isinstance(rule, str) else rule

    # -- config ----------------------------------------------------------------------------------------------------

    def configure_extra(self, key: str, value: Any) -> bool:
        if key == "status_callbacks":
            self.status_callbacks = bool(value)
        elif key == "callback_delay":
            self.callback_delay = float(value)
        else:
            return False
        return True

    def extra_config(self) -> dict[str, Any]:
        return {
            "account_sid": self.account_sid,
            "status_callbacks": self.status_callbacks,
            "callback_delay": self.callback_delay,
        }

    def control(self, method: str, route: str, body: Any) -> FakeResponse | None:
        if method == "GET" and route == "callbacks":
            callbacks = self.callbacks
            return FakeResponse.from_json(200, {"count": len(callbacks), "callbacks": [c.to_dict() for c in callbacks]})
        if method == "POST" and route == "deliver":
            sids = [body["sid"]] if body.get("sid") else [m.id for m in self.messages]
            for sid in sids:
                self.deliver(sid)
            return FakeResponse.from_json(200, {"delivered": sids})
        return None

    # -- API -------------------------------------------------------------------------------------------------------

    def _authenticate(self, request: RecordedRequest, account: str) -> FakeResponse | None:
        if (
            request.auth_user == self.account_sid
            and request.auth_password == self.auth_token
            and account == self.account_sid
        ):
            return None
        request.outcome = "auth_failed"
        return twilio_error(
            401,
            20003,
            "Authenticate",
            {"WWW-Authenticate": 'Basic realm="Twilio API"'},
            detail="Your AccountSid or AuthToken was incorrect.",
        )

    def handle_api(self, request: RecordedRequest) -> FakeResponse:
        create = _MESSAGES.match(request.path)
        fetch = _MESSAGE.match(request.path)
        match = create or fetch
        if match is None:
            request.outcome = "not_found"
            return twilio_error(404, 20404, f"The requested resource {request.path} was not found")
        denied = self._authenticate(request, match["account"])
        if denied is not None:
            return denied
        if create and request.method == "POST":
            return self._create_message(request)
        if create and request.method == "GET":
            return self._list_messages(request)
        if fetch and request.method == "GET":
            message = self.message(fetch["sid"])
            if message is None:
                request.outcome = "not_found"
                return twilio_error(404, 20404, f"The requested resource {request.path} was not found")
            request.outcome = "fetched"
            with self._lock:
                return FakeResponse.from_json(200, dict(message.response))
        request.outcome = "not_found"
        return twilio_error(405, 20004, "Method not allowed")

    def on_backdate(self, seconds: float) -> None:
        for message in self._messages:
            for key in ("date_created", "date_sent", "date_updated"):
                if message.response.get(key):
                    moment = parsedate_to_datetime(message.response[key]) - timedelta(seconds=seconds)
                    message.response[key] = rfc2822(moment)

    def creates_messages(self, request: RecordedRequest) -> bool:
        return request.method == "POST" and _MESSAGES.match(request.path) is not None

    def _list_messages(self, request: RecordedRequest) -> FakeResponse:
        query = {key: values[0] for key, values in request.query.items() if values}
        try:
            page_size = int(query.get("PageSize", 50))
            page = int(query.get("Page", 0))
            date_filters = [
                (op, _parse_date_filter(query[key]))
                for key, op in (("DateSent", "="), ("DateSent<", "<"), ("DateSent>", ">"))
                if key in query
            ]
        except ValueError:
            request.outcome = "rejected"
            return twilio_error(400, 20001, "Invalid paging or DateSent parameter")
        if not 1 <= page_size <= 1000 or page < 0:
            request.outcome = "rejected"
            return twilio_error(400, 20001, "PageSize must be between 1 and 1000")
        with self._lock:
            records = [dict(message.response) for message in self._messages]
        if "To" in query:
            records = [r for r in records if r["to"] == query["To"]]
        if "From" in query:
            records = [r for r in records if r["from"] == query["From"]]
        for op, (moment, date_only) in date_filters:
            records = [r for r in records if _date_matches(r["date_sent"], op, moment, date_only)]
        # Newest first by date_sent; messages not sent yet (no date_sent) are the newest of all; ties (one-second
        # resolution) in the order they were created.
        order = {r["sid"]: index for index, r in enumerate(records)}
        records.sort(
            key=lambda r: (
                r["date_sent"] is None,
                parsedate_to_datetime(r["date_sent"] or r["date_created"]),
                parsedate_to_datetime(r["date_created"]),
                order[r["sid"]],
            ),
            reverse=True,
        )
        start = page * page_size
        token = query.get("PageToken")
        if token:
            sids = [r["sid"] for r in records]
            after = token[2:]
            start = sids.index(after) + 1 if after in sids else len(records)
        chunk = records[start : start + page_size]
        base = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages.json"
        kept = {k: v for k, v in query.items() if k not in ("Page", "PageSize", "PageToken")}

        def uri(page_number, page_token=None):
            params = {**kept, "PageSize": page_size, "Page": page_number}
            if page_token:
                params["PageToken"] = page_token
            return f"{base}?{urllib.parse.urlencode(params)}"

        more = start + page_size < len(records)
        request.outcome = "listed"
        return FakeResponse.from_json(
            200,
            {
                "end": start + len(chunk) - 1 if chunk else start,
                "first_page_uri": uri(0),
                "next_page_uri": uri(page + 1, "PA" + chunk[-1]["sid"]) if more and chunk else None,
                "page": page,
                "page_size": page_size,
                "previous_page_uri": uri(page - 1) if page > 0 else None,
                "messages": chunk,
                "start": start,
                "uri": uri(page, token),
            },
        )

    def _reject(self, request: RecordedRequest, status: int, code: int, message: str) -> FakeResponse:
        request.outcome = "rejected"
        return twilio_error(status, code, message)

    def _create_message(self, request: RecordedRequest) -> FakeResponse:
        to = (request.value("To") or "").strip()
        from_ = request.value("From") or None
        service_sid = request.value("MessagingServiceSid") or None
        body = request.value("Body") or ""
        media_urls = request.values("MediaUrl")
        if not to:
            return self._reject(request, 400, 21604, "A 'To' phone number is required.")
        if not from_ and not service_sid:
            return self._reject(
                request, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message."
            )
        if not body and not media_urls and not request.value("ContentSid"):
            return self._reject(request, 400, 21602, "Message body is required.")
        if len(body) > 1600:
            return self._reject(request, 400, 21617, "The concatenated message body exceeds the 1600 character limit.")

        spec = self._rule_spec(to)
        if spec is not None and "code" in spec:
            return self._reject(request, int(spec["status"]), int(spec["code"]), spec.get("message", "").format(to=to))
        if not _E164.match(_CHANNEL_PREFIX.sub("", to)):
            return self._reject(request, 400, 21211, f"The 'To' number {to} is not a valid phone number.")

        sid = new_sid("SM")
        now = datetime.now(UTC)
        status = "accepted" if service_sid else "queued"
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json"
        resource = {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": rfc2822(now),
            "date_sent": None,  # set when the simulated delivery sends it
            "date_updated": rfc2822(now),
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": from_,
            "messaging_service_sid": service_sid,
            "num_media": str(len(media_urls)),
            "num_segments": str(count_segments(body)),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": status,
            "subresource_uris": {
                "media": f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}/Media.json",
                "feedback": f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}/Feedback.json",
            },
            "to": to,
            "uri": uri,
        }
        delivery = _Delivery()
        if spec is not None:
            delivery.final_status = spec.get("final_status", "delivered")
            delivery.error_code = spec.get("error_code")
        message = FakeMessage(
            id=sid,
            to=to,
            recipients=[to],
            received_at=request.received_at,
            accepted_at=time.time(),
            endpoint=request.path,
            fields=request.flat_form(),
            response=resource,
            status=status,
            request_index=request.index,
            extra={
                "status_callback": request.value("StatusCallback"),
                "final_status": delivery.final_status,
                "error_code": delivery.error_code,
            },
            events=[{"status": status, "at": time.time()}],
        )
        self._record_message(message)
        request.outcome = "accepted"
        if self.status_callbacks:
            self._enqueue_delivery(sid)
        return FakeResponse.from_json(201, dict(resource))

    # -- delivery simulation and status callbacks ------------------------------------------------------------------

    @property
    def callbacks(self) -> list[CallbackAttempt]:
        with self._lock:
            return list(self._callbacks)

    def wait_for_callbacks(self, count: int, timeout: float = 5.0) -> list[CallbackAttempt]:
        self.wait_for(lambda: len(self._callbacks) >= count, timeout, f"{count} status callback(s)")
        return self.callbacks

    def sign(self, url: str, params: dict[str, str]) -> SignedTwilioRequest:
        return sign_twilio_request(url, params, self.auth_token)

    def inbound_sms(self, url: str, *, from_: str, body: str, to: str = TEST_FROM_NUMBER, **kwargs):
        """POST a signed inbound SMS to `url` (e.g. the live server's webhook) and return the requests.Response."""
        signed = build_inbound_sms(
            url, from_=from_, body=body, to=to, auth_token=self.auth_token, account_sid=self.account_sid, **kwargs
        )
        return signed.post()

    def _enqueue_delivery(self, sid: str) -> None:
        with self._lock:
            if self._callback_worker is None or not self._callback_worker.is_alive():
                self._callback_worker = threading.Thread(
                    target=self._callback_loop, name="fake-twilio-callbacks", daemon=True
                )
                self._callback_worker.start()
            self._callback_queue.put((self._generation, sid))

    def _callback_loop(self) -> None:
        while True:
            item = self._callback_queue.get()
            if item is None:
                return
            generation, sid = item
            if generation != self._generation:
                continue
            try:
                self.deliver(sid, delay=self.callback_delay)
            except Exception:  # noqa: BLE001 - keep the worker alive; the failure shows in .callbacks
                import traceback

                traceback.print_exc(file=sys.stderr)

    def deliver(self, sid: str, *, delay: float = 0.0) -> list[str]:
        """Run the rest of a message's life: "sent", then "delivered" (or the rule's final status + ErrorCode), POSTing
        a signed status callback for each step when the message has a StatusCallback URL. Returns the statuses."""
        message = self.message(sid)
        if message is None:
            raise KeyError(sid)
        final_status = message.extra["final_status"]
        error_code = message.extra["error_code"]
        steps = [final_status] if final_status == "failed" else ["sent", final_status]
        for status in steps:
            if message.status in ("delivered", "undelivered", "failed"):
                break
            if delay:
                time.sleep(delay)
            code = error_code if status in ("undelivered", "failed") else None
            now = time.time()
            with self._lock:
                message.status = status
                message.events.append({"status": status, "at": now, "error_code": code})
                message.response["status"] = status
                message.response["date_updated"] = rfc2822()
                if message.response["date_sent"] is None and status != "failed":
                    message.response["date_sent"] = rfc2822()
                if code is not None:
                    message.response["error_code"] = code
                    message.response["error_message"] = DELIVERY_ERROR_MESSAGES.get(code, "Delivery failed")
                self._changed.notify_all()
            url = message.extra.get("status_callback")
            if url:
                self._post_status_callback(message, url, status, code)
        return steps

    def status_callback_params(self, message: FakeMessage, status: str, error_code: int | None) -> dict[str, str]:
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "ChannelPrefix": "sms",
            "ChannelToAddress": message.to,
            "From": message.response.get("from") or TEST_FROM_NUMBER,
            "MessageSid": message.id,
            "MessageStatus": status,
            "SmsSid": message.id,
            "SmsStatus": status,
            "To": message.to,
        }
        if message.response.get("messaging_service_sid"):
            params["MessagingServiceSid"] = message.response["messaging_service_sid"]
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        if status == "delivered":
            params["RawDlrDoneDate"] = datetime.now(UTC).strftime("%y%m%d%H%M")
        return params

    def _post_status_callback(self, message: FakeMessage, url: str, status: str, error_code: int | None) -> None:
        params = self.status_callback_params(message, status, error_code)
        signed = self.sign(url, params)
        attempt = CallbackAttempt(message.id, url, params, signed.signature, time.time())
        request = urllib.request.Request(
            url,
            data=urllib.parse.urlencode(params).encode("utf-8"),
            method="POST",
            headers={
                **signed.headers,
                "User-Agent": "TwilioProxy/1.1",
                "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
            },
        )
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=self.callback_timeout) as response:
                attempt.response_status = response.status
        except urllib.error.HTTPError as exc:
            attempt.response_status = exc.code
        except (urllib.error.URLError, OSError) as exc:
            attempt.error = str(exc)
        with self._lock:
            self._callbacks.append(attempt)
            self._changed.notify_all()

    # -- injected failures -----------------------------------------------------------------------------------------

    def injected_failure(self, request: RecordedRequest, failure: InjectedFailure) -> FakeResponse:
        messages = {
            429: "Too Many Requests",
            500: "Internal Server Error",
            502: "Bad Gateway",
            503: "Service Unavailable",
            504: "Gateway Timeout",
        }
        message = messages.get(failure.status, f"HTTP {failure.status}")
        return twilio_error(failure.status, 20000 + failure.status, message, self.retry_after_headers(failure))

    # -- command line ----------------------------------------------------------------------------------------------

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--account-sid", default=TEST_ACCOUNT_SID)
        parser.add_argument("--auth-token", default=TEST_AUTH_TOKEN)
        parser.add_argument("--status-callbacks", action="store_true", help="POST signed status callbacks")
        parser.add_argument("--callback-delay", type=float, default=0.0)

    @classmethod
    def cli_kwargs(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {
            "account_sid": args.account_sid,
            "auth_token": args.auth_token,
            "status_callbacks": args.status_callbacks,
            "callback_delay": args.callback_delay,
        }


def main(argv: list[str] | None = None) -> int:
    return run_cli(FakeTwilio, argv)


if __name__ == "__main__":
    sys.exit(main())
