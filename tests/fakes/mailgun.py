"""Fake Mailgun messages API for django-anymail's Mailgun backend.

    POST /v3/{domain}/messages   basic auth api:{key}; urlencoded (or multipart/form-data when there are attachments),
                                 fields from, to, cc, bcc, subject, text, html, h:Header, v:var, o:tag,
                                 recipient-variables, ...
    -> 200 {"id": "<20261126120000.1.ABCDEF0123456789@domain>", "message": "Queued. Thank you."}
    GET  /v3/{domain}/events     the events API: filters event (a type, or "a OR b"), recipient, message-id,
                                 user-variables (a JSON object the event's variables must contain), begin / end
                                 (epoch seconds), ascending (yes/no), limit (at most 300) -> 200 {"items": [...],
                                 "paging": {"first", "last", "next", "previous"}}; the paging URLs are
                                 GET /v3/{domain}/events/{page token}, and a page past the end is empty

Batch sending as Mailgun does it: with recipient-variables each To address gets its own message (recorded one
FakeMessage per recipient, all with the request's message id), with %recipient.name% replaced by that recipient's
value in the subject, text, html, h:* headers and v:* variables. Every accepted recipient gets an `accepted` event.

Errors as Mailgun sends them: 401 text "Forbidden" for a bad key; 404 {"message": "Domain not found: x"} for an
unknown sending domain; 400 {"message": "..."} for a missing from/to/body or an invalid recipient address. Injected
failures: 429/500/503 with {"message": ...}.

Recipient rules (`set_rule(address, rule)`): "invalid" -> 400; "suppressed" -> accepted (Mailgun accepts mail for
bounced / unsubscribed / complained addresses and drops it later; the fake records it in message.extra["suppressed"]).

The base URL anymail needs is `fake.api_url` (= url + "/v3"; anymail appends "{domain}/messages").

Run standalone: python -m tests.fakes.mailgun --port 0 --latency 0.08   (prints its URL on the first stdout line)
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import re
import secrets
import sys
import time
from datetime import UTC, datetime
from email.utils import getaddresses
from typing import Any
from urllib.parse import unquote

from tests.fakes.base import (
    FakeMessage,
    FakeProviderServer,
    FakeResponse,
    InjectedFailure,
    RecordedRequest,
    run_cli,
)

TEST_API_KEY = "key-fake0mailgun0api0key0000000001"
TEST_DOMAIN = "mg.clinic.example"
_MESSAGES = re.compile(r"^/v3/(?P<domain>[^/]+)/messages$")
_EVENTS = re.compile(r"^/v3/(?P<domain>[^/]+)/events(?:/(?P<token>[A-Za-z0-9_=-]+))?$")
_RECIPIENT_VARIABLE = re.compile(r"%recipient\.([^%]+)%")
MAX_RECIPIENTS = 1000
MAX_EVENTS_LIMIT = 300


def mailgun_error(status: int, message: str, headers: dict[str, str] | None = None) -> FakeResponse:
    return FakeResponse.from_json(status, {"message": message}, headers)


def _substitute(form: dict[str, Any], variables: dict[str, Any]) -> dict[str, Any]:
    """The fields one recipient's copy carries: %recipient.name% replaced by its value ("" when it has none)."""

    def fill(value: Any) -> Any:
        if isinstance(value, list):
            return [fill(item) for item in value]
        if not isinstance(value, str):
            return value
        return _RECIPIENT_VARIABLE.sub(lambda match: str(variables.get(match.group(1), "")), value)

    return {
        key: fill(value) if key in ("subject", "text", "html") or key.startswith(("h:", "v:")) else value
        for key, value in form.items()
        if key != "recipient-variables"
    }


class FakeMailgun(FakeProviderServer):
    provider = "mailgun"
    rule_names = frozenset({"invalid", "suppressed"})

    def __init__(self, *, api_key: str = TEST_API_KEY, domain: str = TEST_DOMAIN, **kwargs):
        self.api_key = api_key
        self.domains = {domain}
        self.domain = domain
        self._counter = itertools.count(1)
        super().__init__(**kwargs)

    @property
    def api_url(self) -> str:
        return self.url + "/v3"

    def normalize_recipient(self, recipient: str) -> str:
        return recipient.strip().lower()

    def extra_config(self) -> dict[str, Any]:
        return {"domains": sorted(self.domains), "api_url": self.api_url if self.running else None}

    def _init_state(self) -> None:
        super()._init_state()
        self._events: list[dict[str, Any]] = []

    def on_backdate(self, seconds: float) -> None:
        for event in self._events:
            event["timestamp"] -= seconds

    def creates_messages(self, request: RecordedRequest) -> bool:
        return request.method == "POST" and _MESSAGES.match(request.path) is not None

    @property
    def events(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._events)

    def handle_api(self, request: RecordedRequest) -> FakeResponse:
        match = _MESSAGES.match(request.path)
        events = _EVENTS.match(request.path)
        if request.auth_user != "api" or request.auth_password != self.api_key:
            request.outcome = "auth_failed"
            return FakeResponse.from_text(401, "Forbidden", {"WWW-Authenticate": 'Basic realm="MG API"'})
        if events is not None and request.method == "GET":
            match = events
        elif match is None or request.method != "POST":
            request.outcome = "not_found"
            return FakeResponse.from_text(404, "404 page not found")
        domain = unquote(match["domain"])
        if domain not in self.domains:
            request.outcome = "not_found"
            return mailgun_error(404, f"Domain not found: {domain}")
        if events is not None:
            return self._query_events(request, domain, events["token"])
        return self._send_message(request, domain)

    # -- events ----------------------------------------------------------------------------------------------------

    def _record_accepted(self, message: FakeMessage, recipient: str, form: dict[str, Any]) -> None:
        variables = {key[2:]: value for key, value in form.items() if key.startswith("v:")}
        tags = form.get("o:tag", [])
        event = {
            "event": "accepted",
            "id": secrets.token_urlsafe(16),
            "timestamp": message.accepted_at,
            "log-level": "info",
            "method": "HTTP",
            "recipient": recipient,
            "recipient-domain": recipient.rpartition("@")[2],
            "tags": tags if isinstance(tags, list) else [tags],
            "user-variables": variables,
            "flags": {"is-authenticated": True, "is-test-mode": False},
            "envelope": {"sender": form.get("from", ""), "transport": "smtp", "targets": recipient},
            "message": {
                "headers": {
                    "to": form.get("to", ""),
                    "message-id": message.id.strip("<>"),
                    "from": form.get("from", ""),
                    "subject": form.get("subject", ""),
                },
                "attachments": [],
                "size": len(str(form.get("text", ""))) + len(str(form.get("html", ""))),
            },
        }
        with self._lock:
            self._events.append(event)

    def _query_events(self, request: RecordedRequest, domain: str, token: str | None) -> FakeResponse:
        if token:
            try:
                query = json.loads(base64.urlsafe_b64decode(token.encode()))
            except ValueError:
                request.outcome = "rejected"
                return mailgun_error(400, "Invalid page token")
        else:
            query = {key: values[0] for key, values in request.query.items() if values}
            query["skip"] = 0
        try:
            limit = int(query.get("limit", 100))
            begin = float(query["begin"]) if "begin" in query else None
            end = float(query["end"]) if "end" in query else None
            wanted_variables = json.loads(query["user-variables"]) if "user-variables" in query else {}
        except ValueError:
            request.outcome = "rejected"
            return mailgun_error(400, "Invalid begin, end, limit or user-variables parameter")
        if not 1 <= limit <= MAX_EVENTS_LIMIT:
            request.outcome = "rejected"
            return mailgun_error(400, f"Parameter 'limit' must be between 1 and {MAX_EVENTS_LIMIT}")
        ascending = query.get("ascending", "no") == "yes" or (begin is not None and end is not None and end > begin)
        kinds = {kind.strip() for kind in query["event"].split(" OR ")} if "event" in query else None
        events = self.events
        if kinds is not None:
            events = [e for e in events if e["event"] in kinds]
        if "recipient" in query:
            events = [e for e in events if e["recipient"] == query["recipient"].strip().lower()]
        if "message-id" in query:
            events = [e for e in events if e["message"]["headers"]["message-id"] == query["message-id"].strip("<>")]
        if wanted_variables:
            events = [
                e
                for e in events
                if all(str(e["user-variables"].get(k)) == str(v) for k, v in dict(wanted_variables).items())
            ]
        low, high = (begin, end) if ascending else (end, begin)
        events = [
            e for e in events if (low is None or e["timestamp"] >= low) and (high is None or e["timestamp"] <= high)
        ]
        events.sort(key=lambda e: e["timestamp"], reverse=not ascending)
        skip = int(query.get("skip", 0))
        items = events[skip : skip + limit]

        def page_url(at: int) -> str:
            encoded = base64.urlsafe_b64encode(json.dumps({**query, "skip": max(0, at)}).encode()).decode()
            return f"{self.api_url}/{domain}/events/{encoded}"

        request.outcome = "listed"
        return FakeResponse.from_json(
            200,
            {
                "items": items,
                "paging": {
                    "first": page_url(0),
                    "last": page_url(max(0, len(events) - limit)),
                    "next": page_url(skip + len(items) if items else skip),
                    "previous": page_url(skip - limit),
                },
            },
        )

    def _reject(self, request: RecordedRequest, message: str) -> FakeResponse:
        request.outcome = "rejected"
        return mailgun_error(400, message)

    def _addresses(self, values: list[str]) -> list[str] | None:
        addresses = []
        for _name, addr in getaddresses(values):
            addr = addr.strip()
            local, at, domain = addr.rpartition("@")
            if not at or not local or "." not in domain or self.rule_for(addr) == "invalid":
                return None
            addresses.append(addr)
        return addresses

    def _send_message(self, request: RecordedRequest, domain: str) -> FakeResponse:
        if not request.values("from"):
            return self._reject(request, "from parameter is missing")
        if not request.values("to"):
            return self._reject(request, "to parameter is missing")
        if not any(request.value(name) for name in ("text", "html", "amp-html", "template")):
            return self._reject(request, "Need at least one of 'text', 'html' or 'template' parameters specified")
        if self._addresses(request.values("from")) is None:
            return self._reject(request, "from parameter is not a valid address. please check documentation")
        recipients = []
        for name in ("to", "cc", "bcc"):
            parsed = self._addresses(request.values(name))
            if parsed is None:
                return self._reject(request, f"{name} parameter is not a valid address. please check documentation")
            recipients += parsed
        if len(recipients) > MAX_RECIPIENTS:
            return self._reject(request, f"Too many recipients; max is {MAX_RECIPIENTS}")

        try:
            variables = json.loads(request.value("recipient-variables") or "null")
        except ValueError:
            return self._reject(request, "recipient-variables parameter is not valid JSON")
        if variables is not None and not isinstance(variables, dict):
            return self._reject(request, "recipient-variables parameter must be a JSON object")

        now = datetime.now(UTC)
        message_id = f"<{now:%Y%m%d%H%M%S}.{next(self._counter)}.{secrets.token_hex(8).upper()}@{domain}>"
        result = {"id": message_id, "message": "Queued. Thank you."}
        form = request.flat_form()
        if variables is None:
            # One message to every recipient at once.
            deliveries = [(", ".join(request.values("to")), [addr.lower() for addr in recipients], form)]
        else:
            # Batch sending: each To address gets its own copy, its %recipient.x% filled in from its variables.
            deliveries = []
            for addr in self._addresses(request.values("to")) or []:
                own = variables.get(addr) or variables.get(addr.lower()) or {}
                deliveries.append((addr, [addr.lower()], _substitute(form, own)))
        for to, recipients_of_copy, fields in deliveries:
            message = FakeMessage(
                id=message_id,
                to=to,
                recipients=recipients_of_copy,
                received_at=request.received_at,
                accepted_at=time.time(),
                endpoint=request.path,
                fields=fields,
                response=result,
                status="queued",
                request_index=request.index,
                extra={
                    "domain": domain,
                    "suppressed": [addr for addr in recipients_of_copy if self.rule_for(addr) == "suppressed"],
                    "files": [f.to_dict() for f in request.files],
                },
                events=[{"status": "queued", "at": time.time()}],
            )
            self._record_message(message)
            for addr in recipients_of_copy:
                self._record_accepted(message, addr, fields)
        request.outcome = "accepted"
        return FakeResponse.from_json(200, result)

    def injected_failure(self, request: RecordedRequest, failure: InjectedFailure) -> FakeResponse:
        messages = {429: "Too many requests", 500: "Internal Server Error", 503: "Service Unavailable"}
        return mailgun_error(
            failure.status, messages.get(failure.status, f"HTTP {failure.status}"), self.retry_after_headers(failure)
        )

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--api-key", default=TEST_API_KEY)
        parser.add_argument("--domain", default=TEST_DOMAIN)

    @classmethod
    def cli_kwargs(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {"api_key": args.api_key, "domain": args.domain}


def main(argv: list[str] | None = None) -> int:
    return run_cli(FakeMailgun, argv)


if __name__ == "__main__":
    sys.exit(main())
