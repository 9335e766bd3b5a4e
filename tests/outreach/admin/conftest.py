"""Users in each role and a small world of outreach records, for the admin tests."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from outreach.models import (
    ApiToken,
    Channel,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    Purpose,
    Suppression,
)
from tests.outreach.factories import make_campaign, make_consultation, make_contact

ROLES = ("superuser", "outreach_admin", "marketing_editor", "clinical_reviewer", "plain_staff")
GROUPS = {
    "outreach_admin": "Outreach admins",
    "marketing_editor": "Marketing editors",
    "clinical_reviewer": "Clinical reviewers",
}
EDUCATION_SMS = "Hi {{ first_name }}, new on our site: {{ article_links }}"


def make_user(django_user_model, role):
    user = django_user_model.objects.create_user(
        username=role,
        email=f"{role}@clinic.example",
        password="correct horse battery staple",
        is_staff=True,
        is_superuser=role == "superuser",
    )
    if role in GROUPS:
        user.groups.add(Group.objects.get(name=GROUPS[role]))
    return user


@pytest.fixture(autouse=True)
def _no_login_throttle(settings):
    # force_login builds a request without REMOTE_ADDR, which django-axes cannot record; these tests are not
    # about the login throttle (tests/security covers it).
    settings.AXES_ENABLED = False


@pytest.fixture
def users(db, django_user_model):
    return {role: make_user(django_user_model, role) for role in ROLES}


@pytest.fixture
def admin_user_client(client, users):
    client.force_login(users["outreach_admin"])
    client.user = users["outreach_admin"]
    return client


def make_row(step, contact, consultation=None, *, status=MessageStatus.SCHEDULED, channel=Channel.SMS, **fields):
    now = timezone.now()
    values = {
        "due_at": now,
        "scheduled_for": now,
        "not_after": now + datetime.timedelta(hours=2),
        "consultation_starts_at": consultation.starts_at if consultation else None,
    }
    values.update(fields)
    return OutboundMessage.objects.create(
        step=step, contact=contact, consultation=consultation, channel=channel, status=status, **values
    )


@pytest.fixture
def world(db):
    care = make_campaign(name="Visit reminders")
    education = make_campaign(
        name="Article follow-ups",
        purpose=Purpose.EDUCATION,
        steps=[{"sms_body": EDUCATION_SMS, "trigger": "after_completed"}],
    )
    contact = make_contact(first_name="Dana", last_name="Rivera")
    consultation = make_consultation(contact, in_hours=48)
    step = care.steps.get()
    failed = make_row(
        step,
        contact,
        consultation,
        status=MessageStatus.FAILED,
        error_code="30003",
        error_message="Unreachable destination handset",
    )
    scheduled = make_row(step, contact, consultation, channel=Channel.EMAIL)
    inbound = InboundMessage.objects.create(
        contact=contact, from_number=str(contact.phone), body="Can I bring my partner?", provider_message_id="SM1"
    )
    token, _raw = ApiToken.issue("Booking system")
    suppression = Suppression.add(Channel.EMAIL, "gone@example.com", Suppression.Reason.HARD_BOUNCE)
    return {
        "care": care,
        "education": education,
        "contact": contact,
        "consultation": consultation,
        "failed": failed,
        "scheduled": scheduled,
        "inbound": inbound,
        "token": token,
        "suppression": suppression,
        "step": step,
    }
