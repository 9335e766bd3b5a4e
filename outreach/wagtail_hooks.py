"""Registers the Outreach admin (outreach/admin/) with Wagtail. Registration only."""

from django.db import models
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.permissions import register_permission_policy

from outreach.admin import audit, dashboard
from outreach.admin.bulk_actions import BULK_ACTIONS
from outreach.admin.durations import DurationTextField
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

# Every DurationField in an admin form (a campaign step's timing and lateness) is typed and shown in words.
register_form_field_override(models.DurationField, override={"form_class": DurationTextField})

for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action)


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


@hooks.register("insert_global_admin_css")
def outreach_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("outreach/admin.css"))
