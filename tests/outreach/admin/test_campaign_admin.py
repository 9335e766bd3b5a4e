"""The campaign editor: create with an inline step, template errors in the form, activate/pause, the live
preview's JSON, and "send a test to me" through the fake providers."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import ModelLogEntry

from outreach.models import Campaign, Purpose
from tests.outreach.campaign_forms import translation_forms
from tests.outreach.factories import CARE_SMS

pytestmark = pytest.mark.django_db


def campaign_form(name="Visit reminders", purpose="care", active="", **step):
    data = {
        "name": name,
        "purpose": purpose,
        "active": active,
        "quiet_hours_start": "08:00",
        "quiet_hours_end": "21:00",
        "sms_per_day": "1",
        "sms_per_week": "3",
        "emails_per_day": "2",
        "emails_per_week": "5",
        "min_days_between": "0",
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "1",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-id": "",
        "steps-0-DELETE": "",
        "steps-0-ORDER": "1",
        "steps-0-name": "24 hours before",
        "steps-0-trigger": "before_start",
        "steps-0-offset": "1 day",
        "steps-0-max_lateness": "2 hours",
        "steps-0-outside_window": "wait",
        "steps-0-send_sms": "on",
        "steps-0-sms_body": CARE_SMS,
        "steps-0-email_subject": "",
        "steps-0-email_text": "",
        "steps-0-email_html": "",
        **{f"steps-0-{key}": value for key, value in translation_forms([]).items()},
    }
    data.update({f"steps-0-{key}": value for key, value in step.items()})
    return data


def test_create_campaign_with_an_inline_step(admin_user_client):
    response = admin_user_client.post(reverse("outreach_campaigns:add"), campaign_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get(name="Visit reminders")
    step = campaign.steps.get()
    assert step.name == "24 hours before" and step.sms_body == CARE_SMS
    assert ModelLogEntry.objects.filter(
        action="wagtail.create", object_id=str(campaign.pk), user=admin_user_client.user
    ).exists()


@pytest.mark.parametrize(
    ("offset", "lateness", "expected"),
    [
        ("1 day 2 hours", "45 minutes", (datetime.timedelta(hours=26), datetime.timedelta(minutes=45))),
        ("2h", "1 hour and 30 minutes", (datetime.timedelta(hours=2), datetime.timedelta(minutes=90))),
        ("24:00:00", "02:00:00", (datetime.timedelta(days=1), datetime.timedelta(hours=2))),
    ],
)
def test_durations_are_typed_as_people_write_them(admin_user_client, offset, lateness, expected):
    response = admin_user_client.post(
        reverse("outreach_campaigns:add"), campaign_form(offset=offset, max_lateness=lateness)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    step = Campaign.objects.get(name="Visit reminders").steps.get()
    assert (step.offset, step.max_lateness) == expected


def test_durations_are_shown_as_people_write_them(admin_user_client, world):
    step = world["step"]
    step.offset, step.max_lateness = datetime.timedelta(days=1, hours=2), datetime.timedelta(minutes=45)
    step.save()
    html = admin_user_client.get(reverse("outreach_campaigns:edit", args=[step.campaign_id])).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("input[name=steps-0-offset]")["value"] == "1 day 2 hours"
    assert soup.select_one("input[name=steps-0-max_lateness]")["value"] == "45 minutes"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("offset", "tomorrow", "How long before or after: write a duration in words"),
        ("offset", "1:30", "How long before or after: write a duration in words"),
        ("max_lateness", "soon", "Latest sending delay: write a duration in words"),
        ("max_lateness", "30 seconds", "At least 1 minute."),
    ],
)
def test_an_unreadable_duration_is_refused_naming_the_field(admin_user_client, field, typed, message):
    response = admin_user_client.post(reverse("outreach_campaigns:add"), campaign_form(**{field: typed}))
    assert response.status_code == 200
    assert message in BeautifulSoup(response.content.decode(), "html.parser").get_text(" ")
    assert not Campaign.objects.exists()


def test_labels_say_what_the_fields_mean(admin_user_client):
    text = BeautifulSoup(
        admin_user_client.get(reverse("outreach_campaigns:add")).content.decode(), "html.parser"
    ).get_text(" ")
    for label in ("Sending window opens", "Sending window closes", "SMS text", "Email HTML", "Latest sending delay"):
        assert label in text
    for wrong in ("Sms body", "Email html", "Quiet hours start"):
        assert wrong not in text


def test_unknown_variable_is_shown_in_the_form(admin_user_client):
    response = admin_user_client.post(
        reverse("outreach_campaigns:add"), campaign_form(sms_body=CARE_SMS + " {{ diagnosis }}")
    )
    assert response.status_code == 200
    assert "unknown variable {{ diagnosis }}" in response.content.decode().replace("&#x27;", "'").lower()
    assert not Campaign.objects.exists()


def test_new_care_campaign_gets_the_care_rules(admin_user_client):
    response = admin_user_client.post(
        reverse("outreach_campaigns:add"), campaign_form(sms_body="Hi {{ first_name }}, see you soon.")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "must say how to opt out" in html
    assert "must name the clinic" in html
    assert not Campaign.objects.exists()


def test_marketing_editor_cannot_make_a_care_campaign(client, users):
    client.force_login(users["marketing_editor"])
    response = client.post(reverse("outreach_campaigns:add"), campaign_form(purpose="care"))
    assert response.status_code == 200
    assert not Campaign.objects.exists()
    response = client.post(
        reverse("outreach_campaigns:add"),
        campaign_form(name="Follow-ups", purpose="education", sms_body="New for you: {{ article_links }}"),
    )
    assert response.status_code == 302
    assert Campaign.objects.get().purpose == Purpose.EDUCATION


def test_activate_and_pause_are_audited(admin_user_client, world):
    care = world["care"]
    care.active = False
    care.save()
    response = admin_user_client.post(reverse("outreach_campaigns:activate", args=[care.pk]))
    assert response.status_code == 302
    care.refresh_from_db()
    assert care.active
    admin_user_client.post(reverse("outreach_campaigns:pause", args=[care.pk]))
    care.refresh_from_db()
    assert not care.active
    actions = list(
        ModelLogEntry.objects.filter(object_id=str(care.pk), action__startswith="outreach.campaign")
        .order_by("timestamp")
        .values_list("action", "user__username")
    )
    assert actions == [("outreach.campaign.activate", "outreach_admin"), ("outreach.campaign.pause", "outreach_admin")]


def test_activate_asks_for_confirmation_on_get(admin_user_client, world):
    care = world["care"]
    care.active = False
    care.save()
    response = admin_user_client.get(reverse("outreach_campaigns:activate", args=[care.pk]))
    assert response.status_code == 200
    care.refresh_from_db()
    assert not care.active


def test_preview_renders_sms_with_segments_and_warnings(admin_user_client):
    response = admin_user_client.post(
        reverse("outreach_campaigns:preview"),
        {
            "purpose": "care",
            "send_sms": "true",
            "send_email": "true",
            "sms_body": "Hi {{ first_name }}, your ketamine infusion is on {{ appointment_date }}. "
            "Reply STOP to opt out.",
            "email_subject": "See you {{ appointment_date }}",
            "email_text": "Hi {{ first_name }}",
            "email_html": "<p>Hi {{ first_name }}</p>",
        },
    )
    assert response.status_code == 200
    data = response.json()
    sms = data["sms"]
    assert sms["body"].startswith("Hi Alexandra, your ketamine infusion is on Wednesday, September 30.")
    assert sms["segments"] == 1 and sms["encoding"] == "GSM-7"
    assert sms["characters"] == len(sms["body"])
    assert sms["sensitive_terms"] == ["infusion", "ketamine"]
    assert data["email"]["subject"] == "See you Wednesday, September 30"
    assert "Hi Alexandra" in data["email"]["html"]
    assert any("clinic" in error for error in data["errors"]["sms_body"])  # care texts name the clinic


def test_preview_counts_segments_of_a_long_unicode_text(admin_user_client):
    body = "Hi {{ first_name }} 😀 " + "x" * 100
    data = admin_user_client.post(
        reverse("outreach_campaigns:preview"), {"purpose": "education", "send_sms": "on", "sms_body": body}
    ).json()
    assert data["sms"]["encoding"] == "UCS-2"
    assert data["sms"]["segments"] == 2


def editor_step_fields(step, **changes):
    """What the campaign editor posts for one step: its fields as the form holds them."""
    fields = {
        "campaign": step.campaign_id or "",
        "purpose": step.campaign.purpose,
        "name": step.name,
        "send_sms": "true" if step.send_sms else "",
        "send_email": "true" if step.send_email else "",
        "sms_body": step.sms_body,
        "email_subject": step.email_subject,
        "email_text": step.email_text,
        "email_html": step.email_html,
    }
    fields.update(changes)
    return fields


UNSAVED_SMS = (
    "Hi {{ first_name }}, UNSAVED EDIT: see you {{ appointment_date }}. {{ clinic_name }} {{ clinic_phone }}. "
    "Reply STOP to opt out."
)


def test_send_a_test_sms_of_the_unsaved_edit_through_twilio(admin_user_client, world, twilio_settings):
    step = world["step"]
    saved_body = step.sms_body
    response = admin_user_client.post(
        reverse("outreach_campaigns:send_test"),
        editor_step_fields(step, sms_body=UNSAVED_SMS, channel="sms", phone="(203) 555-0177"),
    )
    assert response.status_code == 200, response.content
    assert response.json()["ok"] and "Nothing was saved" in response.json()["message"]
    [message] = twilio_settings.messages
    assert message.fields["To"] == "+12035550177"
    assert message.fields["Body"].startswith("Hi Alexandra, UNSAVED EDIT: see you")
    assert world["contact"].first_name not in message.fields["Body"]
    step.refresh_from_db()
    assert step.sms_body == saved_body  # not made live
    entry = ModelLogEntry.objects.get(action="outreach.campaign.test_send")
    assert entry.user == admin_user_client.user and entry.object_id == str(step.campaign_id)
    assert "+12035550177" not in str(entry.data) and "0177" not in str(entry.data)


def test_send_a_test_email_of_a_campaign_not_yet_created(admin_user_client, postmark_settings):
    fields = {
        "campaign": "",
        "campaign_name": "New campaign",
        "purpose": "care",
        "name": "step 1",
        "send_email": "true",
        "email_subject": "Your visit on {{ appointment_date }}",
        "email_text": "Hi {{ first_name }}",
        "email_html": "<p>Hi {{ first_name }}</p>",
        "channel": "email",
    }
    response = admin_user_client.post(reverse("outreach_campaigns:send_test"), fields)
    assert response.status_code == 200, response.content
    [message] = postmark_settings.messages
    assert message.recipients == ["outreach_admin@clinic.example"]
    assert message.fields["Subject"] == "Your visit on Wednesday, September 30"
    assert not Campaign.objects.exists()
    entry = ModelLogEntry.objects.get(action="outreach.campaign.test_send")
    assert entry.object_id == str(admin_user_client.user.pk)  # no campaign yet: on the staff member's own log


@pytest.mark.parametrize(
    ("changes", "status", "says"),
    [
        ({"channel": "sms", "phone": ""}, 400, "Type the mobile number"),
        ({"channel": "sms", "phone": "12345"}, 400, "phone"),
        ({"channel": "email"}, 400, "does not send by Email"),
        ({"channel": "sms", "phone": "+12035550177", "sms_body": "Hi {{ diagnosis }}"}, 400, "Unknown variable"),
        ({"channel": "pigeon"}, 400, "channel"),
    ],
)
def test_a_test_that_cannot_be_sent_says_why_and_sends_nothing(
    admin_user_client, world, twilio_settings, changes, status, says
):
    response = admin_user_client.post(
        reverse("outreach_campaigns:send_test"), editor_step_fields(world["step"], **changes)
    )
    assert response.status_code == status
    assert says in str(response.json())
    assert twilio_settings.messages == []


def test_a_marketing_editor_cannot_test_a_care_step(client, users, world, twilio_settings):
    client.force_login(users["marketing_editor"])
    fields = editor_step_fields(world["step"], campaign="", channel="sms", phone="+12035550177")
    response = client.post(
        reverse("outreach_campaigns:send_test"), fields, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 403
    assert twilio_settings.messages == []


def test_preview_uses_the_clinic_settings_and_the_neutral_sms_link(admin_user_client, settings):
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name, clinic.phone, clinic.booking_url = "Harbor Clinic", "(203) 555-0142", ""
    clinic.save()
    data = admin_user_client.post(
        reverse("outreach_campaigns:preview"),
        {
            "purpose": "education",
            "send_sms": "on",
            "sms_body": "{{ clinic_name }} ({{ clinic_phone }}): reading for you {{ article_links }} "
            "Book: {{ booking_url }} Reply STOP to opt out.",
        },
    ).json()
    body = data["sms"]["body"]
    assert body.startswith("Harbor Clinic ((203) 555-0142): reading for you " + settings.PUBLIC_BASE_URL + "/r/")
    assert "clinic.example" not in body and "Ketamine Center" not in body
    assert data["warnings"] == ["{{ booking_url }} is empty: set the clinic's booking URL in Settings > Clinic."]
