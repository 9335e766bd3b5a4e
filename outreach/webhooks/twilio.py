"""Twilio webhooks: inbound texts (answered with TwiML) and message status callbacks.

Both verify X-Twilio-Signature with TWILIO_AUTH_TOKEN over PUBLIC_BASE_URL + the path and query Twilio requested
(so a signature made for one URL, or for another outbox id in `?m=`, is worthless on another). A missing or wrong
signature gets 403 before anything is read or written. Without TWILIO_AUTH_TOKEN every request is refused.

An exact repeat of a genuine request (Twilio's own retry, or a replay of a captured one) is answered 200 and
changes nothing: inbound texts are unique by MessageSid, status reports by sid + status + error code.
"""

import functools
import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import SIGNATURE_HEADER, SIGNATURE_SETTINGS_HEADER, RequestValidator
from twilio.request_validator import get_signature_algorithm as signature_algorithm
from twilio.twiml.messaging_response import MessagingResponse

from outreach.conversations.inbound import InboundSMS, handle_inbound
from outreach.engine import delivery
from outreach.models import Channel, DeliveryEvent

logger = logging.getLogger(__name__)
Event = DeliveryEvent.Event

# Twilio MessageStatus -> our vocabulary. https://www.twilio.com/docs/messaging/api/message-resource#message-status-values
STATUS_EVENTS = {
    "accepted": Event.QUEUED,
    "scheduled": Event.QUEUED,
    "queued": Event.QUEUED,
    "sending": Event.QUEUED,
    "sent": Event.SENT,
    "delivered": Event.DELIVERED,
    "read": Event.DELIVERED,
    "undelivered": Event.FAILED,
    "failed": Event.FAILED,
}


def signature_is_valid(request):
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not token or not signature:
        return False
    url = settings.PUBLIC_BASE_URL + request.get_full_path()
    algorithm = signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER))
    return RequestValidator(token).validate(url, request.POST, signature, algorithm=algorithm)


def twilio_webhook(view):
    """CSRF-exempt because Twilio cannot hold a CSRF token; the signature authenticates it instead."""

    @csrf_exempt
    @require_POST
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not signature_is_valid(request):
            logger.warning("twilio webhook %s: missing or invalid signature", request.path)
            return HttpResponseForbidden("invalid signature")
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.POST.lists()):
            return HttpResponseBadRequest("NUL characters are not accepted")
        return view(request, *args, **kwargs)

    return wrapper


def twiml(reply=""):
    response = MessagingResponse()
    if reply:
        response.message(reply)
    return HttpResponse(str(response), content_type="text/xml; charset=utf-8")


@twilio_webhook
def inbound(request):
    data = request.POST
    if not data.get("MessageSid") or not data.get("From"):
        return HttpResponseBadRequest("MessageSid and From are required")
    try:
        num_media = int(data.get("NumMedia") or 0)
    except ValueError:
        num_media = 0
    sms = InboundSMS(
        message_sid=data["MessageSid"],
        from_number=data["From"],
        body=data.get("Body", ""),
        num_media=num_media,
        # Present only with Advanced Opt-Out on: Twilio has already acted on (and answered) STOP, START or HELP.
        opt_out_type=data.get("OptOutType", "")[:10],
    )
    return twiml(handle_inbound(sms))


def status_report(data, outbox_id):
    sid = data.get("MessageSid") or data.get("SmsSid") or ""
    status = (data.get("MessageStatus") or data.get("SmsStatus") or "").lower()
    error_code = (data.get("ErrorCode") or "").strip()
    event = STATUS_EVENTS.get(status, Event.OTHER)
    return delivery.DeliveryReport(
        provider="twilio",
        channel=Channel.SMS,
        event=event,
        dedupe_key=delivery.dedupe_key("twilio", sid, status, error_code),
        outbox_id=outbox_id,
        provider_message_id=sid,
        error_code=error_code if event == Event.FAILED else "",
        error_message=delivery.SMS_ERRORS.get(error_code, f"Twilio {status}") if event == Event.FAILED else "",
        payload=delivery.mask_payload(data.dict()),
    )


@twilio_webhook
def status(request):
    data = request.POST
    if not (data.get("MessageSid") or data.get("SmsSid")):
        return HttpResponseBadRequest("MessageSid is required")
    outbox_id = request.GET.get("m", "")
    report = status_report(data, int(outbox_id) if outbox_id.isdigit() else None)
    delivery.apply_report(report)
    return HttpResponse(status=204)
