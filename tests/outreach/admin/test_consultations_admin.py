"""Consultations: filters, planned reminders, marking the outcome, and the CSV import screen."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from outreach.models import Consultation, MessageStatus
from tests.outreach.factories import make_consultation

pytestmark = pytest.mark.django_db


def test_filter_by_status_and_date(admin_user_client, world):
    other = make_consultation(world["contact"], in_hours=24 * 10, status=Consultation.Status.CANCELLED)
    index = reverse("outreach_consultations:index")
    html = admin_user_client.get(index, {"status": "cancelled"}).content.decode()
    assert other.external_id in html and world["consultation"].external_id not in html
    day = (timezone.now() + datetime.timedelta(hours=48)).date().isoformat()
    html = admin_user_client.get(index, {"starts_at_from": day, "starts_at_to": day}).content.decode()
    assert world["consultation"].external_id in html and other.external_id not in html


def test_detail_lists_outbox_rows_and_planned_reminders(admin_user_client, world):
    consultation = make_consultation(world["contact"], in_hours=72)
    html = admin_user_client.get(reverse("outreach_consultations:inspect", args=[consultation.pk])).content.decode()
    assert "will send at" in html
    assert "Visit reminders / step 0" in html
    html = admin_user_client.get(
        reverse("outreach_consultations:inspect", args=[world["consultation"].pk])
    ).content.decode()
    assert "Failed" in html and "Unreachable destination handset" in html


@pytest.mark.parametrize(
    ("action", "status"),
    [("completed", "completed"), ("cancelled", "cancelled"), ("no_show", "no_show")],
)
def test_marking_cancels_reminders_and_is_audited(admin_user_client, world, action, status):
    consultation = world["consultation"]
    response = admin_user_client.post(reverse("outreach_consultations:set_status", args=[consultation.pk, action]))
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == status
    assert (consultation.completed_at is not None) is (status == "completed")
    world["scheduled"].refresh_from_db()
    assert world["scheduled"].status == MessageStatus.CANCELLED
    entry = ModelLogEntry.objects.get(action="outreach.consultation.status", object_id=str(consultation.pk))
    assert entry.user == admin_user_client.user and entry.data["status"] == status


def test_unknown_status_is_refused(admin_user_client, world):
    response = admin_user_client.post(
        reverse("outreach_consultations:set_status", args=[world["consultation"].pk, "confirmed"])
    )
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


HEADER = "external_id,first_name,last_name,phone,email,timezone,starts_at,sms_consent,email_consent\n"


def upload(client, text, dry_run=False):
    data = {"file": SimpleUploadedFile("visits.csv", text.encode(), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("outreach_consultations:import"), data)


def test_import_reports_per_line_errors(admin_user_client):
    starts = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    text = HEADER + (
        f"B-1,Ann,Lee,+12035550131,ann@example.com,America/New_York,{starts},yes,yes\n"
        f"B-2,Bo,Kim,not-a-phone,bo@example.com,America/New_York,{starts},yes,yes\n"
    )
    response = upload(admin_user_client, text)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-count="created">1<' in html and 'data-count="rejected">1<' in html
    assert "line 3: phone" in html
    assert "not-a-phone" not in html.split("data-import-errors")[1]  # errors name the field, not the value
    assert Consultation.objects.filter(external_id="B-1").exists()
    assert ModelLogEntry.objects.filter(action="outreach.consultation.import").exists()


def test_import_dry_run_saves_nothing(admin_user_client):
    starts = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    text = HEADER + f"B-9,Ann,Lee,+12035550139,ann9@example.com,America/New_York,{starts},yes,yes\n"
    html = upload(admin_user_client, text, dry_run=True).content.decode()
    assert 'data-count="created">1<' in html
    assert not Consultation.objects.filter(external_id="B-9").exists()


def test_import_bad_header(admin_user_client):
    html = upload(admin_user_client, "id,name\n1,x\n").content.decode()
    assert "missing column(s)" in html
