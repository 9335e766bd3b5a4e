"""Bulk actions on the Outreach lists (Wagtail's bulk-action views) and CSV exports of every list staff use.

A bulk action is the single-row action applied row by row: same rules, same audit entries; rows it does not apply
to are listed and left alone; "all in listing" means the filtered list, never the table.
"""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import ModelLogEntry

from outreach.models import Consultation, InboundMessage, MessageStatus, OutboundMessage
from tests.outreach.factories import make_consultation, make_contact

from .conftest import make_row

pytestmark = pytest.mark.django_db


def bulk_url(model_name, action, ids, **params):
    query = "&".join([f"id={pk}" for pk in ids] + [f"{key}={value}" for key, value in params.items()])
    return reverse("wagtail_bulk_action", args=["outreach", model_name, action]) + "?" + query


def test_lists_offer_checkboxes_and_their_actions(admin_user_client, world):
    for index, actions in (
        ("outreach_consultations:index", {"Mark cancelled", "Mark completed", "Mark no-show"}),
        ("outreach_outbox:index", {"Retry", "Cancel"}),
        ("outreach_inbox:index", {"Mark handled"}),
    ):
        soup = BeautifulSoup(admin_user_client.get(reverse(index)).content.decode(), "html.parser")
        assert soup.select("input[data-bulk-action-checkbox]"), index
        buttons = {a.get_text(strip=True) for a in soup.select("[data-bulk-action-footer] [data-bulk-action-button]")}
        assert actions <= buttons, (index, buttons)
        checkbox = soup.select_one("input[data-bulk-action-checkbox]")
        assert soup.find(id=checkbox["aria-describedby"]), "each checkbox is described by its row's title"


def test_retry_several_failed_messages_leaves_the_others(admin_user_client, world):
    step, contact = world["step"], world["contact"]
    second = make_row(step, contact, None, status=MessageStatus.FAILED, error_code="30003")
    delivered = make_row(step, contact, None, status=MessageStatus.DELIVERED)
    ids = [world["failed"].pk, second.pk, delivered.pk]
    confirm = admin_user_client.get(bulk_url("outboundmessage", "retry", ids, next="/admin/outreach/outbox/"))
    soup = BeautifulSoup(confirm.content.decode(), "html.parser")
    assert len(soup.select("[data-bulk-items] li")) == 2
    assert len(soup.select("[data-bulk-skipped] li")) == 1
    response = admin_user_client.post(bulk_url("outboundmessage", "retry", ids), {"next": "/admin/outreach/outbox/"})
    assert response.status_code == 302
    statuses = dict(OutboundMessage.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert statuses == {
        world["failed"].pk: MessageStatus.SCHEDULED,
        second.pk: MessageStatus.SCHEDULED,
        delivered.pk: MessageStatus.DELIVERED,
    }
    assert ModelLogEntry.objects.filter(action="outreach.outbox.retry").count() == 2  # one entry per row, as one by one


def test_cancel_several_consultations_cancels_their_reminders(admin_user_client, world):
    other = make_consultation(make_contact(), in_hours=30)
    ids = [world["consultation"].pk, other.pk]
    admin_user_client.post(bulk_url("consultation", "cancel", ids), {"next": "/admin/outreach/consultations/"})
    assert set(Consultation.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"cancelled"}
    world["scheduled"].refresh_from_db()
    assert world["scheduled"].status == MessageStatus.CANCELLED
    assert ModelLogEntry.objects.filter(action="outreach.consultation.status").count() == 2


def test_mark_several_replies_handled(admin_user_client, world):
    other = InboundMessage.objects.create(
        contact=world["contact"], from_number="+1", body="thanks", provider_message_id="SM-2"
    )
    ids = [world["inbound"].pk, other.pk]
    admin_user_client.post(bulk_url("inboundmessage", "mark_handled", ids), {"next": "/admin/outreach/inbox/"})
    handled = InboundMessage.objects.filter(pk__in=ids)
    assert all(message.handled_by == admin_user_client.user for message in handled)


def test_all_in_listing_means_the_filtered_list(admin_user_client, world):
    """ "Select all" on the outbox filtered to failed rows retries those, and never touches the rest."""
    delivered = make_row(world["step"], world["contact"], None, status=MessageStatus.DELIVERED)
    cancelled_before = world["scheduled"].status
    url = bulk_url("outboundmessage", "cancel", ["all"], status="failed")
    admin_user_client.post(url, {"next": "/admin/outreach/outbox/"})
    world["scheduled"].refresh_from_db()
    assert world["scheduled"].status == cancelled_before  # scheduled, but outside the filtered list
    delivered.refresh_from_db()
    assert delivered.status == MessageStatus.DELIVERED


@pytest.mark.parametrize("ids", [["abc"], ["1 OR 1=1"], []])
def test_malformed_ids_select_nothing(admin_user_client, world, ids):
    response = admin_user_client.get(bulk_url("outboundmessage", "retry", ids))
    assert response.status_code in (200, 404)


def test_bulk_actions_are_refused_without_the_permission(client, users, world):
    client.force_login(users["marketing_editor"])
    response = client.post(bulk_url("outboundmessage", "retry", [world["failed"].pk]), {"next": "/admin/"})
    world["failed"].refresh_from_db()
    assert world["failed"].status == MessageStatus.FAILED
    assert response.status_code in (302, 403)


# CSV exports


def export(client, index, **params):
    response = client.get(reverse(index), {"export": "csv", **params})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_patients_consultations_and_replies_export(admin_user_client, world):
    contact, consultation = world["contact"], world["consultation"]
    [patient] = export(admin_user_client, "outreach_contacts:index")
    assert patient["First name"] == contact.first_name
    assert patient["Phone"] == "'" + str(contact.phone)  # neutralised: a leading + is a formula to a spreadsheet
    assert patient["created at (UTC)"]
    [visit] = export(admin_user_client, "outreach_consultations:index")
    assert visit["booking id"] == consultation.external_id and visit["starts at (UTC)"].endswith("+00:00")
    assert visit["reminders pending"] == "1"
    [reply] = export(admin_user_client, "outreach_inbox:index")
    assert reply["contact id"] == str(contact.pk)
    assert world["inbound"].body not in ",".join(reply.values())  # what patients wrote is not exported


def test_exports_follow_the_filters_and_are_audited(admin_user_client, world):
    make_consultation(make_contact(), in_hours=30, status="cancelled")
    rows = export(admin_user_client, "outreach_consultations:index", status="cancelled")
    assert [row["Status"] for row in rows] == ["cancelled"]
    entry = ModelLogEntry.objects.get(action="outreach.list.export")
    assert entry.user == admin_user_client.user
    assert entry.data["rows"] == 1 and entry.data["filters"] == {"status": ["cancelled"]}
