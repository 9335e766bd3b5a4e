"""Email delivery events from django-anymail's tracking webhooks (Postmark, Mailgun), in our vocabulary.

anymail's views (config: /webhooks/anymail/<esp>/tracking/) authenticate the request (basic auth from
ANYMAIL_WEBHOOK_SECRET; Mailgun's signature too) and send the `tracking` signal with a normalised
AnymailTrackingEvent; `on_tracking` turns it into a DeliveryReport for outreach.engine.delivery.

Only the configured provider's route answers (`tracking_view`): anymail's own URL module mounts every provider it
knows, and the ones nobody configured answered unauthenticated posts with 500s and tracebacks. Without
ANYMAIL_WEBHOOK_SECRET anymail would accept unauthenticated events (with a warning), so that a forged "unsubscribed"
or "bounced" event opts a patient out or suppresses an address: here every request is refused instead.

The outbox row is found by the `outbox_id` metadata every email carries (outreach.providers.email), else by the
provider's message id.
"""

import functools
import json
import logging

from anymail.exceptions import AnymailWebhookValidationFailure
from anymail.signals import EventType, RejectReason, tracking
from anymail.utils import get_anymail_setting
from anymail.webhooks.mailgun import MailgunTrackingWebhookView
from anymail.webhooks.postmark import PostmarkTrackingWebhookView
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from outreach.engine import delivery
from outreach.models import Channel, DeliveryEvent, Suppression

logger = logging.getLogger(__name__)
Event = DeliveryEvent.Event

SIMPLE_EVENTS = {
    EventType.QUEUED: Event.QUEUED,
    EventType.SENT: Event.SENT,
    EventType.DELIVERED: Event.DELIVERED,
    EventType.DEFERRED: Event.DEFERRED,
    EventType.REJECTED: Event.FAILED,
    EventType.FAILED: Event.FAILED,
    EventType.COMPLAINED: Event.COMPLAINED,
    EventType.UNSUBSCRIBED: Event.OPTED_OUT,
    EventType.OPENED: Event.OPENED,
    EventType.CLICKED: Event.CLICKED,
}


# Terminal failures anymail does not call one, in each provider's own words. Every other terminal failure reaches us
# as anymail's REJECTED, FAILED or BOUNCED (a Mailgun `failed` of permanent severity, whatever its reason, `old`
# included; a legacy `dropped`; every Postmark bounce type but the deferrals) and fails the row through SIMPLE_EVENTS.
POSTMARK_UNDELIVERED = {
    "Unknown": "a bounce Postmark could not classify",
    # "Delivered, but blocked by the user or classified as spam": the receiving server's filter, not the
    # patient's complaint, so it fails the message without suppressing the patient's address.
    "SpamNotification": "rejected as spam by the receiving server",
}
# Mailgun drops a message to an address on one of its own suppression lists; mirror the list, or every later message
# to that address would be accepted and silently dropped too. (Its JSON events name a reason, legacy ones a code.)
MAILGUN_SUPPRESSION_DROPS = {
    "suppress-bounce": Suppression.Reason.HARD_BOUNCE,
    "605": Suppression.Reason.HARD_BOUNCE,
    "suppress-complaint": Suppression.Reason.COMPLAINT,
    "607": Suppression.Reason.COMPLAINT,
    "suppress-unsubscribe": Suppression.Reason.PROVIDER_REFUSED,
    "606": Suppression.Reason.PROVIDER_REFUSED,
}


def esp_fields(event):
    """The provider's own payload: Postmark's record, Mailgun's `event-data` (or a legacy webhook's form)."""
    esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
    data = esp_event.get("event-data")
    return data if isinstance(data, dict) else esp_event


def is_hard_bounce(event):
    if esp_fields(event).get("Type") == "SoftBounce":  # Postmark: a full mailbox, an account over quota...
        return False
    return event.reject_reason == RejectReason.BOUNCED


def classify(event):
    """(our event, the Suppression reason it calls for or "")."""
    fields = esp_fields(event)
    if fields.get("RecordType") == "Bounce" and fields.get("Type") in POSTMARK_UNDELIVERED:
        return Event.FAILED, ""
    if event.event_type in (EventType.BOUNCED, EventType.REJECTED):
        dropped_for = MAILGUN_SUPPRESSION_DROPS.get(text(fields.get("reason"))) or MAILGUN_SUPPRESSION_DROPS.get(
            text(fields.get("code"))
        )
        if dropped_for:
            return (Event.BOUNCED if dropped_for == Suppression.Reason.HARD_BOUNCE else Event.FAILED), dropped_for
    if event.event_type == EventType.BOUNCED:
        return (Event.BOUNCED, Suppression.Reason.HARD_BOUNCE) if is_hard_bounce(event) else (Event.FAILED, "")
    if event.event_type == EventType.COMPLAINED:
        return Event.COMPLAINED, Suppression.Reason.COMPLAINT
    if event.event_type == EventType.REJECTED and event.reject_reason == RejectReason.INVALID:
        return Event.FAILED, Suppression.Reason.PROVIDER_REFUSED
    return SIMPLE_EVENTS.get(event.event_type, Event.OTHER), ""


def provider_event_id(event, esp_name):
    esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
    if esp_name.lower() == "mailgun":
        return (esp_event.get("event-data") or {}).get("id") or event.event_id
    return event.event_id


def failure_code(event):
    """anymail's reject reason, or where it has only "other" the provider's own word (Postmark's bounce type,
    Mailgun's reason such as `old` or `espblock`)."""
    if event.reject_reason and event.reject_reason != RejectReason.OTHER:
        return event.reject_reason
    fields = esp_fields(event)
    own = text(fields.get("Type")) if fields.get("RecordType") else text(fields.get("reason"))
    return (own or event.reject_reason or "")[:40]


def text(value):
    """A payload field as text; anything else a sender put there (a list, a number's bool...) counts as absent."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def to_report(event, esp_name):
    provider = esp_name.lower()
    ours, suppress = classify(event)
    metadata = event.metadata if isinstance(event.metadata, dict) else {}
    outbox_id = text(metadata.get("outbox_id"))
    message_id = text(event.message_id)
    esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
    return delivery.DeliveryReport(
        provider=provider,
        channel=Channel.EMAIL,
        event=ours,
        dedupe_key=delivery.dedupe_key(provider, event.event_type, message_id, provider_event_id(event, esp_name)),
        outbox_id=int(outbox_id) if outbox_id.isdigit() else None,
        provider_message_id=message_id,
        error_code=failure_code(event) if ours in (Event.FAILED, Event.BOUNCED) else "",
        error_message=delivery.mask_payload(event.description or event.mta_response or "")[:300]
        if ours in (Event.FAILED, Event.BOUNCED)
        else "",
        recipient=text(event.recipient),
        suppress=suppress,
        occurred_at=event.timestamp,
        payload=delivery.mask_payload(esp_event),
    )


def on_tracking(sender, event, esp_name, **kwargs):
    delivery.apply_report(to_report(event, esp_name))


def connect():
    tracking.connect(on_tracking, dispatch_uid="outreach.webhooks.anymail.on_tracking")


def encodable_json(body):
    """False for JSON that decodes to text UTF-8 cannot hold (a lone surrogate such as \\ud800)."""
    try:
        json.dumps(json.loads(body), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    except ValueError:
        pass  # not JSON at all: anymail's parser decides
    return True


class MalformedPayloadGuard:
    """anymail's tracking views answer 500 when a payload does not parse (a JSON list, non-UTF-8 bytes, a Mailgun
    post without its signature block) and PostgreSQL refuses NUL characters in what we keep. A client's mistake is
    a 400 here, after authentication, and nothing is written."""

    def run_validators(self, request):
        try:
            super().run_validators(request)
        except AnymailWebhookValidationFailure:
            raise
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            raise AnymailWebhookValidationFailure("malformed webhook payload") from None

    def parse_events(self, request):
        if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            # A legacy Mailgun webhook: a form, which the signature check has already read (a multipart body can
            # be read only once, so look at the parsed fields, not request.body).
            if any("\x00" in value for _name, values in request.POST.lists() for value in values):
                raise AnymailWebhookValidationFailure("NUL characters are not accepted")
        else:
            if b"\x00" in request.body or b"\\u0000" in request.body:
                raise AnymailWebhookValidationFailure("NUL characters are not accepted")
            if not encodable_json(request.body):
                raise AnymailWebhookValidationFailure("not valid text (a lone surrogate)")
        try:
            return list(super().parse_events(request))
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            raise AnymailWebhookValidationFailure("malformed webhook payload") from None


class PostmarkTrackingView(MalformedPayloadGuard, PostmarkTrackingWebhookView):
    pass


class MailgunTrackingView(MalformedPayloadGuard, MailgunTrackingWebhookView):
    pass


def webhook_secret_configured():
    return bool(get_anymail_setting("webhook_secret", default=None))


def tracking_view(view_class):
    """The tracking view of one provider, answering only when it is the configured EMAIL_PROVIDER and the webhook
    secret is set. Checked per request, before anymail builds its view (Mailgun's refuses to build without a
    signing key, as a 500)."""
    esp = view_class.esp_name.lower()
    view = view_class.as_view()

    @csrf_exempt
    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if settings.EMAIL_PROVIDER != esp:
            raise Http404("no such webhook")
        if not webhook_secret_configured():
            logger.warning("%s webhook refused: ANYMAIL_WEBHOOK_SECRET is not set", esp)
            return HttpResponse("email webhooks are off: no webhook secret is configured", status=403)
        try:
            return view(request, *args, **kwargs)
        except ImproperlyConfigured:
            logger.error("%s webhook refused: the provider's webhook settings are incomplete", esp)
            return HttpResponse("email webhooks are not configured", status=503)

    return guarded
