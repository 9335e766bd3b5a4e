"""Public views of article follow-ups: confirming a subscription, and the neutral article links sent by SMS."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cms.visibility import public_pages
from outreach.articles import read_neutral_link, tracked_url
from outreach.models import Campaign, Channel
from outreach.subscriptions import confirm, contact_for_token, pending_request


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
