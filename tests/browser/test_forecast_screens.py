"""The forecast screens of issue 16, in Chromium, as the roles that use them, with screenshots and an axe audit.

- The front desk (group "Outreach admins"): a consultation's forecast in words; the agenda, filtered and exported.
- A clinic administrator ("Outreach admins" and "Clinic administrators"): a campaign change that would send steps
  already due is shown with who would be messaged and asks; activating a paused campaign asks the same.

axe runs on the page's <main> (the screens this project draws; Wagtail's own menu is Wagtail's).
"""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from cms.clinic import get_clinic_settings
from outreach.engine.planner import plan_due
from outreach.models import Campaign, OutboundMessage
from tests.outreach.factories import at_local, make_campaign, make_consultation, make_contact
from tests.support.accessibility import axe_audit

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
MAIN = "document.querySelector('main')"


@pytest.fixture
def audit(live_server, artifacts_dir):
    def run(page, name):
        return axe_audit(page, live_server.url, name, artifacts_dir, context=MAIN)

    return run


def clinic_world():
    settings = get_clinic_settings()
    settings.clinic_name, settings.phone, settings.time_zone = "Harbor Clinic", "(203) 555-0142", "America/New_York"
    settings.save()
    campaign = make_campaign(
        name="Visit reminders",
        steps=[
            {"name": "24 hours before", "offset": datetime.timedelta(hours=24)},
            {
                "name": "2 hours before",
                "offset": datetime.timedelta(hours=2),
                "max_lateness": datetime.timedelta(minutes=45),
            },
        ],
    )
    early = make_consultation(
        make_contact(first_name="Early", last_name="Bird"), starts_at=at_local(9, days=3), external_id="V-EARLY"
    )
    west = make_consultation(
        make_contact(first_name="Lee", last_name="West", time_zone="America/Los_Angeles"),
        starts_at=at_local(14, zone="America/Los_Angeles", days=4),
        external_id="V-WEST",
    )
    quiet = make_consultation(
        make_contact(first_name="Quiet", last_name="One", sms=False), starts_at=at_local(15, days=3), external_id="V-NC"
    )  # three days ahead: her steps fall due at least a day after any hour the tests run (never "within a day",
    # never "already fell due" for a 2-day step)
    return {"campaign": campaign, "early": early, "west": west, "quiet": quiet}


def test_front_desk_reads_the_forecast_and_the_agenda(browser_page, make_staff, screenshot, audit):
    make_staff("fran", group="Outreach admins")
    world = clinic_world()
    page = browser_page
    log_in(page, "fran")

    page.goto(reverse("outreach_consultations:inspect", args=[world["early"].pk]))
    two_hours = page.locator("[data-reminders] tr[data-step='2 hours before']")
    expect(two_hours.locator("[data-forecast-words]")).to_contain_text(
        "will expire: quiet hours last until 8:00 AM and the step allows 45 minutes"
    )
    expect(page.locator("[data-reminders] tr[data-step='24 hours before'] [data-forecast-words]")).to_contain_text(
        "will send at 9:00 AM EST"
    )
    screenshot(page, "40-consultation-forecast")
    audit(page, "consultation-forecast")

    page.goto(reverse("outreach_consultations:inspect", args=[world["quiet"].pk]))
    expect(page.locator("[data-reminders]")).to_contain_text("skipped: no SMS consent")

    # The agenda, from the Outreach menu.
    page.goto(reverse("wagtailadmin_home"))
    page.get_by_role("button", name="Outreach").click()
    page.get_by_role("link", name="Agenda").click()
    expect(page.locator("[data-agenda-line]")).to_have_count(6)
    expect(page.locator("main")).to_contain_text("(patient's time, America/Los_Angeles)")
    screenshot(page, "41-agenda")
    audit(page, "agenda")

    page.select_option("select[name=outcome]", "skip")
    page.click("[data-agenda-filters] button[type=submit]")
    expect(page.locator("[data-agenda-line]")).to_have_count(2)
    expect(page.locator("[data-agenda-line]").first).to_contain_text("Quiet One")
    screenshot(page, "42-agenda-filtered")
    audit(page, "agenda-filtered")

    with page.expect_download() as download:
        page.click("[data-agenda-export=csv]")
    rows = list(csv.DictReader(io.StringIO(open(download.value.path()).read())))
    assert [row["what will happen"] for row in rows] == ["skipped: no SMS consent"] * 2
    assert {row["consultation"] for row in rows} == {"V-NC"}

    page.fill("input[name=days]", "99")
    page.click("[data-agenda-filters] button[type=submit]")
    expect(page.locator("[data-agenda-errors]")).to_contain_text("Days ahead:")
    audit(page, "agenda-error")


def test_clinic_administrator_confirms_a_change_that_would_send(browser_page, make_staff, screenshot, audit):
    carla = make_staff("carla", group="Outreach admins")
    carla.groups.add(Group.objects.get(name="Clinic administrators"))
    world = clinic_world()
    campaign = world["campaign"]
    visit = make_consultation(make_contact(first_name="Ana", last_name="Soon"), in_hours=30, external_id="V-30")
    page = browser_page
    log_in(page, "carla")

    # Moving the 24-hour reminder to 2 days before: Ana's would have fallen due 18 hours ago.
    page.goto(reverse("outreach_campaigns:edit", args=[campaign.pk]))
    page.fill("input[name=steps-0-offset]", "2 days")
    page.fill("input[name=steps-0-max_lateness]", "1 day")
    page.locator("footer button[type=submit]").first.click()
    change = page.locator("[data-campaign-change]")
    expect(change).to_contain_text("1 patient has steps that already fell due")
    expect(change.locator("input[value=skip]")).to_be_checked()
    change.scroll_into_view_if_needed()
    screenshot(page, "43-campaign-change-confirmation")
    audit(page, "campaign-change-confirmation")
    assert campaign.steps.get(name="24 hours before").offset == datetime.timedelta(hours=24)  # not saved yet

    change.locator("[data-change-confirm]").click()
    expect(page.locator(".messages")).to_contain_text("updated")
    campaign.refresh_from_db()
    assert campaign.plan_from is not None
    assert campaign.steps.get(name="24 hours before").offset == datetime.timedelta(days=2)
    plan_due()
    assert not OutboundMessage.objects.filter(consultation=visit).exists()  # never backfilled

    # Activating a paused campaign asks the same question (an email step: the texts' daily cap is not in play).
    paused = make_campaign(
        name="Second reminders",
        active=False,
        steps=[
            {
                "offset": datetime.timedelta(days=2),
                "max_lateness": datetime.timedelta(days=1),
                "send_sms": False,
                "send_email": True,
            }
        ],
    )
    page.goto(reverse("outreach_campaigns:activate", args=[paused.pk]))
    expect(page.locator("[data-campaign-change]")).to_contain_text("Activate 'Second reminders'?")
    expect(page.locator("[data-campaign-change]")).to_contain_text("1 patient has steps that already fell due")
    screenshot(page, "44-campaign-activate-confirmation")
    audit(page, "campaign-activate")
    page.check("input[value=send]")
    page.click("[data-change-confirm]")
    expect(page.locator(".messages")).to_contain_text("is now active")
    paused.refresh_from_db()
    assert paused.active and paused.plan_from is None
    assert Campaign.objects.filter(active=True).count() == 2
