"""Who may do what in the Outreach admin.

Model permissions (``outreach.view_contact``...) carry most of it, granted to groups by the migration
``outreach/migrations/0003_admin_groups.py``. Two rules are not plain model permissions:

- Care campaigns (reminders about a patient's own visits) need ``outreach.manage_care_campaigns`` on top of the
  campaign permissions. Marketing editors lack it, so they see and edit educational campaigns only.
- Some records are never edited in the admin, whatever the permissions: the consent ledger is append-only, the
  outbox and inbound messages are written by the engine (staff act on them through named actions: retry,
  cancel, mark handled), tokens are revoked rather than edited.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies import ModelPermissionPolicy

from outreach.models import Purpose

MANAGE_CARE_CAMPAIGNS = "outreach.manage_care_campaigns"
DASHBOARD_PERMISSIONS = ("outreach.view_outboundmessage", "outreach.view_campaign")


def can_manage_care(user):
    return user.has_perm(MANAGE_CARE_CAMPAIGNS)


def allowed_purposes(user):
    return list(Purpose.values) if can_manage_care(user) else [Purpose.EDUCATION]


def can_see_dashboard(user):
    return any(user.has_perm(perm) for perm in DASHBOARD_PERMISSIONS)


class LimitedActionsPolicy(ModelPermissionPolicy):
    """Model permissions, restricted to the actions the admin offers for this model at all."""

    def __init__(self, model, actions):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action in self.actions])


class CampaignPermissionPolicy(LimitedActionsPolicy):
    """Campaign model permissions, plus: a care campaign needs MANAGE_CARE_CAMPAIGNS. Campaigns are paused, not
    deleted (their outbox rows keep pointing at their steps)."""

    def __init__(self, model):
        super().__init__(model, ["view", "add", "change"])

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        return instance.purpose != Purpose.CARE or can_manage_care(user)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return self.model.objects.filter(purpose__in=allowed_purposes(user))


def require_perms(*perms):
    """View decorator: every one of the given permissions, or PermissionDenied (Wagtail's admin turns that into
    a redirect to the dashboard with an error, or a 403 for XHR)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not all(request.user.has_perm(perm) for perm in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def check_campaign_access(user, campaign, action="change"):
    if not user.has_perm(f"outreach.{action}_campaign"):
        raise PermissionDenied
    if campaign.purpose == Purpose.CARE and not can_manage_care(user):
        raise PermissionDenied
