import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outreach.engine.planner import consultation_changed, plan_due
from outreach.models import Consultation, MessageStatus, OutboundMessage
from tests.outreach.factories import make_campaign, make_consultation, make_contact

pytestmark = pytest.mark.django_db


def test_plans_a_row_per_channel_when_the_step_comes_due():
    make_campaign(steps=[{"send_sms": True, "send_email": True}])
    consultation = make_consultation(in_hours=24.1)  # due in 6 minutes: inside the plan-ahead window
    assert plan_due() == 2
    rows = OutboundMessage.objects.filter(consultation=consultation)
    assert {row.channel for row in rows} == {"sms", "email"}
    row = rows.get(channel="sms")
    assert row.due_at == consultation.starts_at - datetime.timedelta(hours=24)
    assert row.scheduled_for == row.due_at
    assert row.not_after == row.due_at + datetime.timedelta(hours=2)
    assert row.status == MessageStatus.SCHEDULED


def test_planning_twice_makes_no_second_row():
    make_campaign()
    make_consultation(in_hours=24.1)
    assert plan_due() == 1
    assert plan_due() == 0
    assert OutboundMessage.objects.count() == 1


def test_not_planned_yet_when_far_from_due():
    make_campaign()
    make_consultation(in_hours=72)
    assert plan_due() == 0


def test_no_row_for_a_channel_without_address_or_preference_or_for_inactive_campaigns():
    make_campaign(steps=[{"send_sms": True, "send_email": True}])
    make_campaign(active=False)
    make_consultation(make_contact(email=False), in_hours=24.1)
    make_consultation(make_contact(preferred_channels=["email"]), in_hours=24.1)
    rows = sorted(OutboundMessage.objects.values_list("channel", flat=True)) if plan_due() else []
    assert rows == ["email", "sms"]


@pytest.mark.parametrize("status", ["cancelled", "completed", "no_show", "reschedule_requested"])
def test_consultations_no_longer_expected_get_no_reminders(status):
    make_campaign()
    make_consultation(in_hours=24.1, status=status)
    assert plan_due() == 0


def test_a_step_missed_during_an_outage_is_planned_so_it_can_expire_visibly():
    make_campaign()
    make_consultation(in_hours=20)  # the 24 h reminder was due 4 h ago (beyond its 2 h lateness)
    assert plan_due() == 1
    row = OutboundMessage.objects.get()
    assert row.not_after < timezone.now()


def test_planner_queries_do_not_grow_with_consultations_outside_the_window():
    make_campaign()
    for _ in range(3):
        make_consultation(in_hours=24.1)
    with CaptureQueriesContext(connection) as small:
        plan_due()
    OutboundMessage.objects.all().delete()
    contact = make_contact()
    Consultation.objects.bulk_create(
        Consultation(external_id=f"far-{i}", contact=contact, starts_at=timezone.now() + datetime.timedelta(days=3 + i))
        for i in range(200)
    )
    with CaptureQueriesContext(connection) as large:
        assert plan_due() == 3
    assert len(large.captured_queries) == len(small.captured_queries)


def test_reschedule_cancels_old_rows_and_moving_back_revives_them():
    make_campaign()
    consultation = make_consultation(in_hours=24.1)
    plan_due()
    original = consultation.starts_at
    consultation.starts_at = original + datetime.timedelta(days=2)
    consultation.save()
    consultation_changed(consultation, previous_starts_at=original, previous_status="scheduled")
    row = OutboundMessage.objects.get()
    assert row.status == MessageStatus.CANCELLED
    assert row.error_message == "consultation rescheduled"

    consultation.starts_at = original
    consultation.save()
    consultation_changed(
        consultation, previous_starts_at=original + datetime.timedelta(days=2), previous_status="scheduled"
    )
    row.refresh_from_db()
    assert row.status == MessageStatus.SCHEDULED


def test_cancelling_cancels_every_unsent_reminder():
    make_campaign(steps=[{"send_email": True}])
    consultation = make_consultation(in_hours=24.1)
    plan_due()
    consultation.status = "cancelled"
    consultation.save()
    consultation_changed(consultation, previous_starts_at=consultation.starts_at, previous_status="scheduled")
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {MessageStatus.CANCELLED}


def test_the_planner_and_the_admin_preview_agree_on_which_rows_every_kind_of_contact_gets():
    from outreach.engine.planner import rows_for

    step = make_campaign(steps=[{"send_sms": True, "send_email": True}]).steps.get()
    kinds = [
        {},
        {"phone": False},
        {"email": False},
        {"preferred_channels": ["email"]},
        {"preferred_channels": ["sms"]},
        {"preferred_channels": []},
        {"sms": False, "email_consent": False},  # consent is a send-time rule: planned all the same
    ]
    consultations = [make_consultation(make_contact(**kind), in_hours=24.1) for kind in kinds]
    plan_due()
    planned = set(OutboundMessage.objects.values_list("consultation_id", "channel", "due_at", "not_after"))
    preview = {
        (c.pk, row.channel, row.due_at, row.not_after)
        for c in consultations
        for row in rows_for(step, c, due_at=c.starts_at - step.offset)
    }
    assert planned == preview
    assert {(c, ch) for c, ch, _d, _n in planned} >= {(consultations[0].pk, "sms"), (consultations[0].pk, "email")}


def test_a_tick_over_a_window_already_planned_reads_no_consultation():
    from outreach.engine.planner import unplanned

    step = make_campaign(steps=[{"send_sms": True, "send_email": True}]).steps.get()
    for _ in range(3):
        make_consultation(in_hours=24.1)
    make_consultation(make_contact(email=False), in_hours=24.1)  # no email address: nothing to plan for it
    assert len(unplanned(step, Consultation.objects.all())) == 4
    assert plan_due() == 7
    assert unplanned(step, Consultation.objects.all()) == []
    assert plan_due() == 0
