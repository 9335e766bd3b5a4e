"""Each Outreach screen of issue 16, in Chromium, as the role that uses it, with screenshots and an axe audit.

- The front desk (group "Outreach admins"): the dashboard's "needs action", times in the patient's zone, bulk
  actions, the contact page (pending subscriptions, the demo's simulated replies), suppression search, and an axe
  audit of every Outreach list and detail screen.
- A clinic administrator ("Outreach admins" and "Clinic administrators"): the campaign editor with durations in
  words, a test send of unsaved edits, the readable SMS preview.
- A marketing editor: the dashboard's counts (no patient screens) and an educational campaign's preview.

axe runs on the page's <main> (the screens this project draws; Wagtail's own menu is Wagtail's).
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cms.clinic import get_clinic_settings
from cms.models import Topic
from outreach.admin.contacts import CRISIS_SAMPLE
from outreach.followups.subscriptions import request_subscription
from outreach.models import (
    Consultation,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    Purpose,
    Suppression,
)
from tests.outreach.factories import CARE_SMS, make_campaign, make_consultation, make_contact
from tests.support.accessibility import axe_audit

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
MAIN = "document.querySelector('main')"


@pytest.fixture
def audit(live_server, artifacts_dir):
    def run(page, name):
        return axe_audit(page, live_server.url, name, artifacts_dir, context=MAIN)

    return run


def clinic(time_zone="America/New_York"):
    settings = get_clinic_settings()
    settings.clinic_name, settings.phone, settings.time_zone = "Harbor Clinic", "(203) 555-0142", time_zone
    settings.booking_url = "https://clinic.example/book/"
    settings.save()


def outbox_row(step, consultation, status, **fields):
    now = timezone.now()
    values = {"due_at": now, "scheduled_for": now, "not_after": now + datetime.timedelta(hours=2)}
    values.update(fields)
    return OutboundMessage.objects.create(
        step=step,
        consultation=consultation,
        consultation_starts_at=consultation.starts_at,
        contact=consultation.contact,
        channel="sms",
        status=status,
        **values,
    )


def front_desk_world():
    clinic()
    campaign = make_campaign(name="Visit reminders", active=True)
    step = campaign.steps.get()
    west = make_contact(first_name="Lee", last_name="West", time_zone="America/Los_Angeles")
    soon = make_consultation(west, in_hours=3, external_id="V-SOON")
    tomorrow = make_consultation(make_contact(first_name="Ana", last_name="East"), in_hours=26, external_id="V-TMRW")
    failed = outbox_row(step, soon, MessageStatus.FAILED, error_code="30003", error_message="Unreachable handset")
    outbox_row(
        step,
        tomorrow,
        MessageStatus.EXPIRED,
        error_message="quiet hours last past its maximum lateness",
        due_at=timezone.now() - datetime.timedelta(hours=1),
    )
    InboundMessage.objects.create(
        contact=west,
        from_number=str(west.phone),
        body=CRISIS_SAMPLE,
        provider_message_id="SM-crisis",
        kind=InboundMessage.Kind.CRISIS,
        urgent=True,
    )
    Suppression.add("sms", "+12035550188", Suppression.Reason.MANUAL)
    return {"soon": soon, "tomorrow": tomorrow, "failed": failed, "west": west}


def test_front_desk_sees_what_needs_action_and_true_times(browser_page, make_staff, screenshot, audit):
    make_staff("fran", group="Outreach admins")
    world = front_desk_world()
    page = browser_page
    log_in(page, "fran")

    actions = page.locator("[data-needs-action]")
    expect(actions.locator("[data-action-item=failed]")).to_have_text("1 failed or bounced message")
    expect(actions.locator("[data-action-item=expired]")).to_have_text("1 expired message")
    expect(actions.locator("[data-action-item=open-inbox]")).to_contain_text("(1 possible crisis)")
    expect(page.locator("[data-outcome=expired]")).to_contain_text("quiet hours last past its maximum lateness")
    screenshot(page, "20-dashboard-needs-action")
    audit(page, "dashboard")

    page.goto(reverse("outreach_consultations:index"))
    soon_row = page.locator("table.listing tbody tr", has_text="V-SOON")
    expect(soon_row).to_contain_text("(patient's time, America/Los_Angeles")
    expect(soon_row).to_contain_text(re.compile(r"in\s2\shours|in\s3\shours"))
    expect(page.locator("table.listing")).not_to_contain_text("Just now")
    screenshot(page, "21-consultations-times")
    audit(page, "consultations")

    page.locator("table.listing tbody tr", has_text="V-SOON").locator("a", has_text="V-SOON").first.click()
    local = world["soon"].starts_at.astimezone(world["west"].zone)
    expect(page.locator("[data-starts]")).to_contain_text(f"{local.strftime('%I').lstrip('0')}:{local:%M %p} P")
    screenshot(page, "22-consultation-detail")
    audit(page, "consultation-detail")

    # Bulk: cancel both visits from the list.
    page.goto(reverse("outreach_consultations:index"))
    for external_id in ("V-SOON", "V-TMRW"):
        page.locator("table.listing tbody tr", has_text=external_id).locator("input[data-bulk-action-checkbox]").check()
    page.locator("[data-bulk-action-footer] [data-bulk-action-button]:has-text('Mark cancelled')").click()
    expect(page.locator("[data-bulk-items] li")).to_have_count(2)
    screenshot(page, "23-bulk-cancel-confirm")
    audit(page, "bulk-confirm")
    page.click("[data-bulk-confirm]")
    expect(page.locator(".messages")).to_contain_text("2 consultations done")
    assert set(Consultation.objects.values_list("status", flat=True)) == {"cancelled"}

    # Bulk: retry every failed message of the filtered outbox.
    page.goto(reverse("outreach_outbox:index") + "?status=failed")
    page.locator("input[data-bulk-action-select-all-checkbox]").first.check()
    page.locator("[data-bulk-action-footer] [data-bulk-action-button]:has-text('Retry')").click()
    page.click("[data-bulk-confirm]")
    expect(page.locator(".messages")).to_contain_text("Retry: 1 message done")
    world["failed"].refresh_from_db()
    assert world["failed"].status == MessageStatus.SCHEDULED

    page.goto(reverse("outreach_suppressions:index") + "?q=" + "(203) 555-0188")
    expect(page.locator("table.listing tbody tr")).to_have_count(1)
    expect(page.locator("table.listing tbody")).to_contain_text("***0188")
    screenshot(page, "24-suppression-search")


def test_every_outreach_list_and_detail_passes_axe(browser_page, make_staff, audit):
    make_staff("fran", group="Outreach admins")
    world = front_desk_world()
    page = browser_page
    log_in(page, "fran")
    inbound = InboundMessage.objects.get()
    screens = {
        "contacts": reverse("outreach_contacts:index"),
        "outbox": reverse("outreach_outbox:index"),
        "outbox-detail": reverse("outreach_outbox:inspect", args=[world["failed"].pk]),
        "inbox": reverse("outreach_inbox:index"),
        "inbox-detail": reverse("outreach_inbox:inspect", args=[inbound.pk]),
        "consent-ledger": reverse("outreach_consent:index"),
        "suppressions": reverse("outreach_suppressions:index"),
        "tokens": reverse("outreach_tokens:index"),
        "campaigns": reverse("outreach_campaigns:index"),
        "import": reverse("outreach_consultations:import"),
        "record-consent": reverse("outreach_contacts:record_consent", args=[world["west"].pk]),
    }
    for name, url in screens.items():
        page.goto(url)
        expect(page.locator("main")).to_be_visible()
        audit(page, name)


def test_front_desk_follows_a_subscriber_and_simulated_replies(browser_page, make_staff, screenshot, audit):
    make_staff("fran", group="Outreach admins")
    clinic()
    make_campaign(name="Visit reminders", active=True)
    topic = Topic.objects.create(name="Chronic pain", slug="chronic-pain")
    # A patient the booking system knows, who then subscribes on the public site with both of their addresses.
    sam = make_contact(first_name="Sam", phone="+12035550177", email="sam@example.com")
    make_consultation(sam, in_hours=30, external_id="V-SAM")
    request_subscription(
        {
            "email": "sam@example.com",
            "phone": "+12035550177",
            "consent_wording": "Send me articles about chronic pain.",
            "topics": [topic],
        }
    )
    page = browser_page
    log_in(page, "fran")
    page.goto(reverse("outreach_contacts:inspect", args=[sam.pk]))
    education = page.locator("[data-consent='email-education']")
    expect(education).to_contain_text("requested, awaiting the patient's confirmation")
    expect(education).not_to_contain_text("granted")
    expect(page.locator("[data-subscription=chronic-pain]")).to_contain_text("pending: not confirmed yet")
    expect(page.locator("[data-demo-confirmation] a")).to_have_attribute("href", re.compile("/subscriptions/confirm/"))
    screenshot(page, "25-contact-subscription-pending")
    audit(page, "contact-detail")

    page.click("[data-sample-reply='YES']")
    expect(page.locator(".messages")).to_contain_text("The clinic's automatic answer")
    page.goto(reverse("outreach_contacts:inspect", args=[sam.pk]))
    expect(page.locator("[data-consent='sms-education']")).to_have_attribute("data-state", "granted")

    page.click("[data-sample-reply='C']")
    expect(page.locator(".messages")).to_contain_text("Confirmed a visit")
    assert Consultation.objects.get(external_id="V-SAM").status == Consultation.Status.CONFIRMED

    page.goto(reverse("outreach_contacts:inspect", args=[sam.pk]))
    page.click("[data-simulate-reply] button:has-text('A crisis text')")
    expect(page.locator(".messages")).to_contain_text("988")
    expect(page.locator("[role=alert]")).to_contain_text("Possible crisis")
    screenshot(page, "26-simulated-crisis-reply")
    audit(page, "inbox-crisis")

    page.goto(reverse("outreach_contacts:inspect", args=[sam.pk]))
    page.click("[data-sample-reply='STOP']")
    expect(page.locator(".messages")).to_contain_text("Opt-out keyword")
    page.goto(reverse("outreach_contacts:inspect", args=[sam.pk]))
    expect(page.locator("[data-consent='sms-care']")).to_contain_text("withdrawn (by the patient)")


def test_clinic_administrator_tests_an_unsaved_edit(browser_page, make_staff, screenshot, audit):
    admin = make_staff("carla", group="Outreach admins")
    admin.groups.add(*type(admin.groups.first()).objects.filter(name="Clinic administrators"))
    clinic()
    campaign = make_campaign(name="Visit reminders", active=True)
    step = campaign.steps.get()
    page = browser_page
    log_in(page, "carla")
    page.goto(reverse("outreach_campaigns:edit", args=[campaign.pk]))
    expect(page.locator("input[name=steps-0-offset]")).to_have_value("1 day")
    expect(page.locator("text=Sending window opens").first).to_be_visible()

    unsaved = CARE_SMS.replace("a reminder of your visit", "UNSAVED reminder of your visit")
    page.fill("textarea[name=steps-0-sms_body]", unsaved)
    preview = page.locator("[data-outreach-preview='steps-0-']")
    bubble = preview.locator("[data-preview-sms]")
    expect(bubble).to_contain_text("UNSAVED reminder of your visit at Harbor Clinic")
    expect(bubble).to_contain_text("(203) 555-0142")
    test = preview.locator("[data-send-test]")
    test.locator("[data-test-phone]").fill("(203) 555-0166")
    test.locator("[data-test-send]").click()
    expect(test.locator("[data-test-result]")).to_contain_text("Nothing was saved")
    step.refresh_from_db()
    assert "UNSAVED" not in step.sms_body  # the test did not make the edit live
    bubble.scroll_into_view_if_needed()
    screenshot(page, "27-campaign-test-of-unsaved-edit")
    audit(page, "campaign-edit")

    page.fill("input[name=steps-0-offset]", "1 day 2 hours")
    page.fill("input[name=steps-0-max_lateness]", "whenever")
    page.locator("button[type=submit]:has-text('Save')").first.click()
    expect(page.locator("main")).to_contain_text("Latest sending delay: write a duration in words")
    page.fill("input[name=steps-0-max_lateness]", "45 minutes")
    page.locator("button[type=submit]:has-text('Save')").first.click()
    expect(page.locator(".messages")).to_contain_text("updated")
    step.refresh_from_db()
    assert (step.offset, step.max_lateness) == (datetime.timedelta(hours=26), datetime.timedelta(minutes=45))
    assert "UNSAVED" in step.sms_body  # saved now, on purpose


def test_marketing_editor_sees_counts_and_previews_education(browser_page, make_staff, screenshot, audit):
    make_staff("mia", group="Marketing editors")
    world = front_desk_world()
    education = make_campaign(
        name="Article follow-ups",
        purpose=Purpose.EDUCATION,
        steps=[{"sms_body": "{{ clinic_name }}: new reading {{ article_links }} Reply STOP to opt out."}],
    )
    page = browser_page
    log_in(page, "mia")
    failed = page.locator("[data-action-item=failed]")
    expect(failed).to_have_text("1 failed or bounced message")
    expect(failed.locator("a")).to_have_count(0)  # counts only: no way into patient screens
    screenshot(page, "28-editor-dashboard")
    audit(page, "editor-dashboard")
    assert world["west"].first_name not in page.content()

    page.goto(reverse("outreach_campaigns:edit", args=[education.pk]))
    bubble = page.locator("[data-outreach-preview='steps-0-'] [data-preview-sms]")
    expect(bubble).to_contain_text(re.compile(r"Harbor Clinic: new reading http://[^ ]+/r/[^ ]+/ Reply STOP"))
    screenshot(page, "29-education-preview")
    audit(page, "education-campaign-edit")
