"""Issue 14, section 3: a patient's own request sticks.

What the patient asked (confirm, reschedule) and what staff recorded outrank a booking-system export that merely
repeats the old state; a new time, or a status the booking system changed, is a real change. Around it: a
completed visit keeps its follow-up through edits that do not change its completion; pausing a campaign or
unticking a step's channel stops the rows already planned for it, and undoing that brings back those still useful.
"""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from outreach.admin.actions import set_consultation_status
from outreach.consent import ledger
from outreach.engine.planner import plan_due
from outreach.models import (
    ApiToken,
    Campaign,
    CampaignStep,
    Channel,
    ConsentRecord,
    Consultation,
    MessageStatus,
    OutboundMessage,
    Purpose,
)
from tests.outreach.campaign_forms import edit_form_data, step_fields
from tests.outreach.csv_helpers import local_iso, row, run_import, write_csv
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone, plan_and_send
from tests.support.inbound import configure, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
Status = Consultation.Status


@pytest.fixture(autouse=True)
def inbound(settings):
    configure(settings)


@pytest.fixture
def api_token():
    return ApiToken.issue("booking")[1]


def soon(hours=23.95):
    return local_iso(timezone.now() + datetime.timedelta(hours=hours))


def booking_row(**overrides):
    return row(**{"timezone": daytime_zone(), "starts_at": soon(), "sms_consent": "yes", **overrides})


def import_csv(tmp_path, line, name="export.csv"):
    code, out, err = run_import(write_csv(tmp_path / name, [line]))
    assert code == 0, out + err
    return out


def post_api(client, token, line):
    body = {**line, "sms_consent": True, "email_consent": False}
    response = client.post(
        "/api/outreach/v1/consultations/",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in (200, 201), response.content
    return response.json()


def sends_for(consultation):
    return OutboundMessage.objects.filter(consultation=consultation, provider_call_started_at__isnull=False)


# -- The patient's answer against a repeating export -----------------------------------------------------------


@pytest.mark.parametrize("repeated_status", ["scheduled", ""])
@pytest.mark.parametrize("door", ["csv", "api"])
def test_an_export_that_repeats_scheduled_does_not_undo_the_patients_reschedule_request(
    client, tmp_path, api_token, door, repeated_status
):
    make_campaign()
    line = booking_row(status=repeated_status)
    import_csv(tmp_path, line, "day1.csv")
    visit = Consultation.objects.get(external_id=line["external_id"])
    plan_due()
    text(client, "R", visit.contact.phone)
    if door == "csv":
        import_csv(tmp_path, line, "day2.csv")
    else:
        assert post_api(client, api_token, line)["status"] == "reschedule_requested"
    visit.refresh_from_db()
    assert visit.status == Status.RESCHEDULE_REQUESTED
    plan_and_send()
    assert not sends_for(visit).exists()


def test_an_export_that_repeats_scheduled_does_not_undo_a_confirmation(client, tmp_path):
    line = booking_row(status="scheduled")
    import_csv(tmp_path, line, "day1.csv")
    visit = Consultation.objects.get(external_id=line["external_id"])
    text(client, "C", visit.contact.phone)
    import_csv(tmp_path, line, "day2.csv")
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED


@pytest.mark.parametrize("staff_status", [Status.CANCELLED, Status.NO_SHOW, Status.COMPLETED])
def test_an_export_that_repeats_scheduled_does_not_undo_what_staff_recorded(tmp_path, admin_user, staff_status):
    make_campaign()
    line = booking_row(status="scheduled")
    import_csv(tmp_path, line, "day1.csv")
    visit = Consultation.objects.get(external_id=line["external_id"])
    plan_due()
    assert set_consultation_status(visit, staff_status, admin_user).ok
    import_csv(tmp_path, line, "day2.csv")
    visit.refresh_from_db()
    assert visit.status == staff_status
    plan_and_send()
    assert not sends_for(visit).filter(step__trigger=CampaignStep.Trigger.BEFORE_START).exists()


def test_a_new_time_from_the_booking_system_answers_the_reschedule_request(client, tmp_path):
    make_campaign()
    line = booking_row()
    import_csv(tmp_path, line, "day1.csv")
    visit = Consultation.objects.get(external_id=line["external_id"])
    plan_due()
    old_reminder = OutboundMessage.objects.get(consultation=visit)
    text(client, "R", visit.contact.phone)
    moved = {**line, "starts_at": soon(23.9)}  # the front desk found a new time
    import_csv(tmp_path, moved, "day2.csv")
    visit.refresh_from_db()
    assert visit.status == Status.SCHEDULED
    plan_and_send()
    sent = sends_for(visit).get()
    assert sent.consultation_starts_at == visit.starts_at and sent.pk != old_reminder.pk
    old_reminder.refresh_from_db()
    assert old_reminder.status == MessageStatus.CANCELLED


@pytest.mark.parametrize("door", ["csv", "api"])
def test_a_cancellation_from_the_booking_system_is_a_real_change(client, tmp_path, api_token, door):
    make_campaign()
    line = booking_row(status="scheduled")
    import_csv(tmp_path, line, "day1.csv")
    visit = Consultation.objects.get(external_id=line["external_id"])
    plan_due()
    text(client, "C", visit.contact.phone)
    cancelled = {**line, "status": "cancelled"}
    if door == "csv":
        import_csv(tmp_path, cancelled, "day2.csv")
    else:
        post_api(client, api_token, cancelled)
    visit.refresh_from_db()
    assert visit.status == Status.CANCELLED
    assert OutboundMessage.objects.get(consultation=visit).status == MessageStatus.CANCELLED
    # And the booking system reinstating it is a real change too.
    import_csv(tmp_path, {**line, "status": "scheduled"}, "day3.csv")
    visit.refresh_from_db()
    assert visit.status == Status.SCHEDULED
    assert OutboundMessage.objects.get(consultation=visit).status == MessageStatus.SCHEDULED


def test_the_api_reports_unchanged_for_an_export_that_only_repeats(client, api_token):
    line = booking_row(status="scheduled")
    post_api(client, api_token, line)
    visit = Consultation.objects.get(external_id=line["external_id"])
    text(client, "R", visit.contact.phone)
    assert post_api(client, api_token, line)["outcome"] == "unchanged"


# -- A completed visit keeps its follow-up -----------------------------------------------------------------------


FOLLOW_UP = {
    "trigger": CampaignStep.Trigger.AFTER_COMPLETED,
    "offset": datetime.timedelta(hours=1),
    "sms_body": "Hi {{ first_name }}, reading for you: {{ article_links }}",
    "max_lateness": datetime.timedelta(days=1),
}


def completed_visit_with_follow_up(tmp_path):
    make_campaign(name="Follow-up", purpose=Purpose.EDUCATION, steps=[FOLLOW_UP])
    line = booking_row(status="completed", starts_at=soon(-3))
    import_csv(tmp_path, line, "day1.csv")
    visit = Consultation.objects.get(external_id=line["external_id"])
    Consultation.objects.filter(pk=visit.pk).update(completed_at=timezone.now() - datetime.timedelta(hours=1.05))
    ledger.record_consent(
        visit.contact, Channel.SMS, Purpose.EDUCATION, True, ConsentRecord.Source.ADMIN, wording="Yes to articles"
    )
    plan_due()
    return line, visit, OutboundMessage.objects.get(consultation=visit)


def test_an_edit_to_a_completed_visit_that_keeps_it_completed_keeps_its_pending_follow_up(tmp_path):
    line, visit, follow_up = completed_visit_with_follow_up(tmp_path)
    assert follow_up.status == MessageStatus.SCHEDULED
    import_csv(tmp_path, {**line, "location": "Hamden office", "notes": "moved rooms"}, "day2.csv")
    follow_up.refresh_from_db()
    assert follow_up.status == MessageStatus.SCHEDULED


def test_a_corrected_time_on_a_completed_visit_keeps_one_follow_up(tmp_path):
    line, visit, follow_up = completed_visit_with_follow_up(tmp_path)
    import_csv(tmp_path, {**line, "starts_at": soon(-4)}, "day2.csv")
    plan_due()
    follow_up.refresh_from_db()
    assert follow_up.status == MessageStatus.SCHEDULED
    assert OutboundMessage.objects.filter(consultation=visit).count() == 1  # the planner made no second one


def test_reopening_a_completed_visit_cancels_its_follow_up_and_completing_it_again_brings_it_back(tmp_path):
    line, visit, follow_up = completed_visit_with_follow_up(tmp_path)
    import_csv(tmp_path, {**line, "status": "scheduled"}, "day2.csv")
    follow_up.refresh_from_db()
    assert follow_up.status == MessageStatus.CANCELLED
    import_csv(tmp_path, {**line, "status": "completed"}, "day3.csv")
    follow_up.refresh_from_db()
    assert follow_up.status == MessageStatus.SCHEDULED


# -- Pausing a campaign, unticking a channel --------------------------------------------------------------------


def planned_email_and_sms():
    campaign = make_campaign(steps=[{"send_email": True}])
    make_consultation(make_contact(time_zone=daytime_zone()), in_hours=23.95)
    plan_due()
    assert OutboundMessage.objects.filter(status=MessageStatus.SCHEDULED).count() == 2
    return campaign


def test_unticking_a_channel_in_the_admin_stops_the_rows_already_planned_for_it(admin_client):
    campaign = planned_email_and_sms()
    step = campaign.steps.get()
    edit = reverse("outreach_campaigns:edit", args=[campaign.pk])
    # The editor unticks email and clears its texts (today such a queued email went out with an empty subject).
    unticked = {**step_fields(step), "send_email": "", "email_subject": "", "email_text": "", "email_html": ""}
    data = edit_form_data(campaign, [unticked])
    response = admin_client.post(edit, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    email = OutboundMessage.objects.get(channel=Channel.EMAIL)
    assert email.status == MessageStatus.CANCELLED
    plan_and_send()
    assert not OutboundMessage.objects.filter(channel=Channel.EMAIL, provider_call_started_at__isnull=False).exists()
    assert OutboundMessage.objects.get(channel=Channel.SMS).status == MessageStatus.SENT


def test_ticking_the_channel_again_brings_back_the_rows_still_useful():
    campaign = planned_email_and_sms()
    CampaignStep.objects.filter(campaign=campaign).update(send_email=False)
    step = campaign.steps.get()
    step.save()
    assert OutboundMessage.objects.get(channel=Channel.EMAIL).status == MessageStatus.CANCELLED
    step.send_email = True
    step.save()
    assert OutboundMessage.objects.get(channel=Channel.EMAIL).status == MessageStatus.SCHEDULED


def test_pausing_a_campaign_stops_its_planned_rows_and_activating_it_brings_back_those_still_useful(admin_client):
    campaign = planned_email_and_sms()
    stale = OutboundMessage.objects.get(channel=Channel.EMAIL)
    response = admin_client.post(reverse("outreach_campaigns:pause", args=[campaign.pk]))
    assert response.status_code == 302
    assert set(OutboundMessage.objects.values_list("status", "error_message")) == {
        (MessageStatus.CANCELLED, "campaign paused")
    }
    plan_and_send()
    assert not OutboundMessage.objects.filter(provider_call_started_at__isnull=False).exists()
    OutboundMessage.objects.filter(pk=stale.pk).update(not_after=timezone.now() - datetime.timedelta(seconds=1))
    admin_client.post(reverse("outreach_campaigns:activate", args=[campaign.pk]))
    assert OutboundMessage.objects.get(channel=Channel.SMS).status == MessageStatus.SCHEDULED
    assert OutboundMessage.objects.get(pk=stale.pk).status == MessageStatus.CANCELLED
    assert Campaign.objects.get(pk=campaign.pk).active
