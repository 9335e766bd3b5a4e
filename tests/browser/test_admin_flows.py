"""A new outreach admin, in a real browser: log in, set up reminders with a live preview, import visits and see
their reminders, and put a failed message back in the queue."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from outreach.models import Campaign, Consultation, InboundMessage, MessageStatus, OutboundMessage
from tests.outreach.factories import CARE_SMS, make_campaign, make_consultation, make_contact

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def seed_outbox(days=10):
    campaign = make_campaign(name="Visit reminders")
    step, contact = campaign.steps.get(), make_contact()
    now = timezone.now()
    statuses = [MessageStatus.DELIVERED] * 5 + [MessageStatus.SENT, MessageStatus.FAILED]
    for day in range(days):
        moment = now - datetime.timedelta(days=day)
        for index, status in enumerate(statuses[: 3 + (day * 3) % 5]):
            sent = status != MessageStatus.FAILED
            OutboundMessage.objects.create(
                step=step,
                contact=contact,
                channel="sms" if index % 3 else "email",
                status=status,
                due_at=moment - datetime.timedelta(seconds=index),
                scheduled_for=moment,
                not_after=moment,
                sent_at=moment if sent else None,
                failed_at=None if sent else moment,
            )


def test_log_in_and_see_the_dashboard(browser_page, make_staff, screenshot):
    make_staff("olivia", group="Outreach admins")
    seed_outbox()
    log_in(browser_page, "olivia")
    expect(browser_page.locator("[data-outreach-dashboard]")).to_be_visible()
    expect(browser_page.locator("[data-outreach-dashboard] svg").first).to_be_visible()
    screenshot(browser_page, "01-dashboard")


def test_create_a_campaign_with_a_step_and_preview_it(browser_page, make_staff, screenshot):
    make_staff("olivia", group="Outreach admins")
    page = browser_page
    log_in(page, "olivia")
    page.goto("/admin/outreach/campaigns/new/")
    page.fill("input[name=name]", "Visit reminders")
    page.select_option("select[name=purpose]", "care")
    page.fill("input[name=steps-0-name]", "The day before")
    page.fill("textarea[name=steps-0-sms_body]", CARE_SMS.replace("{{ first_name }}", "{{ first_name }} ketamine"))
    preview = page.locator("[data-outreach-preview='steps-0-']")
    expect(preview.locator("[data-preview-sms]")).to_contain_text("Hi Alexandra ketamine, a reminder of your visit")
    expect(preview.locator("[data-preview-count]")).to_contain_text(
        re.compile(r"\d+ characters, \d segments? \(GSM-7\)")
    )
    expect(preview.locator("[data-preview-sensitive]")).to_contain_text("ketamine")
    page.locator("textarea[name=steps-0-sms_body]").scroll_into_view_if_needed()
    page.mouse.wheel(0, 250)
    screenshot(page, "02-campaign-preview")
    page.fill("textarea[name=steps-0-sms_body]", CARE_SMS)
    expect(preview.locator("[data-preview-sensitive]")).to_have_count(0)
    page.locator("button[type=submit]:has-text('Create')").first.click()
    expect(page.locator(".messages")).to_contain_text("created")
    campaign = Campaign.objects.get(name="Visit reminders")
    assert campaign.steps.get().name == "The day before"
    page.goto(f"/admin/outreach/campaigns/edit/{campaign.pk}/")
    expect(page.locator("[data-outreach-preview='steps-0-'] [data-send-test]")).to_be_visible()
    screenshot(page, "03-campaign-edit")


def test_import_consultations_and_see_their_reminders(browser_page, make_staff, screenshot, tmp_path):
    make_staff("olivia", group="Outreach admins")
    make_campaign(name="Visit reminders", active=True)
    starts = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0).isoformat()
    csv_file = tmp_path / "visits.csv"
    csv_file.write_text(
        "external_id,first_name,last_name,phone,email,timezone,starts_at,sms_consent,email_consent\n"
        f"V-100,Ann,Lee,+12035550131,ann@example.com,America/New_York,{starts},yes,yes\n"
        f"V-101,Bo,Kim,12345,bo@example.com,America/New_York,{starts},yes,no\n"
    )
    page = browser_page
    log_in(page, "olivia")
    page.goto("/admin/outreach/consultations/")
    page.click("text=Import CSV")
    page.set_input_files("input[name=file]", str(csv_file))
    page.click("button:has-text('Upload')")
    report = page.locator("[data-import-report]")
    expect(report.locator("[data-count=created]")).to_have_text("1")
    expect(report.locator("[data-count=rejected]")).to_have_text("1")
    expect(page.locator("[data-import-errors]")).to_contain_text("line 3: phone")
    screenshot(page, "04-import-report")
    page.click("text=See the consultations and their reminders")
    page.click("a:has-text('V-100')")
    reminders = page.locator("[data-reminders]")
    expect(reminders).to_contain_text("Visit reminders / step 0")
    # The forecast in words (the visit is 3 days ahead at this time of day: sent, or held by the sending window).
    expect(reminders.locator("[data-forecast-words]")).to_contain_text(re.compile(r"will send at|will expire"))
    screenshot(page, "05-consultation-reminders")
    assert Consultation.objects.filter(external_id="V-100").exists()


def test_retry_a_failed_message(browser_page, make_staff, screenshot):
    make_staff("olivia", group="Outreach admins")
    campaign = make_campaign(name="Visit reminders")
    consultation = make_consultation(make_contact(first_name="Dana"), in_hours=30)
    now = timezone.now()
    row = OutboundMessage.objects.create(
        step=campaign.steps.get(),
        consultation=consultation,
        consultation_starts_at=consultation.starts_at,
        contact=consultation.contact,
        channel="sms",
        status=MessageStatus.FAILED,
        due_at=now,
        scheduled_for=now,
        not_after=now + datetime.timedelta(hours=2),
        error_code="30003",
        error_message="Unreachable destination handset",
        failed_at=now,
    )
    page = browser_page
    log_in(page, "olivia")
    page.goto("/admin/outreach/outbox/?status=failed")
    expect(page.locator("table.listing")).to_contain_text("30003 Unreachable destination handset")
    screenshot(page, "06-outbox-failed")
    page.click(f"a[href='/admin/outreach/outbox/inspect/{row.pk}/']")
    expect(page.locator("[data-error]")).to_contain_text("Unreachable destination handset")
    page.click("[data-action=retry]")
    expect(page.locator(".messages")).to_contain_text("scheduled to be sent again")
    expect(page.locator("[data-status]")).to_contain_text("Scheduled")
    screenshot(page, "07-outbox-retried")
    row.refresh_from_db()
    assert row.status == MessageStatus.SCHEDULED


def test_answer_a_patient_reply_from_the_inbox(browser_page, make_staff, screenshot):
    make_staff("olivia", group="Outreach admins")
    contact = make_contact(first_name="Dana")
    reply = InboundMessage.objects.create(
        contact=contact, from_number=str(contact.phone), body="Can I bring my partner?", provider_message_id="SM-1"
    )
    InboundMessage.objects.create(
        contact=contact,
        from_number=str(contact.phone),
        body="I don't want to be here anymore",
        provider_message_id="SM-2",
        urgent=True,
        kind=InboundMessage.Kind.CRISIS,
    )
    page = browser_page
    log_in(page, "olivia")
    page.goto("/admin/outreach/inbox/")
    first_row = page.locator("table.listing tbody tr").first
    expect(first_row).to_contain_text("Possible crisis")  # urgent first
    screenshot(page, "11-inbox")
    page.click(f"a[href='/admin/outreach/inbox/inspect/{reply.pk}/']")
    page.fill("textarea[name=body]", "Of course, see you then.")
    page.click("button:has-text('Send the answer')")
    expect(page.locator(".messages")).to_contain_text("Answer sent")
    expect(page.locator("[data-handled]")).to_contain_text("by olivia")
    screenshot(page, "12-inbox-answered")
    reply.refresh_from_db()
    assert reply.handled_by.username == "olivia"
