"""The forecast on a consultation's page and the agenda: the gate's words for each step, by day, filtered, exported,
and only for staff who can view consultations."""

import csv
import datetime
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.clinic import get_clinic_settings
from outreach.engine import gate
from outreach.models import CampaignStep, Channel, Consultation
from tests.outreach.factories import at_local, make_campaign, make_consultation, make_contact

pytestmark = pytest.mark.django_db
AGENDA = "/admin/outreach/agenda/"
# The forecast follows the planner's due moments (outreach/engine/timing.py) once gate.py uses them: the patch is in
# /work/notes/admin16-gate.patch (gate.py belongs to the gate helper). Until then these tests are expected to fail.
needs_gate_timing = pytest.mark.xfail(
    not hasattr(gate, "timing"), reason="gate.py does not use outreach.engine.timing yet", strict=True
)


@pytest.fixture
def agenda_world(db):
    settings = get_clinic_settings()
    settings.time_zone = "America/New_York"
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
    afternoon = make_consultation(
        make_contact(first_name="Noon", last_name="Day", time_zone="America/Los_Angeles"),
        starts_at=at_local(14, zone="America/Los_Angeles", days=4),
        external_id="V-NOON",
    )
    no_consent = make_consultation(
        make_contact(first_name="Quiet", last_name="One", sms=False), starts_at=at_local(15, days=3), external_id="V-NC"
    )  # three days ahead: her steps fall due at least a day after any hour the tests run (never "within a day",
    # never "already fell due" for a 2-day step)
    return {"campaign": campaign, "early": early, "afternoon": afternoon, "no_consent": no_consent}


def forecast_rows(client, consultation):
    html = client.get(reverse("outreach_consultations:inspect", args=[consultation.pk])).content.decode()
    return BeautifulSoup(html, "html.parser").get_text(" ")


def test_consultation_page_says_what_will_happen_to_each_step(admin_user_client, agenda_world):
    html = forecast_rows(admin_user_client, agenda_world["early"])
    assert "will expire: quiet hours last until 8:00 AM" in html and "45 minutes" in html
    assert "will send at 9:00 AM EST" in html  # the 24-hour reminder, the day before at 9:00 AM
    assert "Planned" not in html
    html = forecast_rows(admin_user_client, agenda_world["no_consent"])
    assert "skipped: no SMS consent" in html
    html = forecast_rows(admin_user_client, agenda_world["afternoon"])
    assert "will send at 12:00 PM PST" in html  # the patient's zone, labelled


@needs_gate_timing
def test_early_visit_with_the_window_opens_option_is_sent_when_the_window_opens(admin_user_client, agenda_world):
    step = agenda_world["campaign"].steps.get(name="2 hours before")
    step.outside_window = CampaignStep.OutsideWindow.WINDOW_OPENS
    step.save()
    html = forecast_rows(admin_user_client, agenda_world["early"])
    assert "will expire" not in html
    assert html.count("will send at 8:00 AM EST") == 1


def test_agenda_lists_every_message_of_the_next_days_by_clinic_day(admin_user_client, agenda_world):
    response = admin_user_client.get(AGENDA)
    assert response.status_code == 200
    html = BeautifulSoup(response.content.decode(), "html.parser").get_text(" ")
    assert "Bird" in html and "Day" in html and "One" in html
    assert "will expire: quiet hours last until 8:00 AM" in html
    assert "skipped: no SMS consent" in html
    assert "(clinic time, America/New_York)" in html and "(patient's time, America/Los_Angeles)" in html
    lines = response.context["agenda_days"]
    assert sum(len(day.lines) for day in lines) == 6  # three visits x two steps, none written to the outbox yet
    assert [day.day for day in lines] == sorted(day.day for day in lines)


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"outcome": "expire"}, 1),
        ({"outcome": "skip"}, 2),
        ({"outcome": "send"}, 3),
        ({"channel": "email"}, 0),
        ({"days": "1"}, 0),
    ],
)
def test_agenda_filters(admin_user_client, agenda_world, query, count):
    response = admin_user_client.get(AGENDA, query)
    assert response.status_code == 200
    assert response.context["count"] == count


def test_agenda_day_and_campaign_filters(admin_user_client, agenda_world):
    other = make_campaign(name="Other reminders", steps=[{"offset": datetime.timedelta(hours=30)}])
    assert admin_user_client.get(AGENDA, {"campaign": other.pk}).context["count"] == 3
    day = agenda_world["no_consent"].starts_at.astimezone(datetime.UTC).date()
    day = (
        (agenda_world["no_consent"].starts_at - datetime.timedelta(hours=2))
        .astimezone(get_clinic_settings().tzinfo)
        .date()
    )
    response = admin_user_client.get(AGENDA, {"day": day.isoformat(), "campaign": agenda_world["campaign"].pk})
    assert response.context["count"] >= 1
    assert {
        line.when.astimezone(get_clinic_settings().tzinfo).date()
        for d in response.context["agenda_days"]
        for line in d.lines
    } == {day}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"days": "many"}, "Days ahead"),
        ({"days": "400"}, "Days ahead"),
        ({"campaign": "x"}, "Campaign"),
        ({"outcome": "boom"}, "Outcome"),
        ({"day": "1999-01-01"}, "Day"),
    ],
)
def test_agenda_refuses_bad_filters_naming_the_field(admin_user_client, agenda_world, query, field):
    response = admin_user_client.get(AGENDA, query)
    assert response.status_code == 200
    assert f"{field}:" in response.content.decode()
    response = admin_user_client.get(AGENDA, {**query, "export": "csv"})
    assert response.status_code == 400


def test_agenda_export_is_the_filtered_list_and_is_audited(admin_user_client, agenda_world):
    response = admin_user_client.get(AGENDA, {"outcome": "skip", "export": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 2
    assert {row["what will happen"] for row in rows} == {"skipped: no SMS consent"}
    assert rows[0]["patient"] == "Quiet One" and rows[0]["consultation"] == "V-NC"
    assert rows[0]["when (UTC)"] and rows[0]["patient's zone"] == "America/New_York"
    entry = ModelLogEntry.objects.filter(action="outreach.list.export").latest("timestamp")
    assert entry.data["list"] == "agenda" and entry.data["rows"] == 2


@pytest.mark.parametrize("role", ["marketing_editor", "clinical_reviewer", "plain_staff"])
def test_agenda_is_for_staff_who_can_view_consultations(client, users, agenda_world, role):
    client.force_login(users[role])
    response = client.get(AGENDA)
    assert response.status_code == 302  # to the dashboard with an error, or to the login for no admin access
    assert client.get(AGENDA, {"export": "csv"}).status_code == 302
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert AGENDA not in home


def test_agenda_is_in_the_outreach_menu(admin_user_client, agenda_world):
    assert AGENDA in admin_user_client.get(reverse("wagtailadmin_home")).content.decode()


def test_agenda_includes_rows_already_in_the_outbox_once(admin_user_client, agenda_world):
    from outreach.engine.planner import plan_due

    consultation = make_consultation(make_contact(), in_hours=24.1, external_id="V-SOON")
    plan_due()
    assert consultation.messages.count() == 1
    response = admin_user_client.get(AGENDA)
    soon = [
        line
        for day in response.context["agenda_days"]
        for line in day.lines
        if line.consultation and line.consultation.external_id == "V-SOON"
    ]
    assert len(soon) == 2 and sum(1 for line in soon if line.message is not None) == 1
    assert Consultation.objects.count() == 4 and Channel.SMS
    assert timezone.now()


def test_agenda_costs_the_same_number_of_queries_for_more_visits(admin_user_client, agenda_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_user_client.get(AGENDA).status_code == 200
        return len(queries)

    few = count()
    for n in range(15):
        make_consultation(make_contact(), starts_at=at_local(11, days=2 + n % 4), external_id=f"V-MORE-{n}")
    assert count() == few
