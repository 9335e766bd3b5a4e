"""The inbox: urgent (crisis) replies first, marking handled, answering by SMS."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from outreach.consent.ledger import opt_out
from outreach.models import Channel, ConsentRecord, InboundMessage

pytestmark = pytest.mark.django_db


def inbound(contact, body, sid, **fields):
    return InboundMessage.objects.create(
        contact=contact, from_number=str(contact.phone), body=body, provider_message_id=sid, **fields
    )


def test_urgent_first_then_open_then_handled(admin_user_client, world):
    contact = world["contact"]
    handled = inbound(contact, "Thanks!", "SM-H", handled_at="2026-01-01T00:00:00Z")
    urgent = inbound(contact, "I can't go on", "SM-U", urgent=True, kind=InboundMessage.Kind.CRISIS)
    newest = inbound(contact, "What time again?", "SM-N")
    html = admin_user_client.get(reverse("outreach_inbox:index")).content.decode()
    positions = [
        html.index(reverse("outreach_inbox:inspect", args=[row.pk]))
        for row in (urgent, newest, world["inbound"], handled)
    ]
    assert positions == sorted(positions)


def test_mark_handled_records_user_and_time(admin_user_client, world):
    row = world["inbound"]
    response = admin_user_client.post(reverse("outreach_inbox:mark_handled", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.handled_by == admin_user_client.user and row.handled_at is not None
    assert ModelLogEntry.objects.filter(action="outreach.inbox.handled", object_id=str(row.pk)).exists()
    html = admin_user_client.get(reverse("outreach_inbox:inspect", args=[row.pk])).content.decode()
    assert "by outreach_admin" in html


def test_answer_by_sms_through_twilio(admin_user_client, world, twilio_settings):
    row = world["inbound"]
    response = admin_user_client.post(
        reverse("outreach_inbox:reply", args=[row.pk]), {"body": "Yes, of course.", "mark_handled": "1"}
    )
    assert response.status_code == 302
    [message] = twilio_settings.messages
    assert message.fields["To"] == str(world["contact"].phone) and message.fields["Body"] == "Yes, of course."
    row.refresh_from_db()
    assert row.handled_by == admin_user_client.user
    entry = ModelLogEntry.objects.get(action="outreach.inbox.reply")
    assert entry.data["body"] == "Yes, of course." and str(world["contact"].phone) not in str(entry.data)


def test_no_answer_to_a_patient_who_opted_out(admin_user_client, world, twilio_settings):
    opt_out(world["contact"], Channel.SMS, ConsentRecord.Source.KEYWORD, wording="STOP")
    row = world["inbound"]
    admin_user_client.post(reverse("outreach_inbox:reply", args=[row.pk]), {"body": "Hello"})
    assert twilio_settings.messages == []
    html = admin_user_client.get(reverse("outreach_inbox:inspect", args=[row.pk])).content.decode()
    assert "opted out of texts" in html
