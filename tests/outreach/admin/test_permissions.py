"""Every role over every Outreach screen and action: allowed ones succeed, the rest are refused by the view itself
(not only hidden from the menu). Wagtail refuses with a redirect to the dashboard (or the login page for users
without admin access) and an error message; XHR gets a 403."""

import pytest
from django.db import transaction
from django.urls import reverse

pytestmark = pytest.mark.django_db

ALL_ADMINS = {"superuser", "outreach_admin"}
EDITORS_TOO = ALL_ADMINS | {"marketing_editor"}
FORBIDDEN_LOCATIONS = {reverse("wagtailadmin_home"), reverse("wagtailadmin_login")}


def url(name, key=None, suffix=""):
    def build(world):
        args = [world[key].pk] if key else []
        return reverse(name, args=args) + suffix

    return build


def step_data(world, key):
    step = world[key].steps.get()
    fields = {name: getattr(step, name) for name in ("name", "sms_body", "email_subject", "email_text", "email_html")}
    return {**fields, "campaign": world[key].pk, "purpose": world[key].purpose, "send_sms": "on"}


def bulk(model_name, action, key):
    def build(world):
        base = reverse("wagtail_bulk_action", args=["outreach", model_name, action])
        return f"{base}?id={world[key].pk}"

    return build


def status_url(key):
    return lambda world: reverse("outreach_consultations:set_status", args=[world["consultation"].pk, key])


# (label, method, url builder, POST data, roles allowed)
SCREENS = [
    ("campaigns: list", "get", url("outreach_campaigns:index"), None, EDITORS_TOO),
    ("campaigns: create form", "get", url("outreach_campaigns:add"), None, EDITORS_TOO),
    ("campaigns: edit care", "get", url("outreach_campaigns:edit", "care"), None, ALL_ADMINS),
    ("campaigns: edit education", "get", url("outreach_campaigns:edit", "education"), None, EDITORS_TOO),
    ("campaigns: history care", "get", url("outreach_campaigns:history", "care"), None, ALL_ADMINS),
    ("campaigns: delete", "post", url("outreach_campaigns:delete", "education"), {}, set()),
    (
        "campaigns: preview",
        "post",
        url("outreach_campaigns:preview"),
        {"sms_body": "Hi", "send_sms": "on"},
        EDITORS_TOO,
    ),
    ("campaigns: activate care", "post", url("outreach_campaigns:activate", "care"), {}, ALL_ADMINS),
    ("campaigns: pause care", "post", url("outreach_campaigns:pause", "care"), {}, ALL_ADMINS),
    ("campaigns: pause education", "post", url("outreach_campaigns:pause", "education"), {}, EDITORS_TOO),
    (
        "campaigns: preview (saved care campaign)",
        "post",
        url("outreach_campaigns:preview"),
        lambda world: {"campaign": world["care"].pk, "sms_body": "Hi", "send_sms": "on"},
        ALL_ADMINS,
    ),
    (
        "campaigns: send test (care, unsaved edits)",
        "post",
        url("outreach_campaigns:send_test"),
        lambda world: {**step_data(world, "care"), "channel": "sms", "phone": "+12035550177"},
        ALL_ADMINS,
    ),
    (
        "campaigns: send test (new care campaign)",
        "post",
        url("outreach_campaigns:send_test"),
        lambda world: {**step_data(world, "care"), "campaign": "", "channel": "sms", "phone": "+12035550177"},
        ALL_ADMINS,
    ),
    (
        "campaigns: send test (education)",
        "post",
        url("outreach_campaigns:send_test"),
        lambda world: {**step_data(world, "education"), "channel": "sms", "phone": "+12035550177"},
        EDITORS_TOO,
    ),
    ("contacts: list", "get", url("outreach_contacts:index"), None, ALL_ADMINS),
    ("contacts: search", "get", url("outreach_contacts:index", suffix="?q=Dana"), None, ALL_ADMINS),
    ("contacts: export", "get", url("outreach_contacts:index", suffix="?export=csv"), None, ALL_ADMINS),
    ("contacts: detail", "get", url("outreach_contacts:inspect", "contact"), None, ALL_ADMINS),
    ("contacts: edit", "get", url("outreach_contacts:edit", "contact"), None, set()),
    ("contacts: delete", "post", url("outreach_contacts:delete", "contact"), {}, set()),
    ("contacts: consent form", "get", url("outreach_contacts:record_consent", "contact"), None, ALL_ADMINS),
    (
        "contacts: record consent",
        "post",
        url("outreach_contacts:record_consent", "contact"),
        {"channel": "sms", "purpose": "care", "granted": "false", "reason": "asked at the desk"},
        ALL_ADMINS,
    ),
    (
        "contacts: simulate a reply (demo)",
        "post",
        url("outreach_contacts:simulate_reply", "contact"),
        {"body": "Can I bring my partner?"},
        ALL_ADMINS,
    ),
    ("consultations: list", "get", url("outreach_consultations:index"), None, ALL_ADMINS),
    (
        "consultations: filtered",
        "get",
        url("outreach_consultations:index", suffix="?status=scheduled"),
        None,
        ALL_ADMINS,
    ),
    ("consultations: detail", "get", url("outreach_consultations:inspect", "consultation"), None, ALL_ADMINS),
    ("consultations: edit", "get", url("outreach_consultations:edit", "consultation"), None, set()),
    ("consultations: import form", "get", url("outreach_consultations:import"), None, ALL_ADMINS),
    ("consultations: mark completed", "post", status_url("completed"), {}, ALL_ADMINS),
    ("consultations: mark cancelled", "post", status_url("cancelled"), {}, ALL_ADMINS),
    ("consultations: mark no-show", "post", status_url("no_show"), {}, ALL_ADMINS),
    ("consultations: export", "get", url("outreach_consultations:index", suffix="?export=csv"), None, ALL_ADMINS),
    ("consultations: bulk cancel (confirm)", "get", bulk("consultation", "cancel", "consultation"), None, ALL_ADMINS),
    ("consultations: bulk cancel", "post", bulk("consultation", "cancel", "consultation"), {}, ALL_ADMINS),
    ("consultations: bulk complete", "post", bulk("consultation", "complete", "consultation"), {}, ALL_ADMINS),
    ("consultations: bulk no-show", "post", bulk("consultation", "no_show", "consultation"), {}, ALL_ADMINS),
    ("outbox: list", "get", url("outreach_outbox:index"), None, ALL_ADMINS),
    ("outbox: export", "get", url("outreach_outbox:index", suffix="?export=csv"), None, ALL_ADMINS),
    ("outbox: detail", "get", url("outreach_outbox:inspect", "failed"), None, ALL_ADMINS),
    ("outbox: edit", "get", url("outreach_outbox:edit", "failed"), None, set()),
    ("outbox: retry", "post", url("outreach_outbox:retry", "failed"), {}, ALL_ADMINS),
    ("outbox: cancel", "post", url("outreach_outbox:cancel", "scheduled"), {}, ALL_ADMINS),
    ("outbox: bulk retry", "post", bulk("outboundmessage", "retry", "failed"), {}, ALL_ADMINS),
    ("outbox: bulk cancel", "post", bulk("outboundmessage", "cancel", "scheduled"), {}, ALL_ADMINS),
    ("inbox: list", "get", url("outreach_inbox:index"), None, ALL_ADMINS),
    ("inbox: export", "get", url("outreach_inbox:index", suffix="?export=csv"), None, ALL_ADMINS),
    ("inbox: bulk mark handled", "post", bulk("inboundmessage", "mark_handled", "inbound"), {}, ALL_ADMINS),
    ("inbox: detail", "get", url("outreach_inbox:inspect", "inbound"), None, ALL_ADMINS),
    ("inbox: mark handled", "post", url("outreach_inbox:mark_handled", "inbound"), {}, ALL_ADMINS),
    ("inbox: answer", "post", url("outreach_inbox:reply", "inbound"), {"body": "Yes, of course."}, ALL_ADMINS),
    ("consent ledger: list", "get", url("outreach_consent:index"), None, ALL_ADMINS),
    ("consent ledger: export", "get", url("outreach_consent:index", suffix="?export=csv"), None, ALL_ADMINS),
    ("consent ledger: add", "get", url("outreach_consent:add"), None, set()),
    ("suppressions: list", "get", url("outreach_suppressions:index"), None, ALL_ADMINS),
    (
        "suppressions: search",
        "get",
        url("outreach_suppressions:index", suffix="?q=gone%40example.com"),
        None,
        ALL_ADMINS,
    ),
    (
        "suppressions: add",
        "post",
        url("outreach_suppressions:add"),
        {"channel": "sms", "address": "+12035550188", "reason": "manual"},
        ALL_ADMINS,
    ),
    ("suppressions: delete", "post", url("outreach_suppressions:delete", "suppression"), {}, ALL_ADMINS),
    ("tokens: list", "get", url("outreach_tokens:index"), None, ALL_ADMINS),
    ("tokens: create", "post", url("outreach_tokens:add"), {"name": "Second system"}, ALL_ADMINS),
    ("tokens: revoke", "post", url("outreach_tokens:revoke", "token"), {}, ALL_ADMINS),
]
ROLES = ("superuser", "outreach_admin", "marketing_editor", "clinical_reviewer", "plain_staff")


def is_forbidden(response):
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response["Location"].split("?")[0] in FORBIDDEN_LOCATIONS


def attempt(client, user, method, target, data):
    """One role's request, rolled back afterwards so every role meets the same records."""
    client.force_login(user)
    with transaction.atomic():
        response = client.get(target) if method == "get" else client.post(target, data)
        transaction.set_rollback(True)
    client.logout()
    return response


@pytest.mark.parametrize(
    ("label", "method", "build", "data", "allowed"), [pytest.param(*screen, id=screen[0]) for screen in SCREENS]
)
def test_each_role_on_screen(client, users, world, label, method, build, data, allowed):
    target = build(world)
    data = data(world) if callable(data) else data
    wrong = []
    for role in ROLES:
        response = attempt(client, users[role], method, target, data)
        if role in allowed:
            if is_forbidden(response) or response.status_code not in (200, 302):
                wrong.append(f"{role} was refused ({response.status_code})")
        elif not is_forbidden(response):
            wrong.append(f"{role} got through ({response.status_code})")
    assert not wrong, f"{label}: " + "; ".join(wrong)


@pytest.mark.parametrize(
    ("role", "sees_panel", "sees_menu"),
    [
        ("superuser", True, True),
        ("outreach_admin", True, True),
        ("marketing_editor", True, True),
        ("clinical_reviewer", False, False),
    ],
)
def test_dashboard_and_menu(client, users, world, role, sees_panel, sees_menu):
    client.force_login(users[role])
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert ("data-outreach-dashboard" in html) is sees_panel
    assert (reverse("outreach_campaigns:index") in html) is sees_menu
    # No role sees patient screens in the menu unless it may open them.
    assert (reverse("outreach_contacts:index") in html) is (role in ALL_ADMINS)


def test_plain_staff_cannot_reach_the_dashboard(client, users):
    client.force_login(users["plain_staff"])
    response = client.get(reverse("wagtailadmin_home"))
    assert is_forbidden(response)


def test_marketing_editor_lists_only_educational_campaigns(client, users, world):
    client.force_login(users["marketing_editor"])
    html = client.get(reverse("outreach_campaigns:index")).content.decode()
    assert "Article follow-ups" in html
    assert "Visit reminders" not in html


def test_preview_is_refused_to_xhr_without_permission(client, users):
    client.force_login(users["clinical_reviewer"])
    response = client.post(
        reverse("outreach_campaigns:preview"), {"sms_body": "Hi"}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 403
