"""Postmark behind anymail: what a Postmark refusal means, batch sending and the outbound message search.

https://postmarkapp.com/developer/api/email-api#send-batch-emails
https://postmarkapp.com/developer/api/messages-api#outbound-message-search
https://postmarkapp.com/developer/api/overview#error-codes
"""

import datetime
import re
from zoneinfo import ZoneInfo

from anymail.backends.postmark import EmailBackend, PostmarkPayload
from anymail.exceptions import AnymailAPIError, AnymailRequestsAPIError
from anymail.message import AnymailMessage, AnymailRecipientStatus
from anymail.utils import get_anymail_setting

from . import http
from .base import (
    LOOKUP_CLOCK_SKEW,
    LookupUnavailable,
    PermanentSendError,
    SendResult,
    TransientSendError,
    not_settled,
    refused_recipient,
)
from .batching import split_batches
from .http import open_connection
from .sender import from_address

MAX_BATCH = 500  # Postmark's limit for /email/batch
SEARCH_PAGE = 50
SEARCH_LIMIT = 10_000  # count + offset may not pass this
# The outbound search lists a message once Postmark has processed it, which can trail the API's answer a little; a
# search that finds nothing is taken as conclusive only this long after the attempt.
SETTLE_SECONDS = 60
EASTERN = ZoneInfo("America/New_York")  # the search's fromdate/todate are US Eastern local times
INVALID_ADDRESS = re.compile(r"^(Invalid|Error\s+parsing)\s+'(To|Cc|Bcc)'", re.IGNORECASE)  # as anymail reads it
INACTIVE = "will not deliver to these inactive addresses"
# Error codes about our account or sender, not the message: it can go once they are fixed.
NOT_SENT_CODES = {10, 400, 401, 405, 412, 413, 1235}
INACTIVE_RECIPIENT = 406


def refusal(error_code, text):
    """Postmark's ErrorCode (in a 422 answer or a batch result) as one of our errors."""
    if error_code == INACTIVE_RECIPIENT or (error_code == 300 and INVALID_ADDRESS.match(text or "")):
        return refused_recipient()
    if error_code in NOT_SENT_CODES:
        return TransientSendError(f"postmark_{error_code}", f"Postmark did not send it (error {error_code})")
    return PermanentSendError(f"postmark_{error_code}", f"Postmark refused the message (error {error_code})")


def classify_refusal(exc):
    """A 422 from a single send, by its ErrorCode; None for anything else (the generic rules apply)."""
    response = getattr(exc, "response", None)
    if getattr(exc, "status_code", None) != 422 or response is None:
        return None
    try:
        answer = response.json()
        return refusal(int(answer["ErrorCode"]), str(answer.get("Message", "")))
    except (ValueError, KeyError, TypeError):
        return None


# -- Batch sending ---------------------------------------------------------------------------------------------


class BatchPayload(PostmarkPayload):
    """anymail sends a message with merge_metadata / merge_headers to /email/batch, one entry per To address, but
    only a Postmark template can vary the subject and bodies per recipient. Postmark's batch API itself takes a full
    message per entry, so this fills in each entry's own Subject, TextBody, HtmlBody and Tag (kept per address in
    `message.outreach_parts`); everything else (auth, JSON, addresses, metadata, headers) stays anymail's."""

    def data_for_recipient(self, to):
        data = super().data_for_recipient(to)
        parts = self.message.outreach_parts[to.addr_spec.lower()]
        data["Subject"] = parts.subject
        data["TextBody"] = parts.text
        data.pop("HtmlBody", None)
        data.pop("Tag", None)
        if parts.html:
            data["HtmlBody"] = parts.html
        if parts.tags:
            data["Tag"] = parts.tags[0]  # Postmark keeps one tag per message
        return data


class BatchBackend(EmailBackend):
    """Postmark's backend with per-entry results kept in order on the message (`outreach_answers`), whatever each
    entry's ErrorCode: anymail would raise for the whole batch on an error code it does not know, losing the ids of
    the entries Postmark did accept."""

    def build_message_payload(self, message, defaults):
        return BatchPayload(message, defaults, self)

    def parse_recipient_status(self, response, payload, message):
        answers = self.deserialize_json_response(response, payload, message)
        if response.status_code != 200 or not isinstance(answers, list):
            raise AnymailRequestsAPIError(email_message=message, payload=payload, response=response, backend=self)
        message.outreach_answers = answers
        statuses = {}
        for to, answer in zip(payload.to_emails, answers, strict=False):
            accepted = isinstance(answer, dict) and answer.get("ErrorCode", 0) == 0
            statuses[to.addr_spec] = AnymailRecipientStatus(
                message_id=answer.get("MessageID") if accepted else None, status="sent" if accepted else "failed"
            )
        return statuses

    def raise_for_recipient_status(self, anymail_status, response, payload, message):
        pass  # refusals are per message here, read from outreach_answers


def send_batch(provider, messages):
    results = [None] * len(messages)
    for indexes in split_batches(messages, MAX_BATCH):
        for index, result in zip(indexes, _send_request(provider, [messages[i] for i in indexes]), strict=True):
            results[index] = result
    return results


def _send_request(provider, messages):
    email = AnymailMessage(
        from_email=from_address(messages[0]),  # one clinic: one sender for the batch
        subject="",
        body="",
        to=[m.to for m in messages],
        connection=open_connection(BatchBackend),
    )
    email.outreach_parts = {m.to.lower(): m for m in messages}
    email.merge_metadata = {m.to: {"outbox_id": m.reference} for m in messages}
    email.merge_headers = {m.to: dict(m.headers) for m in messages if m.headers}
    try:
        email.send()
    except AnymailAPIError as exc:
        return [provider.classify(exc)] * len(messages)
    answers = email.outreach_answers
    if len(answers) != len(messages):
        unknown = TransientSendError(
            "api_error", "Postmark answered a different number of results", outcome_unknown=True
        )
        return [unknown] * len(messages)
    return [_result(provider.name, message, answer) for message, answer in zip(messages, answers, strict=True)]


def _result(provider_name, message, answer):
    if not isinstance(answer, dict):
        return TransientSendError("api_error", "Postmark's result could not be read", outcome_unknown=True)
    to = answer.get("To")
    if to and message.to.lower() not in to.lower():
        return TransientSendError("api_error", "Postmark's results came back out of order", outcome_unknown=True)
    code = answer.get("ErrorCode", 0)
    text = str(answer.get("Message", ""))
    if code != 0:
        return refusal(code, text)
    if INACTIVE in text:
        return refused_recipient()
    status = "queued" if "delivery may be delayed" in text else "sent"
    return SendResult(provider=provider_name, message_id=answer.get("MessageID", ""), status=status)


# -- Outbound message search -------------------------------------------------------------------------------------


def find_accepted(provider_name, message, since):
    """Postmark's outbound message search by recipient and our `outbox_id` metadata (every email carries it), from
    `since` less the clock skew (in US Eastern time, as the API reads it). The earliest match is ours."""
    if not message.reference:
        raise LookupUnavailable("a message without an outbox reference cannot be searched for")
    api_url = get_anymail_setting("api_url", esp_name="Postmark", default="https://api.postmarkapp.com/")
    token = get_anymail_setting("server_token", esp_name="Postmark", allow_bare=True)
    params = {
        "recipient": message.to,
        "metadata_outbox_id": message.reference,
        "fromdate": eastern(since - LOOKUP_CLOCK_SKEW),
        "count": SEARCH_PAGE,
        "offset": 0,
    }
    found = []
    while True:
        page = http.lookup_json(
            "Postmark",
            api_url.rstrip("/") + "/messages/outbound",
            params=params,
            headers={"Accept": "application/json", "X-Postmark-Server-Token": token},
        )
        for item in page.get("Messages") or []:
            if _is_ours(item, message):
                found.append(item)
        total = int(page.get("TotalCount") or 0)
        params["offset"] += SEARCH_PAGE
        if params["offset"] >= total:
            break
        if params["offset"] + SEARCH_PAGE > SEARCH_LIMIT:
            if found:
                break
            raise LookupUnavailable("more messages match than Postmark's search can list")
    if found:
        first = min(found, key=_received_at)
        return SendResult(
            provider=provider_name,
            message_id=str(first.get("MessageID", "")),
            status=str(first.get("Status") or "sent").lower(),
        )
    unsettled = not_settled(since, SETTLE_SECONDS)
    if unsettled is not None:
        raise unsettled
    return None


def _is_ours(item, message):
    if not isinstance(item, dict):
        return False
    metadata = item.get("Metadata") or {}
    recipients = [str(address).lower() for address in item.get("Recipients") or []]
    return str(metadata.get("outbox_id", "")) == message.reference and message.to.lower() in recipients


def _received_at(item):
    try:
        return datetime.datetime.fromisoformat(str(item.get("ReceivedAt")))
    except ValueError:
        return datetime.datetime.max.replace(tzinfo=datetime.UTC)


def eastern(moment):
    """An aware datetime as Postmark's search reads dates: US Eastern local time, no offset."""
    return moment.astimezone(EASTERN).replace(tzinfo=None, microsecond=0).isoformat()
