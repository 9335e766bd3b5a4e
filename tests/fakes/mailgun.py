"""Fake Mailgun messages API for django-anymail's Mailgun backend.

    POST /v3/{domain}/messages   basic auth api:{key}; urlencoded (or multipart/form-data when there are attachments),
                                 fields from, to, cc, bcc, subject, text, html, h:Header, v:var, o:tag,
                                 recipient-variables, ...
    -> 200 {"id": "<20261126120000.1.ABCDEF0123456789@domain>", "message": "Queued. Thank you."}

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
import itertools
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
MAX_RECIPIENTS = 1000


def mailgun_error(status: int, message: str, headers: dict[str, str] | None = None) -> FakeResponse:
    return FakeResponse.from_json(status, {"message": message}, headers)


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

    def handle_api(self, request: RecordedRequest) -> FakeResponse:
        match = _MESSAGES.match(request.path)
        if request.auth_user != "api" or request.auth_password != self.api_key:
            request.outcome = "auth_failed"
            return FakeResponse.from_text(401, "Forbidden", {"WWW-Authenticate": 'Basic realm="MG API"'})
        if match is None or request.method != "POST":
            request.outcome = "not_found"
            return FakeResponse.from_text(404, "404 page not found")
        domain = unquote(match["domain"])
        if domain not in self.domains:
            request.outcome = "not_found"
            return mailgun_error(404, f"Domain not found: {domain}")
        return self._send_message(request, domain)

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

        now = datetime.now(UTC)
        message_id = f"<{now:%Y%m%d%H%M%S}.{next(self._counter)}.{secrets.token_hex(8).upper()}@{domain}>"
        result = {"id": message_id, "message": "Queued. Thank you."}
        suppressed = [addr.lower() for addr in recipients if self.rule_for(addr) == "suppressed"]
        self._record_message(
            FakeMessage(
                id=message_id,
                to=", ".join(request.values("to")),
                recipients=[addr.lower() for addr in recipients],
                received_at=request.received_at,
                accepted_at=time.time(),
                endpoint=request.path,
                fields=request.flat_form(),
                response=result,
                status="queued",
                request_index=request.index,
                extra={
                    "domain": domain,
                    "suppressed": suppressed,
                    "files": [f.to_dict() for f in request.files],
                },
                events=[{"status": "queued", "at": time.time()}],
            )
        )
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
