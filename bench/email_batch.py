"""A prototype of batch email sending, for benchmark 3 only (the engine sends one API call per email today).

One Celery task per claim of up to 500 email rows: each row goes through the engine's own `sending.prepare` (every
send-time rule, under the same row locks) and, for those that may go, one anymail message with a recipient per row,
`merge_data` per recipient and Postmark's batch-with-templates endpoint (one API call, up to 500 messages). The
template's fields are the parts the engine rendered (subject, text, html), so patients would get exactly what the
per-message path sends. Outcomes are recorded with the engine's `record_sent` / `record_permanent`.

Workers load it with `celery worker --include bench.email_batch`; bench/dispatcher.py --mode email-batch enqueues.
"""

from anymail.exceptions import AnymailAPIError
from anymail.message import AnymailMessage
from celery import shared_task
from django.conf import settings
from django.core.mail import get_connection

BATCH = 500  # Postmark's batch limit
TEMPLATE_ALIAS = "outreach-message"  # a Postmark layout template: {{subject}}, {{{html}}}, {{text}}


def dispatch_batches():
    """Claim due email rows BATCH at a time and enqueue one task per claim; returns how many were handed out."""
    from outreach.engine.dispatch import claim_due

    handed_out = 0
    while True:
        ids = claim_due(limit=BATCH, channel="email")
        if ids:
            send_batch.delay(ids)
            handed_out += len(ids)
        if len(ids) < BATCH:
            return handed_out


@shared_task(ignore_result=True)
def send_batch(message_ids):
    from outreach.engine import sending
    from outreach.providers.base import PermanentSendError, SendResult, TransientSendError
    from outreach.providers.email import classify_anymail_error

    prepared = [item for item in (sending.prepare(message_id) for message_id in message_ids) if item is not None]
    # The engine's outcome-unknown marker, set as the request is about to leave (a row another task holds drops out).
    prepared = [
        (message, outgoing, content) for message, outgoing, content in prepared if sending.mark_call_started(message)
    ]
    if not prepared:
        return
    by_address = {}
    for message, outgoing, content in prepared:
        by_address.setdefault(outgoing.to, (message, outgoing, content))  # one row per address per batch
    email = AnymailMessage(
        to=list(by_address),
        from_email=settings.DEFAULT_FROM_EMAIL,
        connection=get_connection(fail_silently=False),
    )
    email.template_id = TEMPLATE_ALIAS
    email.merge_data = {
        address: {"subject": outgoing.subject, "text": outgoing.text, "html": outgoing.html}
        for address, (_message, outgoing, _content) in by_address.items()
    }
    email.merge_metadata = {address: {"outbox_id": out.reference} for address, (_m, out, _c) in by_address.items()}
    email.merge_headers = {address: dict(out.headers) for address, (_m, out, _c) in by_address.items()}
    email.tags = ["care"]
    try:
        email.send()
    except AnymailAPIError as exc:
        error = classify_anymail_error(exc)
        for message, _outgoing, _content in by_address.values():
            if isinstance(error, TransientSendError):
                sending.record_transient(message, error)
            else:
                sending.record_permanent(message, error)
        return
    recipients = email.anymail_status.recipients
    for address, (message, _outgoing, content) in by_address.items():
        status = recipients.get(address)
        if status is None or status.status in ("rejected", "invalid", "failed"):
            sending.record_permanent(
                message, PermanentSendError("recipient_refused", "the provider refused the recipient", suppress=True)
            )
        else:
            sending.record_sent(message, SendResult(provider="postmark", message_id=status.message_id or ""), content)
