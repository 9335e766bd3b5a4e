"""Issue 14, section 6 (admin): a CSV that turns out unreadable half-way writes nothing and says so; a campaign step
or campaign with history cannot be deleted, and staff are told why instead of getting a server error."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from outreach.engine.planner import plan_due
from outreach.models import Campaign, CampaignStep, Consultation, OutboundMessage
from tests.outreach.campaign_forms import edit_form_data, step_fields
from tests.outreach.csv_helpers import HEADER, csv_text, db_counts, row
from tests.outreach.factories import CARE_SMS, make_campaign, make_consultation, make_contact

pytestmark = pytest.mark.django_db
NOTHING = {"contacts": 0, "consultations": 0, "consents": 0, "messages": 0}


def upload(client, data, dry_run=False):
    form = {"file": SimpleUploadedFile("visits.csv", data, content_type="text/csv")}
    if dry_run:
        form["dry_run"] = "on"
    return client.post(reverse("outreach_consultations:import"), form)


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_file_that_is_not_utf8_half_way_imports_nothing_and_says_which_line(admin_client, dry_run):
    good = csv_text([row() for _ in range(300)], HEADER).encode()  # well past any read buffer
    bad = csv_text([row(first_name="Zoë")], HEADER).split("\n", 1)[1].encode("latin-1")
    response = upload(admin_client, good + bad, dry_run=dry_run)
    html = response.content.decode()
    assert response.status_code == 200
    assert "not UTF-8 text (line 302" in html and "nothing was imported" in html
    assert db_counts() == NOTHING
    assert not Consultation.objects.exists()


def campaign_form_data(campaign, *, delete_step):
    second = {
        "id": "",
        "name": "2 hours before",
        "trigger": "before_start",
        "offset": "02:00:00",
        "max_lateness": "01:00:00",
        "send_sms": "on",
        "sms_body": CARE_SMS,
    }
    first = {**step_fields(campaign.steps.get()), "DELETE": "on" if delete_step else ""}
    return edit_form_data(campaign, [first, second])


@pytest.fixture
def campaign_with_history():
    campaign = make_campaign()
    make_consultation(make_contact(), in_hours=23.95)
    plan_due(timezone.now())
    assert OutboundMessage.objects.count() == 1
    return campaign


def test_deleting_a_step_with_history_is_refused_with_a_clear_message(admin_client, campaign_with_history):
    campaign = campaign_with_history
    step = campaign.steps.get()
    url = reverse("outreach_campaigns:edit", args=[campaign.pk])
    response = admin_client.post(url, campaign_form_data(campaign, delete_step=True))
    assert response.status_code == 200
    html = response.content.decode()
    assert "has 1 message in its history" in html and "untick its channels" in html
    assert CampaignStep.objects.filter(pk=step.pk).exists()
    assert CampaignStep.objects.filter(campaign=campaign).count() == 1  # nothing of the form was saved


def test_deleting_a_step_without_history_still_works(admin_client):
    campaign = make_campaign()
    step = campaign.steps.get()
    url = reverse("outreach_campaigns:edit", args=[campaign.pk])
    response = admin_client.post(url, campaign_form_data(campaign, delete_step=True))
    assert response.status_code == 302
    assert not CampaignStep.objects.filter(pk=step.pk).exists()


def test_a_campaign_is_never_deleted_in_the_admin_so_its_history_stays(admin_client, campaign_with_history):
    response = admin_client.post(reverse("outreach_campaigns:delete", args=[campaign_with_history.pk]))
    assert response.status_code in (302, 403)  # refused (campaigns are paused, not deleted), never a 500
    assert Campaign.objects.filter(pk=campaign_with_history.pk).exists()


def test_the_import_page_still_imports_a_good_file(admin_client):
    starts = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    response = upload(admin_client, csv_text([row(starts_at=starts)], HEADER).encode())
    assert 'data-count="created">1<' in response.content.decode()
