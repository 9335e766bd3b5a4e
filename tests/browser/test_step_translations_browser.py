"""Issue 20 in a real browser: an outreach admin adds a Spanish translation under a campaign step (Wagtail's nested
inline panel), saves it, and sees the campaign list stop naming the step as missing a translation."""

import pytest
from playwright.sync_api import expect

from outreach.models import StepTranslation
from tests.outreach.factories import make_campaign

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ES_SMS = (
    "{{ clinic_name }}: su visita es el {{ appointment_date }}, {{ appointment_time }}. Tel {{ clinic_phone }}. "
    "Responda PARAR para no recibir mensajes."
)


def test_add_a_spanish_translation_to_a_step(browser_page, make_staff, screenshot):
    make_staff("olivia", group="Outreach admins")
    campaign = make_campaign(name="Visit reminders", steps=[{"name": "The day before"}])
    page = browser_page
    log_in(page, "olivia")
    page.goto("/admin/outreach/campaigns/")
    expect(page.get_by_text("Español: The day before (SMS)")).to_be_visible()
    page.goto(f"/admin/outreach/campaigns/edit/{campaign.pk}/")
    page.get_by_role("button", name="Add translation").click()
    page.select_option("select[name=steps-0-translations-0-language]", "es")
    page.fill("textarea[name=steps-0-translations-0-sms_body]", ES_SMS.replace("PARAR", "NADA"))
    page.locator("button[type=submit]:has-text('Save')").first.click()
    expect(page.locator("body")).to_contain_text("A care text must say how to opt out in Español")
    page.fill("textarea[name=steps-0-translations-0-sms_body]", ES_SMS)
    screenshot(page, "20-step-translation")
    page.locator("button[type=submit]:has-text('Save')").first.click()
    expect(page.locator(".messages")).to_contain_text("updated")
    assert StepTranslation.objects.get(step__campaign=campaign).sms_body == ES_SMS
    page.goto("/admin/outreach/campaigns/")
    expect(page.get_by_text("Español: The day before (SMS)")).to_have_count(0)
