"""The gate: one decision for every outbound message, now (the worker, one-off messages) or at a future moment
(forecasts), and the worker's re-check after its pacing wait."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from outreach.consent import ledger
from outreach.engine import gate, local_time, pacing
from outreach.engine.dispatch import claim_due
from outreach.engine.planner import plan_due
from outreach.engine.sending import send_message
from outreach.models import (
    Campaign,
    Channel,
    ConsentRecord,
    Consultation,
    MessageStatus,
    OutboundMessage,
    Purpose,
    Suppression,
)
from tests.outreach.factories import at_local, make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone

Skip = OutboundMessage.SkipReason
NY = "America/New_York"
MINUTES = datetime.timedelta(minutes=1)
HOURS = datetime.timedelta(hours=1)


def facts(**values):
    base = {"kind": gate.Kind.KEYWORD_ANSWER, "channel": Channel.SMS, "address": "+12035550100"}
    return gate.Facts(**{**base, **values})


NOW = datetime.datetime(2026, 12, 1, 15, 0, tzinfo=datetime.UTC)  # 10:00 AM in New York


# -- The decision, as a pure function ------------------------------------------------------------------------------


def test_a_crisis_answer_always_goes_whatever_else_holds():
    worst = facts(
        kind=gate.Kind.CRISIS_ANSWER,
        reachable=False,
        country_allowed=False,
        suppression=Suppression.Reason.ERASED,
        opted_out=True,
        consent=False,
    )
    assert gate.decide(worst, NOW).sends


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"address": None}, Skip.NO_ADDRESS),
        ({"reachable": False}, Skip.UNREACHABLE),
        ({"country_allowed": False}, Skip.COUNTRY),
        ({"opted_out": True}, Skip.NO_CONSENT),
        ({"suppression": Suppression.Reason.OPTED_OUT}, Skip.SUPPRESSED),
        ({"suppression": Suppression.Reason.HARD_BOUNCE}, Skip.SUPPRESSED),
    ],
)
@pytest.mark.parametrize("kind", [gate.Kind.KEYWORD_ANSWER, gate.Kind.STAFF_REPLY, gate.Kind.TEST])
def test_one_off_messages_stop_at_each_rule(kind, values, reason):
    decision = gate.decide(facts(kind=kind, **values), NOW)
    assert (decision.verdict, decision.reason) == (gate.SKIP, reason)
    assert decision.words.startswith("skipped: ")


def test_the_opt_out_confirmation_and_help_pass_the_opt_out_but_nothing_else_does():
    for kind in (gate.Kind.OPT_OUT_ANSWER, gate.Kind.HELP_ANSWER):
        assert gate.decide(facts(kind=kind, opted_out=True, suppression="opted_out"), NOW).sends
        assert not gate.decide(facts(kind=kind, suppression=Suppression.Reason.ERASED), NOW).sends
        assert not gate.decide(facts(kind=kind, country_allowed=False), NOW).sends


def test_a_confirmation_needs_a_pending_request_and_no_opt_out():
    assert gate.decide(facts(kind=gate.Kind.CONFIRMATION, pending_request=True), NOW).sends
    assert gate.decide(facts(kind=gate.Kind.CONFIRMATION), NOW).reason == gate.NO_REQUEST
    assert not gate.decide(facts(kind=gate.Kind.CONFIRMATION, pending_request=True, opted_out=True), NOW).sends
    opted = facts(kind=gate.Kind.CONFIRMATION, pending_request=True, suppression=Suppression.Reason.OPTED_OUT)
    assert gate.decide(opted, NOW).reason == Skip.SUPPRESSED


def test_answers_are_not_held_by_quiet_hours():
    night = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)  # 3 AM in New York
    import zoneinfo

    for kind in (gate.Kind.KEYWORD_ANSWER, gate.Kind.STAFF_REPLY, gate.Kind.CONFIRMATION, gate.Kind.TEST):
        decision = gate.decide(facts(kind=kind, zone=zoneinfo.ZoneInfo(NY), pending_request=True), night)
        assert decision.sends, kind


def test_caps_count_the_local_day_and_the_last_seven_days():
    import zoneinfo

    zone = zoneinfo.ZoneInfo(NY)
    at = NOW
    assert gate.over_cap(at, zone, (1, 3), ()) is None
    assert gate.over_cap(at, zone, (1, 3), (at - HOURS,)) == (1, "per day")
    # 11 PM yesterday in New York is another local day.
    assert gate.over_cap(at, zone, (1, 3), (at - 12 * HOURS,)) is None
    week = (at - datetime.timedelta(days=2), at - datetime.timedelta(days=3), at - datetime.timedelta(days=6))
    assert gate.over_cap(at, zone, (1, 3), week) == (3, "per 7 days")
    assert gate.over_cap(at, zone, (1, 3), tuple(t - datetime.timedelta(days=2) for t in week)) is None


def test_sms_countries_come_from_the_setting():
    assert gate.sms_country_allowed("+12035550100")
    assert gate.sms_country_allowed("+14165550100")  # Toronto
    assert not gate.sms_country_allowed("+442071838750")  # London
    assert not gate.sms_country_allowed("not a number")
    with override_settings(OUTREACH_SMS_ALLOWED_COUNTRIES=["GB"]):
        assert gate.sms_country_allowed("+442071838750")


# -- Forecasts: the same decision at the moment a step falls due ---------------------------------------------------


def step_forecast(consultation, name, now, channel=Channel.SMS):
    return next(f for f in gate.forecast(consultation, now) if f.step.name == name and f.channel == channel)


@pytest.mark.django_db
def test_a_two_hour_reminder_of_a_9_am_visit_will_expire_and_says_why():
    make_campaign(steps=[{"name": "2 hours before", "offset": 2 * HOURS, "max_lateness": 45 * MINUTES}])
    contact = make_contact(time_zone=NY)
    consultation = make_consultation(contact, starts_at=at_local(9, zone=NY, days=3))
    now = timezone.now()
    forecast = step_forecast(consultation, "2 hours before", now)
    assert forecast.due_at == consultation.starts_at - 2 * HOURS
    assert forecast.decision.verdict == gate.EXPIRE
    assert forecast.decision.words == "will expire: quiet hours last until 8:00 AM and the step allows 45 minutes"
    assert forecast.message is None


@pytest.mark.django_db
def test_a_reminder_due_at_night_will_send_when_the_window_opens_in_the_patients_zone():
    make_campaign(steps=[{"name": "24 hours before", "offset": 24 * HOURS, "max_lateness": 3 * HOURS}])
    contact = make_contact(time_zone="America/Chicago")
    consultation = make_consultation(contact, starts_at=at_local(7, zone="America/Chicago", days=3))
    now = timezone.now()
    decision = step_forecast(consultation, "24 hours before", now).decision
    opening = at_local(8, zone="America/Chicago", days=2)
    assert (decision.verdict, decision.at) == (gate.SEND, opening)
    assert decision.words == f"will send at {local_time.patient_time(opening, contact.zone, now)}"
    assert decision.words.startswith("will send at 8:00 AM C")
    assert "(patient's time, America/Chicago)" in decision.words


@pytest.mark.django_db
def test_no_consent_and_no_address_are_said_per_channel():
    make_campaign(steps=[{"name": "day before", "send_email": True}])
    contact = make_contact(time_zone=NY, sms=False, email=False)
    consultation = make_consultation(contact, starts_at=at_local(12, zone=NY, days=3))
    now = timezone.now()
    assert step_forecast(consultation, "day before", now).decision.words == "skipped: no SMS consent"
    email = step_forecast(consultation, "day before", now, Channel.EMAIL).decision
    assert (email.reason, email.words) == (Skip.NO_ADDRESS, "skipped: no email address")


@pytest.mark.django_db
def test_a_second_text_the_same_local_day_is_forecast_as_capped():
    make_campaign(
        sms_per_day=1,
        steps=[{"name": "26 hours", "offset": 26 * HOURS}, {"name": "24 hours", "offset": 24 * HOURS}],
    )
    consultation = make_consultation(make_contact(time_zone=NY), starts_at=at_local(20, zone=NY, days=3))
    now = timezone.now()
    assert step_forecast(consultation, "26 hours", now).decision.sends
    capped = step_forecast(consultation, "24 hours", now).decision
    assert (capped.verdict, capped.reason) == (gate.SKIP, Skip.FREQUENCY_CAP)
    assert capped.words == "skipped: frequency cap reached (1 text per day)"


@pytest.mark.django_db
def test_suppression_and_a_foreign_number_are_forecast():
    make_campaign(steps=[{"name": "day before"}])
    suppressed = make_contact(time_zone=NY)
    Suppression.add(Channel.SMS, str(suppressed.phone), Suppression.Reason.HARD_BOUNCE)
    abroad = make_contact(time_zone="Europe/London", phone="+442071838750")
    now = timezone.now()
    first = step_forecast(make_consultation(suppressed, starts_at=at_local(12, zone=NY, days=3)), "day before", now)
    second = step_forecast(make_consultation(abroad, starts_at=at_local(12, zone=NY, days=3)), "day before", now)
    assert first.decision.reason == Skip.SUPPRESSED
    assert second.decision.reason == Skip.COUNTRY


@pytest.mark.django_db
def test_a_visit_the_patient_asked_to_move_forecasts_no_reminder():
    make_campaign(steps=[{"name": "day before"}])
    consultation = make_consultation(
        make_contact(time_zone=NY),
        starts_at=at_local(12, zone=NY, days=3),
        status=Consultation.Status.RESCHEDULE_REQUESTED,
    )
    decision = step_forecast(consultation, "day before", timezone.now()).decision
    assert decision.verdict == gate.CANCEL
    assert decision.words == "cancelled: the visit is reschedule requested"


def run_worker_at(moment):
    plan_due(moment)
    for message_id in claim_due(moment):
        send_message(message_id, now=moment)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("hour", "zone", "sms_consent", "expected"),
    [
        (9, NY, True, MessageStatus.EXPIRED),  # quiet hours until 8:00, lateness 45 minutes from 7:00
        (11, NY, True, MessageStatus.SENT),
        (11, "America/Los_Angeles", False, MessageStatus.SKIPPED),
        (8, "Europe/Madrid", True, MessageStatus.EXPIRED),
    ],
)
def test_the_forecast_is_what_the_worker_then_does(hour, zone, sms_consent, expected):
    make_campaign(steps=[{"name": "2 hours before", "offset": 2 * HOURS, "max_lateness": 45 * MINUTES}])
    contact = make_contact(time_zone=zone, sms=sms_consent)
    consultation = make_consultation(contact, starts_at=at_local(hour, zone=zone, days=3))
    forecast = step_forecast(consultation, "2 hours before", timezone.now())
    # The worker at the due moment, then at each later moment the row is deferred to.
    moment = forecast.due_at
    for _ in range(3):
        run_worker_at(moment)
        row = OutboundMessage.objects.get()
        if row.status != MessageStatus.SCHEDULED:
            break
        moment = row.scheduled_for
    assert row.status == expected
    verdicts = {
        MessageStatus.SENT: gate.SEND,
        MessageStatus.EXPIRED: gate.EXPIRE,
        MessageStatus.SKIPPED: gate.SKIP,
    }
    assert forecast.decision.verdict == verdicts[expected]
    if expected == MessageStatus.SENT:
        assert abs(moment - forecast.decision.at) <= 2 * MINUTES  # the moment the worker sent it


@pytest.mark.django_db
def test_a_written_row_is_forecast_from_the_row():
    make_campaign(steps=[{"name": "day before"}])
    contact = make_contact(time_zone=daytime_zone())
    consultation = make_consultation(contact, in_hours=23.95)
    plan_due()
    (forecast,) = gate.forecast(consultation)
    assert forecast.message == OutboundMessage.objects.get()
    assert forecast.decision.sends
    run_worker_at(timezone.now())
    (forecast,) = gate.forecast(consultation)
    assert (forecast.decision.reason, forecast.decision.words[:8]) == (gate.SENT, "sent at ")


def window_setup(count):
    make_campaign(
        steps=[
            {"name": "day before", "offset": 24 * HOURS, "send_email": True},
            {"name": "after", "trigger": "after_completed", "offset": 2 * HOURS},
        ]
    )
    start = at_local(0, zone=NY, days=2)
    for index in range(count):
        contact = make_contact(time_zone=NY)
        make_consultation(contact, starts_at=start + datetime.timedelta(hours=24 + 9 + index % 10))
        make_consultation(
            contact,
            starts_at=start - HOURS,
            status=Consultation.Status.COMPLETED,
            completed_at=start + datetime.timedelta(hours=10 + index % 8),
        )
    return start, start + datetime.timedelta(days=1)


@pytest.mark.django_db
def test_the_agenda_costs_the_same_few_queries_for_any_number_of_messages():
    start, end = window_setup(3)
    with CaptureQueriesContext(connection) as few:
        small = list(gate.forecast_window(start, end))
    OutboundMessage.objects.all().delete()
    Consultation.objects.all().delete()
    Campaign.objects.all().delete()
    start, end = window_setup(12)
    with CaptureQueriesContext(connection) as many:
        large = list(gate.forecast_window(start, end))
    assert len(small) == 3 * 3 and len(large) == 12 * 3  # day-before SMS + email, follow-up SMS
    assert len(many.captured_queries) == len(few.captured_queries) <= 10


@pytest.mark.django_db
def test_the_agenda_shows_written_rows_once_and_in_the_order_they_go():
    start, end = window_setup(2)
    plan_due(start + datetime.timedelta(hours=9, minutes=30))  # writes the first reminders
    forecasts = list(gate.forecast_window(start, end))
    assert len(forecasts) == 6
    assert sum(f.message is not None for f in forecasts) >= 1
    keys = [(f.step.pk, f.consultation.pk, f.channel) for f in forecasts]
    assert len(set(keys)) == len(keys)
    assert all(f.contact is not None for f in forecasts)


# -- The worker asks again after its pacing wait -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("what", ["stop", "suppress", "cancel visit", "pause campaign"])
def test_a_change_that_lands_during_the_pacing_wait_stops_the_message(what, twilio_settings, monkeypatch):
    campaign = make_campaign(steps=[{"name": "day before"}])
    contact = make_contact(time_zone=daytime_zone())
    consultation = make_consultation(contact, in_hours=23.95)
    plan_due()
    (message_id,) = claim_due()

    def meanwhile(channel):
        if what == "stop":
            ledger.opt_out(contact, Channel.SMS, ConsentRecord.Source.KEYWORD, wording="STOP")
        elif what == "suppress":
            Suppression.add(Channel.SMS, str(contact.phone), Suppression.Reason.COMPLAINT)
        elif what == "cancel visit":
            Consultation.objects.filter(pk=consultation.pk).update(status=Consultation.Status.CANCELLED)
        else:
            type(campaign).objects.filter(pk=campaign.pk).update(active=False)
        return 0.0

    monkeypatch.setattr(pacing, "wait_for_spacing", meanwhile)
    send_message(message_id)
    row = OutboundMessage.objects.get()
    assert twilio_settings.messages == []
    assert row.provider_call_started_at is None and row.attempts == 0
    expected = {
        "stop": (MessageStatus.SKIPPED, Skip.NO_CONSENT),
        "suppress": (MessageStatus.SKIPPED, Skip.SUPPRESSED),
        "cancel visit": (MessageStatus.CANCELLED, ""),
        "pause campaign": (MessageStatus.SCHEDULED, ""),
    }[what]
    assert (row.status, row.skip_reason) == expected


@pytest.mark.django_db
def test_without_a_change_during_the_wait_the_message_goes(twilio_settings):
    make_campaign(steps=[{"name": "day before"}])
    make_consultation(make_contact(time_zone=daytime_zone()), in_hours=23.95)
    plan_due()
    (message_id,) = claim_due()
    assert send_message(message_id) == MessageStatus.SENT
    assert len(twilio_settings.messages) == 1


@pytest.mark.django_db
def test_one_off_checks_find_the_contact_holding_the_address():
    contact = make_contact(time_zone=NY)
    ledger.opt_out(contact, Channel.SMS, ConsentRecord.Source.KEYWORD, wording="STOP")
    decision = gate.check(kind=gate.Kind.STAFF_REPLY, channel=Channel.SMS, address=str(contact.phone))
    assert (decision.reason, decision.words) == (Skip.NO_CONSENT, "skipped: the patient opted out of texts")
    test = gate.check(kind=gate.Kind.TEST, channel=Channel.EMAIL, address=contact.email, purpose=Purpose.EDUCATION)
    assert test.reason == Skip.NO_CONSENT  # no education consent for email
    assert gate.check(kind=gate.Kind.TEST, channel=Channel.EMAIL, address="staff@example.com").sends
