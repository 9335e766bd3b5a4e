"""Safe campaign changes: a save or an activation that would message patients says how many and when and asks;
steps that fell due before the change are never sent unless chosen (Campaign.plan_from, enforced by the planner)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from outreach.engine.planner import plan_due
from outreach.models import Campaign, OutboundMessage
from tests.outreach.admin.test_forecast_screens import needs_gate_timing
from tests.outreach.campaign_forms import edit_form_data, step_fields
from tests.outreach.factories import CARE_SMS, make_campaign, make_consultation, make_contact

pytestmark = pytest.mark.django_db
EARLY_STEP = {
    "id": "",
    "name": "2 days before",
    "trigger": "before_start",
    "offset": "2 days",
    "max_lateness": "1 day",
    "send_sms": "on",
    "sms_body": CARE_SMS,
}


def text(response):
    return " ".join(BeautifulSoup(response.content.decode(), "html.parser").get_text(" ").split())


@pytest.fixture
def live_campaign(db):
    campaign = make_campaign(name="Visit reminders", active=True)
    # Its 24-hour step is 6 hours away; an added 2-day step would have fallen due 18 hours ago.
    visit = make_consultation(make_contact(first_name="Ana"), in_hours=30, external_id="V-30")
    return campaign, visit


def post_edit(client, campaign, steps, **extra):
    data = edit_form_data(campaign, steps)
    data.update(extra)
    return client.post(reverse("outreach_campaigns:edit", args=[campaign.pk]), data)


def test_adding_a_step_already_due_asks_and_saves_nothing_yet(admin_user_client, live_campaign):
    campaign, _visit = live_campaign
    response = post_edit(admin_user_client, campaign, [step_fields(campaign.steps.get()), EARLY_STEP])
    assert response.status_code == 200
    page = text(response)
    assert "This change would send messages" in page
    assert "1 patient has steps that already fell due (1 message), not sent unless you choose to" in page
    assert campaign.steps.count() == 1  # nothing saved
    assert OutboundMessage.objects.count() == 0


def test_confirmed_without_backfill_the_overdue_step_is_never_sent(admin_user_client, live_campaign):
    campaign, visit = live_campaign
    before = timezone.now()
    response = post_edit(
        admin_user_client,
        campaign,
        [step_fields(campaign.steps.get()), EARLY_STEP],
        change_confirmed="1",
        overdue_steps="skip",
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.steps.count() == 2 and campaign.plan_from >= before
    plan_due()
    assert not OutboundMessage.objects.filter(step__name="2 days before").exists()


@needs_gate_timing
def test_the_forecast_says_a_step_due_before_activation_will_not_send(admin_user_client, live_campaign):
    campaign, visit = live_campaign
    post_edit(
        admin_user_client,
        campaign,
        [step_fields(campaign.steps.get()), EARLY_STEP],
        change_confirmed="1",
        overdue_steps="skip",
    )
    page = text(admin_user_client.get(reverse("outreach_consultations:inspect", args=[visit.pk])))
    assert "will not send: fell due before the campaign was activated" in page


def test_confirmed_with_backfill_the_overdue_step_is_planned(admin_user_client, live_campaign):
    campaign, visit = live_campaign
    response = post_edit(
        admin_user_client,
        campaign,
        [step_fields(campaign.steps.get()), EARLY_STEP],
        change_confirmed="1",
        overdue_steps="send",
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.plan_from is None
    plan_due()
    assert OutboundMessage.objects.filter(step__name="2 days before", consultation=visit).count() == 1


def test_a_change_that_sends_nothing_new_is_saved_without_asking(admin_user_client, live_campaign):
    campaign, _visit = live_campaign
    fields = {**step_fields(campaign.steps.get()), "sms_body": CARE_SMS.replace("a reminder", "a friendly reminder")}
    assert post_edit(admin_user_client, campaign, [fields]).status_code == 302
    assert "friendly" in campaign.steps.get().sms_body


def test_a_new_active_campaign_says_who_would_be_messaged_and_when(admin_user_client, live_campaign):
    campaign, _visit = live_campaign
    make_consultation(make_contact(first_name="Bo"), in_hours=50)
    data = edit_form_data(Campaign(name="Second reminders", purpose="care", active=True), [EARLY_STEP])
    response = admin_user_client.post(reverse("outreach_campaigns:add"), data)
    assert response.status_code == 200
    page = text(response)
    assert "1 patient would be messaged in the next 7 days (1 message)" in page  # Bo: due in 2 hours
    assert "1 patient has steps that already fell due" in page  # Ana: due 18 hours ago
    assert not Campaign.objects.filter(name="Second reminders").exists()
    data.update(change_confirmed="1", overdue_steps="skip")
    assert admin_user_client.post(reverse("outreach_campaigns:add"), data).status_code == 302
    assert Campaign.objects.get(name="Second reminders").plan_from is not None


def test_activating_shows_the_impact_and_records_the_choice(admin_user_client, live_campaign):
    paused = make_campaign(
        name="Paused reminders",
        active=False,
        steps=[{"offset": datetime.timedelta(days=2), "max_lateness": datetime.timedelta(days=1)}],
    )
    url = reverse("outreach_campaigns:activate", args=[paused.pk])
    response = admin_user_client.get(url)
    assert response.status_code == 200
    page = text(response)
    assert "Activate 'Paused reminders'?" in page and "1 patient has steps that already fell due" in page
    paused.refresh_from_db()
    assert not paused.active  # the look was rolled back
    assert admin_user_client.post(url, {"overdue_steps": "send"}).status_code == 302
    paused.refresh_from_db()
    assert paused.active and paused.plan_from is None
    entry = ModelLogEntry.objects.get(action="outreach.campaign.activate", object_id=str(paused.pk))
    assert entry.data["send_overdue_steps"] is True


def test_activating_refuses_an_unknown_choice(admin_user_client, live_campaign):
    paused = make_campaign(name="Paused", active=False)
    url = reverse("outreach_campaigns:activate", args=[paused.pk])
    response = admin_user_client.post(url, {"overdue_steps": "everything"})
    assert response.status_code == 302
    paused.refresh_from_db()
    assert not paused.active
