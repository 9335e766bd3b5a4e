import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command

from outreach.demo import DAYTIME_HOURS, DEMO_PATIENTS, demo_zone, seed_outreach
from outreach.engine.policy import next_allowed_moment
from outreach.engine.templating import validate_step, validate_translation
from outreach.models import Campaign, Consultation, Contact

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_reminder_campaign_once_with_valid_templates():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get(name="Consultation reminders")
    assert campaign.active
    steps = list(campaign.steps.all())
    assert [(s.name, s.send_sms, s.send_email) for s in steps] == [
        ("24 hours before", True, True),
        ("2 hours before", True, False),
    ]
    for step in steps:
        validate_step(step)
    assert Consultation.objects.filter(external_id__startswith="DEMO-").count() == 4
    assert Contact.objects.count() == 4
    assert Contact.objects.get(first_name="Sofía").language == "es"
    for contact in Contact.objects.all():
        assert str(contact.phone).startswith("+1203555010")
        assert contact.email is None or contact.email.endswith("@example.com")


def test_every_seeded_step_has_a_valid_spanish_translation():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    for campaign in Campaign.objects.all():
        assert campaign.missing_translations_label == "—", campaign.name
        for step in campaign.steps.all():
            [translation] = step.translations.all()
            assert translation.language == "es"
            validate_translation(translation, step)


def demo_visits():
    return {
        consultation.external_id: consultation
        for consultation in Consultation.objects.filter(external_id__startswith="DEMO-").select_related("contact")
    }


# Every half hour of a winter day and a summer day (UTC), so daylight saving on both sides is covered.
SEED_MOMENTS = [
    datetime.datetime(2026, month, 15, tzinfo=datetime.UTC) + datetime.timedelta(minutes=30 * index)
    for month in (1, 7)
    for index in range(48)
]


@pytest.mark.parametrize("now", SEED_MOMENTS[::7], ids=lambda moment: moment.strftime("%b-%H%M"))
def test_seeded_reminders_fall_due_within_minutes_in_the_patients_daytime(now):
    """`make run` at any hour: each demo reminder falls due when promised, inside the campaign's sending window in
    the patient's zone (so it is sent at once, neither deferred to the morning nor expired), and the visit is in the
    patient's day."""
    seed_outreach(io.StringIO(), now=now)
    campaign = Campaign.objects.get(name="Consultation reminders")
    steps = {step.name: step for step in campaign.steps.all()}
    visits = demo_visits()
    for external_id, _name, _phone, _email, _zone, step_name, minutes in DEMO_PATIENTS:
        visit = visits[external_id]
        zone = visit.contact.zone
        due_at = visit.starts_at - steps[step_name].offset
        assert (
            datetime.timedelta(0) <= due_at - now - datetime.timedelta(minutes=minutes) < datetime.timedelta(minutes=1)
        )
        start, end = campaign.quiet_hours_start, campaign.quiet_hours_end
        assert next_allowed_moment(due_at, zone, start, end) == due_at, f"{external_id} deferred at {now}"
        assert start <= visit.starts_at.astimezone(zone).time() < end, f"{external_id}'s visit at night ({now})"


@pytest.mark.parametrize("now", SEED_MOMENTS, ids=lambda moment: moment.strftime("%b-%H%M"))
def test_a_daytime_zone_is_found_at_every_hour(now):
    for *_rest, zone, _step, minutes in DEMO_PATIENTS:
        chosen = demo_zone(zone, now + datetime.timedelta(minutes=minutes))
        local = (now + datetime.timedelta(minutes=minutes)).astimezone(zoneinfo.ZoneInfo(chosen))
        assert local.hour in DAYTIME_HOURS


def test_the_preferred_zone_is_kept_when_it_is_daytime_there():
    now = datetime.datetime(2026, 1, 15, 15, 0, tzinfo=datetime.UTC)  # 10:00 in New York
    seed_outreach(io.StringIO(), now=now)
    assert {c.external_id: c.contact.time_zone for c in demo_visits().values()} == {
        "DEMO-1": "America/New_York",
        "DEMO-2": "America/Chicago",
        "DEMO-3": "America/Los_Angeles",
        "DEMO-4": "America/New_York",
    }
