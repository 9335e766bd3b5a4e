"""Mailgun behind anymail: what a Mailgun refusal means, batch sending and the events look-up.

https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/#batch-sending
https://documentation.mailgun.com/docs/mailgun/api-reference/send/mailgun/events
"""

import json
from email.utils import parseaddr

from anymail.exceptions import AnymailAPIError
from anymail.message import AnymailMessage
from anymail.utils import get_anymail_setting
from django.conf import settings

from . import http
from .base import (
    LOOKUP_CLOCK_SKEW,
    LookupUnavailable,
    SendError,
    SendResult,
    not_settled,
    refused_recipient,
)
from .batching import split_batches
from .http import open_connection
from .sender import from_address

MAX_BATCH = 1000  # recipients per message with recipient-variables
EVENTS_PAGE = 300  # the events API's largest page
EVENTS_MAX_PAGES = 10
# Mailgun's events become searchable with a delay and are complete only after about half an hour (its guidance for
# polling the events API), so finding nothing is conclusive only that long after the attempt.
SETTLE_SECONDS = 1800


def classify_refusal(exc):
    """Mailgun refuses a bad address with HTTP 400 and a message naming the field; None for anything else."""
    response = getattr(exc, "response", None)
    if getattr(exc, "status_code", None) != 400 or response is None:
        return None
    try:
        text = str(response.json().get("message", ""))
    except (ValueError, AttributeError):
        return None
    if "not a valid address" in text and text.split(" ", 1)[0] in ("to", "cc", "bcc"):
        return refused_recipient()
    return None


# -- Batch sending ---------------------------------------------------------------------------------------------


def _shape(message):
    # One request carries one html-or-not, one set of tags and one set of header names for all its recipients.
    return bool(message.html), tuple(message.tags), tuple(sorted(name.lower() for name in message.headers))


def send_batch(provider, messages):
    """Batch sending: one message to up to 1,000 recipients with recipient-variables. Mailgun substitutes
    %recipient.x% per recipient in the subject, bodies and headers, so each patient's own subject, text and HTML
    travel as recipient variables (anymail's merge_data), their outbox_id as merge_metadata (v:outbox_id) and their
    List-Unsubscribe headers as merge_headers. Each recipient gets a message addressed to them alone."""
    results = [None] * len(messages)
    for indexes in split_batches(messages, MAX_BATCH, shape=_shape):
        for index, result in zip(indexes, _send_request(provider, [messages[i] for i in indexes]), strict=True):
            results[index] = result
    return results


def _send_request(provider, messages):
    email = AnymailMessage(
        from_email=from_address(messages[0]),  # one clinic: one sender for the batch
        subject="%recipient.subject%",
        body="%recipient.text%",
        to=[m.to for m in messages],
        connection=open_connection(),
    )
    first = messages[0]
    if first.html:
        email.attach_alternative("%recipient.html%", "text/html")
    if first.tags:
        email.tags = list(first.tags)
    email.merge_data = {m.to: {"subject": m.subject, "text": m.text, "html": m.html} for m in messages}
    email.merge_metadata = {m.to: {"outbox_id": m.reference} for m in messages}
    if first.headers:
        email.merge_headers = {m.to: dict(m.headers) for m in messages}
    try:
        email.send()
    except AnymailAPIError as exc:
        if getattr(exc, "status_code", None) == 400 and len(messages) > 1:
            # Mailgun refuses the whole request for one bad address and accepts none of it: send each on its own,
            # so only the bad one fails (no duplicate is possible, nothing was accepted).
            return [_send_one(provider, message) for message in messages]
        return [provider.classify(exc)] * len(messages)
    message_id = email.anymail_status.message_id or ""
    return [SendResult(provider=provider.name, message_id=message_id, status="queued") for _ in messages]


def _send_one(provider, message):
    try:
        return provider.send_email(message)
    except SendError as exc:
        return exc


# -- Events look-up ----------------------------------------------------------------------------------------------


def sender_domain():
    domain = get_anymail_setting("sender_domain", esp_name="Mailgun", allow_bare=True, default=None)
    return domain or parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]


def find_accepted(provider_name, message, since):
    """Mailgun's events API: `accepted` events for the recipient from `since` less the clock skew, filtered by the
    message's user-variables (our outbox_id), following `paging.next` until an empty page."""
    if not message.reference:
        raise LookupUnavailable("a message without an outbox reference cannot be searched for")
    api_url = get_anymail_setting("api_url", esp_name="Mailgun", default="https://api.mailgun.net/v3")
    auth = ("api", get_anymail_setting("api_key", esp_name="Mailgun", allow_bare=True))
    url = f"{api_url.rstrip('/')}/{sender_domain()}/events"
    params = {
        "event": "accepted",
        "recipient": message.to,
        "begin": f"{(since - LOOKUP_CLOCK_SKEW).timestamp():.6f}",
        "ascending": "yes",
        "limit": EVENTS_PAGE,
        "user-variables": json.dumps({"outbox_id": message.reference}),
    }
    for _page in range(EVENTS_MAX_PAGES):
        page = http.lookup_json("Mailgun", url, params=params, auth=auth)
        items = page.get("items") or []
        for item in items:
            if _is_ours(item, message):
                return SendResult(provider=provider_name, message_id=_message_id(item), status="queued")
        next_url = (page.get("paging") or {}).get("next")
        if not items or not next_url:
            break
        url, params = next_url, None
    else:
        raise LookupUnavailable("more events than a look-up reads")
    unsettled = not_settled(since, SETTLE_SECONDS)
    if unsettled is not None:
        raise unsettled
    return None


def _is_ours(item, message):
    if not isinstance(item, dict) or item.get("event") != "accepted":
        return False
    variables = item.get("user-variables") or {}
    recipient = str(item.get("recipient", "")).lower()
    return str(variables.get("outbox_id", "")) == message.reference and recipient == message.to.lower()


def _message_id(item):
    # The send API answers "<id>"; events carry the bare Message-Id header. Rows keep the send API's form.
    bare = str(((item.get("message") or {}).get("headers") or {}).get("message-id", "")).strip("<>")
    return f"<{bare}>" if bare else ""
