"""Fake Postmark email API for django-anymail's Postmark backend.

Endpoints (all JSON, auth header X-Postmark-Server-Token):

    POST /email                    one message                -> 200 {To, SubmittedAt, MessageID, ErrorCode 0, Message}
    POST /email/batch              JSON array of messages     -> 200 [per-message result, ...]
    POST /email/withTemplate(/)    one template message       -> as /email
    POST /email/batchWithTemplates {"Messages": [...]}        -> 200 [per-message result, ...]
    POST /email/bulk               anymail's opt-in bulk API  -> 200 {ID, Status "Accepted", SubmittedAt, ...}
    GET  /messages/outbound        outbound message search    -> 200 {TotalCount, Messages: [...]}, newest first;
                                   count (1-500) and offset required, count + offset <= 10,000; filters recipient,
                                   fromemail, tag, subject, status, messagestream, fromdate / todate (US Eastern
                                   local time, "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS", inclusive), metadata_<key>

anymail's backend uses /email for a plain send, /email/batch when merge_data / merge_metadata / merge_headers make it
a batch (one message per To recipient), /email/withTemplate/ and /email/batchWithTemplates when template_id is set,
and /email/bulk only with POSTMARK_USE_BULK_API.

Errors as Postmark sends them: 401 {"ErrorCode": 10, ...} for a bad token; 422 {"ErrorCode": 300, "Message": "Invalid
'To' address: 'x'."} for an invalid recipient; 422 {"ErrorCode": 406, "Message": "You tried to send to recipient(s)
that have been marked as inactive. Found inactive addresses: x. Inactive recipients are ones that have generated a hard
bounce, a spam complaint, or a manual suppression."} when every recipient is inactive (only some inactive: 200 with
"Message OK, but will not deliver to these inactive addresses: ..."). In a batch, per-message errors come back inside
the 200 array, as Postmark does. Injected failures: 429/500/503 with {"ErrorCode": <status>, "Message": ...}.

Recipient rules (`set_rule(address, rule)`): "invalid" (ErrorCode 300) and "inactive" (hard bounce / spam complaint,
ErrorCode 406). Addresses without "@" are invalid anyway.

Run standalone: python -m tests.fakes.postmark --port 0 --latency 0.08   (prints its URL on the first stdout line)
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from datetime import UTC, datetime
from email.utils import getaddresses
from typing import Any
from zoneinfo import ZoneInfo

from tests.fakes.base import (
    FakeMessage,
    FakeProviderServer,
    FakeResponse,
    InjectedFailure,
    RecordedRequest,
    run_cli,
)

TEST_SERVER_TOKEN = "fake-postmark-server-token-0001"
INACTIVE_EXPLANATION = (
    "Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression."
)
MAX_BATCH = 500
MAX_SEARCH_COUNT = 500
MAX_SEARCH_WINDOW = 10_000
EASTERN = ZoneInfo("America/New_York")
SENDING_ENDPOINTS = ("/email", "/email/batch", "/email/withTemplate", "/email/batchWithTemplates", "/email/bulk")


def _eastern(value: str, *, end: bool) -> datetime:
    """A search date as Postmark reads it: US Eastern local time; a bare date covers the whole day."""
    if len(value) == 10:
        day = datetime.strptime(value, "%Y-%m-%d")
        moment = day.replace(hour=23, minute=59, second=59, microsecond=999999) if end else day
    else:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            raise ValueError("Postmark's search dates carry no offset")
        if end:
            moment = moment.replace(microsecond=999999)
    return moment.replace(tzinfo=EASTERN)


def postmark_error(status: int, error_code: int, message: str, headers: dict[str, str] | None = None) -> FakeResponse:
    return FakeResponse.from_json(status, {"ErrorCode": error_code, "Message": message}, headers)


class _MessageError(Exception):
    def __init__(self, error_code: int, message: str):
        super().__init__(message)
        self.error_code = error_code
        self.message = message


class FakePostmark(FakeProviderServer):
    provider = "postmark"
    rule_names = frozenset({"invalid", "inactive"})

    def __init__(self, *, server_token: str = TEST_SERVER_TOKEN, **kwargs):
        self.server_token = server_token
        super().__init__(**kwargs)

    def normalize_recipient(self, recipient: str) -> str:
        return recipient.strip().lower()

    def extra_config(self) -> dict[str, Any]:
        return {"api_url": (self.url + "/") if self.running else None}

    # -- API -------------------------------------------------------------------------------------------------------

    def creates_messages(self, request: RecordedRequest) -> bool:
        return request.method == "POST" and request.path.rstrip("/") in SENDING_ENDPOINTS

    def handle_api(self, request: RecordedRequest) -> FakeResponse:
        endpoint = request.path.rstrip("/")
        if request.method == "GET" and endpoint == "/messages/outbound":
            denied = self._authenticate(request)
            return denied or self._search(request)
        if request.method != "POST" or endpoint not in SENDING_ENDPOINTS:
            request.outcome = "not_found"
            return FakeResponse.from_text(404, "Not Found")
        denied = self._authenticate(request)
        if denied is not None:
            return denied
        if request.json_error is not None or request.json is None:
            request.outcome = "rejected"
            return postmark_error(422, 402, f"Received invalid JSON input. {request.json_error or ''}".strip())

        payload = request.json
        if endpoint in ("/email", "/email/withTemplate"):
            if not isinstance(payload, dict):
                request.outcome = "rejected"
                return postmark_error(422, 402, "Received invalid JSON input: expected an object.")
            try:
                result = self._accept_one(request, payload, endpoint, template=endpoint.endswith("Template"))
            except _MessageError as exc:
                request.outcome = "rejected"
                return postmark_error(422, exc.error_code, exc.message)
            request.outcome = "accepted"
            return FakeResponse.from_json(200, result)

        if endpoint == "/email/bulk":
            return self._bulk(request, payload)

        if endpoint == "/email/batchWithTemplates":
            messages = payload.get("Messages") if isinstance(payload, dict) else None
        else:
            messages = payload
        if not isinstance(messages, list):
            request.outcome = "rejected"
            return postmark_error(422, 402, "Received invalid JSON input: expected an array of messages.")
        if len(messages) > MAX_BATCH:
            request.outcome = "rejected"
            return postmark_error(422, 300, f"Batch exceeds the limit of {MAX_BATCH} messages.")
        results = []
        for one in messages:
            try:
                if not isinstance(one, dict):
                    raise _MessageError(402, "Received invalid JSON input: expected an object.")
                results.append(self._accept_one(request, one, endpoint, template=endpoint.endswith("Templates")))
            except _MessageError as exc:
                results.append({"ErrorCode": exc.error_code, "Message": exc.message})
        accepted = sum(1 for r in results if r["ErrorCode"] == 0)
        request.outcome = "accepted" if accepted == len(results) else ("partial" if accepted else "rejected")
        return FakeResponse.from_json(200, results)

    def _authenticate(self, request: RecordedRequest) -> FakeResponse | None:
        token = request.header("X-Postmark-Server-Token")
        if not token:
            request.outcome = "auth_failed"
            return postmark_error(
                401,
                10,
                "No Account or Server API tokens were supplied in the HTTP headers. Please add a header for either "
                "X-Postmark-Server-Token or X-Postmark-Account-Token.",
            )
        if token != self.server_token:
            request.outcome = "auth_failed"
            return postmark_error(
                401, 10, "The Server Token you provided in the X-Postmark-Server-Token header was invalid."
            )
        return None

    def _search(self, request: RecordedRequest) -> FakeResponse:
        query = {key: values[0] for key, values in request.query.items() if values}
        try:
            count, offset = int(query["count"]), int(query["offset"])
            since = _eastern(query["fromdate"], end=False) if "fromdate" in query else None
            until = _eastern(query["todate"], end=True) if "todate" in query else None
        except KeyError as exc:
            request.outcome = "rejected"
            return postmark_error(422, 300, f"The '{exc.args[0]}' query parameter is required.")
        except ValueError:
            request.outcome = "rejected"
            return postmark_error(422, 300, "Invalid count, offset or date parameter.")
        if not 1 <= count <= MAX_SEARCH_COUNT or offset < 0 or count + offset > MAX_SEARCH_WINDOW:
            request.outcome = "rejected"
            return postmark_error(
                422, 300, f"count must be 1-{MAX_SEARCH_COUNT}, and count + offset at most {MAX_SEARCH_WINDOW}."
            )
        metadata = {key[len("metadata_") :]: value for key, value in query.items() if key.startswith("metadata_")}
        with self._lock:
            messages = list(self._messages)
        matches = []
        for message in messages:
            data = message.fields
            received = datetime.fromtimestamp(message.accepted_at, UTC)
            if "recipient" in query and query["recipient"].strip().lower() not in message.recipients:
                continue
            if "fromemail" in query and query["fromemail"].lower() not in str(data.get("From", "")).lower():
                continue
            if "tag" in query and data.get("Tag") != query["tag"]:
                continue
            if "subject" in query and data.get("Subject") != query["subject"]:
                continue
            if "status" in query and query["status"].lower() != message.status.lower():
                continue
            if "messagestream" in query and message.extra.get("message_stream") != query["messagestream"]:
                continue
            if since is not None and received < since or until is not None and received > until:
                continue
            own = {str(k): str(v) for k, v in (data.get("Metadata") or {}).items()}
            if any(own.get(key) != value for key, value in metadata.items()):
                continue
            matches.append((received, message))
        matches.sort(key=lambda pair: pair[0], reverse=True)
        request.outcome = "searched"
        return FakeResponse.from_json(
            200,
            {
                "TotalCount": len(matches),
                "Messages": [self._summary(received, m) for received, m in matches[offset : offset + count]],
            },
        )

    @staticmethod
    def _summary(received: datetime, message: FakeMessage) -> dict[str, Any]:
        data = message.fields
        to = [{"Email": addr, "Name": name} for name, addr in getaddresses([data.get("To") or ""]) if addr]
        return {
            "Tag": data.get("Tag", ""),
            "MessageID": message.id,
            "MessageStream": message.extra.get("message_stream", "outbound"),
            "To": to,
            "Cc": [],
            "Bcc": [],
            "Recipients": list(message.recipients),
            "ReceivedAt": received.astimezone(EASTERN).isoformat(),
            "From": data.get("From", ""),
            "Subject": data.get("Subject", ""),
            "Attachments": [],
            "Status": message.status.capitalize(),
            "TrackOpens": bool(data.get("TrackOpens", False)),
            "TrackLinks": data.get("TrackLinks", "None"),
            "Metadata": dict(data.get("Metadata") or {}),
            "Sandboxed": False,
        }

    def _addresses(self, field_name: str, value: Any) -> list[str]:
        if value in (None, ""):
            return []
        if not isinstance(value, str):
            raise _MessageError(300, f"Invalid '{field_name}' address: '{value}'.")
        addresses = []
        for _name, addr in getaddresses([value]):
            addr = addr.strip()
            local, at, domain = addr.rpartition("@")
            if not at or not local or "." not in domain or self.rule_for(addr) == "invalid":
                raise _MessageError(300, f"Invalid '{field_name}' address: '{addr or value}'.")
            addresses.append(addr)
        return addresses

    def _accept_one(
        self, request: RecordedRequest, data: dict[str, Any], endpoint: str, *, template: bool, message_id: str = ""
    ) -> dict:
        if not data.get("From"):
            raise _MessageError(300, "Invalid 'From' address: ''.")
        self._addresses("From", data.get("From"))
        to = self._addresses("To", data.get("To"))
        cc = self._addresses("Cc", data.get("Cc"))
        bcc = self._addresses("Bcc", data.get("Bcc"))
        recipients = to + cc + bcc
        if not recipients:
            raise _MessageError(300, "Zero recipients specified")
        if template:
            if "TemplateId" not in data and "TemplateAlias" not in data:
                raise _MessageError(
                    1101,
                    "The 'TemplateId' or 'TemplateAlias' associated with this request is not valid or was not found.",
                )
        elif not (data.get("HtmlBody") or data.get("TextBody")):
            raise _MessageError(300, "Provide either email TextBody or HtmlBody or both.")

        inactive = [addr.lower() for addr in recipients if self.rule_for(addr) == "inactive"]
        if inactive and len(inactive) == len(recipients):
            raise _MessageError(
                406,
                "You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: "
                f"{', '.join(inactive)}. {INACTIVE_EXPLANATION}",
            )
        message_id = message_id or str(uuid.uuid4())
        submitted_at = datetime.now(UTC).isoformat()
        text = "OK"
        if inactive:
            text = (
                f"Message OK, but will not deliver to these inactive addresses: {', '.join(inactive)}. "
                + INACTIVE_EXPLANATION
            )
        result = {
            "To": data.get("To"),
            "SubmittedAt": submitted_at,
            "MessageID": message_id,
            "ErrorCode": 0,
            "Message": text,
        }
        if not data.get("To"):
            del result["To"]  # Postmark omits To for cc/bcc-only sends
        self._record_message(
            FakeMessage(
                id=message_id,
                to=data.get("To") or "",
                recipients=[addr.lower() for addr in recipients],
                received_at=request.received_at,
                accepted_at=time.time(),
                endpoint=endpoint,
                fields=data,
                response=result,
                status="sent",
                request_index=request.index,
                extra={"inactive": inactive, "message_stream": data.get("MessageStream", "outbound")},
                events=[{"status": "sent", "at": time.time()}],
            )
        )
        return result

    def _bulk(self, request: RecordedRequest, payload: Any) -> FakeResponse:
        if not isinstance(payload, dict) or not isinstance(payload.get("Messages"), list):
            request.outcome = "rejected"
            return postmark_error(422, 402, "Received invalid JSON input: expected Messages.")
        bulk_id = str(uuid.uuid4())
        base = {k: v for k, v in payload.items() if k != "Messages"}
        seen_ids: set[str] = set()
        for one in payload["Messages"]:
            data = {**base, **one}
            # anymail puts its own message id in Metadata.anymail_id for bulk sends; use it so ids correlate (unless
            # repeated: anymail 15.2 sends the same anymail_id for every recipient that has no merge_metadata)
            anymail_id = (data.get("Metadata") or {}).get("anymail_id", "")
            anymail_id = "" if anymail_id in seen_ids else anymail_id
            seen_ids.add(anymail_id)
            try:
                self._accept_one(request, data, "/email/bulk", template=False, message_id=anymail_id)
            except _MessageError:
                continue  # the bulk API reports per-recipient problems later (webhooks), not in the response
        request.outcome = "accepted"
        return FakeResponse.from_json(
            200,
            {
                "ID": bulk_id,
                "Status": "Accepted",
                "SubmittedAt": datetime.now(UTC).isoformat(),
                "TotalMessages": len(payload["Messages"]),
                "PercentageCompleted": 0,
            },
        )

    def injected_failure(self, request: RecordedRequest, failure: InjectedFailure) -> FakeResponse:
        messages = {
            429: "Rate limit exceeded. Please retry later.",
            500: "Internal server error.",
            503: "Service unavailable: Postmark is down for scheduled maintenance.",
        }
        return postmark_error(
            failure.status,
            failure.status,
            messages.get(failure.status, f"HTTP {failure.status}"),
            self.retry_after_headers(failure),
        )

    @classmethod
    def add_cli_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--server-token", default=TEST_SERVER_TOKEN)

    @classmethod
    def cli_kwargs(cls, args: argparse.Namespace) -> dict[str, Any]:
        return {"server_token": args.server_token}


def main(argv: list[str] | None = None) -> int:
    return run_cli(FakePostmark, argv)


if __name__ == "__main__":
    sys.exit(main())
