"""Public views of article follow-ups: the subscribe endpoint, confirming a subscription, and the neutral article
links sent by SMS."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cms.visibility import public_pages
from outreach.followups.articles import read_neutral_link, tracked_url
from outreach.followups.subscriptions import confirm, contact_for_token, pending_request
from outreach.models import Campaign, Channel


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_subscription(request, token):
    """GET shows a button (mail scanners that open links must not confirm anything); POST confirms."""
    contact = contact_for_token(token)
    if contact is None:
        return TemplateResponse(request, "outreach/confirm_subscription.html", {"state": "invalid"}, status=404)
    if request.method == "POST":
        record = confirm(contact, Channel.EMAIL, "email link")
        state = "confirmed" if record else "nothing"
    else:
        state = "ask" if pending_request(contact, Channel.EMAIL) else "nothing"
    return TemplateResponse(request, "outreach/confirm_subscription.html", {"state": state})


@require_GET
def article_link(request, token):
    """Redirect a neutral SMS link to the article on the front end, with UTM parameters."""
    decoded = read_neutral_link(token)
    if decoded is None:
        return HttpResponseRedirect(settings.FRONTEND_BASE_URL + "/")
    page_id, channel, campaign_id = decoded
    page = public_pages().filter(pk=page_id).first()
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if page is None or campaign is None:
        return HttpResponseRedirect(settings.FRONTEND_BASE_URL + "/")
    return HttpResponseRedirect(tracked_url(page, campaign, channel))


class SubscribeView(APIView):
    """Public: the headless front end's topic subscribe form. Throttled per client IP and per address. Answers the
    same whether or not the address is known, so it reveals nothing about who is a patient."""

    authentication_classes = []
    permission_classes = []
    parser_classes = [JSONParser]

    def post(self, request):
        from django.db import transaction

        from config import throttle
        from outreach.followups.subscriptions import SubscribeForm, request_subscription
        from outreach.models.suppressions import address_digest
        from outreach.tasks import send_subscription_confirmation

        if not throttle.allow(f"subscribe:ip:{throttle.client_ip(request)}", settings.OUTREACH_SUBSCRIBE_PER_IP_HOUR):
            return Response({"detail": "Too many requests; try again later."}, status=429)
        if not isinstance(request.data, dict):
            return Response({"errors": {"body": ["must be a JSON object"]}}, status=status.HTTP_400_BAD_REQUEST)
        form = SubscribeForm(request.data)
        if not form.is_valid():
            errors = {
                ("body" if field == "__all__" else field): [str(m).rstrip(".") for m in messages]
                for field, messages in form.errors.items()
            }
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        cleaned = form.cleaned_data
        for channel, key in (("email", "email"), ("sms", "phone")):
            if cleaned[key] and not throttle.allow(
                f"subscribe:address:{address_digest(channel, str(cleaned[key]))}",
                settings.OUTREACH_SUBSCRIBE_PER_ADDRESS_HOUR,
            ):
                return Response({"detail": "Too many requests; try again later."}, status=429)
        confirmations = request_subscription(cleaned)
        language = cleaned.get("language", "")
        for contact_id, channel in confirmations:
            transaction.on_commit(
                lambda contact_id=contact_id, channel=channel: send_subscription_confirmation.delay(
                    contact_id, channel, language
                )
            )
        return Response(
            {"status": "pending_confirmation", "channels": [channel for _, channel in confirmations]},
            status=status.HTTP_202_ACCEPTED,
        )
