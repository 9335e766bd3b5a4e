"""Contacts: search by name, phone or email; the consent ledger; recording a consent change."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from outreach.consent.ledger import opt_out
from outreach.models import Channel, ConsentRecord, MessageStatus, Purpose

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["Dana", "rivera", "DANA RIVERA", "{email}", "{phone}", "{national}"])
def test_search(admin_user_client, world, query):
    contact = world["contact"]
    phone = str(contact.phone)
    query = query.format(email=contact.email, phone=phone, national=f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}")
    html = admin_user_client.get(reverse("outreach_contacts:index"), {"q": query}).content.decode()
    assert reverse("outreach_contacts:inspect", args=[contact.pk]) in html


def test_search_does_not_match_others(admin_user_client, world):
    html = admin_user_client.get(reverse("outreach_contacts:index"), {"q": "Nobody"}).content.decode()
    assert reverse("outreach_contacts:inspect", args=[world["contact"].pk]) not in html


def test_detail_shows_ledger_consultations_and_messages(admin_user_client, world):
    html = admin_user_client.get(reverse("outreach_contacts:inspect", args=[world["contact"].pk])).content.decode()
    assert "test consent" in html  # the ledger's wording
    assert world["consultation"].external_id in html
    assert f"#{world['failed'].pk}" in html and "Unreachable destination handset" in html
    assert "Can I bring my partner?" in html


def test_recording_a_change_appends_and_is_audited(admin_user_client, world):
    contact = world["contact"]
    before = ConsentRecord.objects.filter(contact=contact).count()
    response = admin_user_client.post(
        reverse("outreach_contacts:record_consent", args=[contact.pk]),
        {"channel": "email", "purpose": "care", "granted": "false", "reason": "Asked at the desk"},
    )
    assert response.status_code == 302
    assert ConsentRecord.objects.filter(contact=contact).count() == before + 1
    latest = ConsentRecord.objects.filter(contact=contact).first()
    assert (latest.channel, latest.granted, latest.source, latest.recorded_by) == (
        Channel.EMAIL,
        False,
        ConsentRecord.Source.ADMIN,
        admin_user_client.user,
    )
    world["scheduled"].refresh_from_db()
    assert world["scheduled"].status == MessageStatus.CANCELLED  # the email reminder will not go
    entry = ModelLogEntry.objects.get(action="outreach.consent.record", object_id=str(contact.pk))
    assert entry.user == admin_user_client.user
    assert entry.data["channel"] == "email" and entry.data["granted"] is False


def test_lifting_a_patient_opt_out_needs_their_wording(admin_user_client, world):
    contact = world["contact"]
    opt_out(contact, Channel.SMS, ConsentRecord.Source.KEYWORD, wording="STOP")
    url = reverse("outreach_contacts:record_consent", args=[contact.pk])
    form = {"channel": "sms", "purpose": "care", "granted": "true", "reason": "Patient called"}
    response = admin_user_client.post(url, form)
    assert response.status_code == 200
    assert "opted out themself" in response.content.decode()
    assert not ConsentRecord.objects.filter(
        contact=contact, source="admin", channel="sms", granted=True, reason="Patient called"
    ).exists()
    response = admin_user_client.post(url, {**form, "wording": "Please text me my reminders again."})
    assert response.status_code == 302
    latest = ConsentRecord.objects.filter(contact=contact, channel=Channel.SMS, purpose=Purpose.CARE).first()
    assert latest.granted and latest.wording == "Please text me my reminders again."


def test_ledger_export_columns(admin_user_client, world):
    response = admin_user_client.get(reverse("outreach_consent:index"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode()
    header = text.splitlines()[0]
    assert header.lower().split(",")[:4] == ["id", "recorded at", "contact id", "channel"]
    assert "test consent" in text
    assert world["contact"].email not in text
