"""Registers the Outreach admin (outreach/admin/) with Wagtail. Registration only."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from outreach.admin import audit, dashboard
from outreach.admin.permissions import CampaignPermissionPolicy, LimitedActionsPolicy
from outreach.models import (
    ApiToken,
    Campaign,
    ConsentRecord,
    Consultation,
    Contact,
    InboundMessage,
    OutboundMessage,
    Suppression,
)

# Before any viewset asks for a policy (Wagtail would otherwise create a plain model-permission fallback).
register_permission_policy(Campaign, CampaignPermissionPolicy(Campaign))
register_permission_policy(Contact, LimitedActionsPolicy(Contact, ["view"]))
register_permission_policy(Consultation, LimitedActionsPolicy(Consultation, ["view"]))
register_permission_policy(OutboundMessage, LimitedActionsPolicy(OutboundMessage, ["view"]))
register_permission_policy(InboundMessage, LimitedActionsPolicy(InboundMessage, ["view"]))
register_permission_policy(ConsentRecord, LimitedActionsPolicy(ConsentRecord, ["view"]))
register_permission_policy(Suppression, LimitedActionsPolicy(Suppression, ["view", "add", "delete"]))
register_permission_policy(ApiToken, LimitedActionsPolicy(ApiToken, ["view", "add"]))


@hooks.register("register_admin_viewset")
def register_outreach_viewsets():
    from outreach.admin.viewsets import OutreachViewSetGroup

    return OutreachViewSetGroup()


@hooks.register("register_log_actions")
def register_outreach_log_actions(actions):
    audit.register(actions)


@hooks.register("construct_homepage_panels")
def add_outreach_dashboard(request, panels):
    dashboard.add_panel(request, panels)


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    from outreach.admin import two_factor

    return two_factor.admin_urls()
