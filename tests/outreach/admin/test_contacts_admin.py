"""Contacts: search by name, phone or email; the consent ledger; recording a consent change."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.models import ModelLogEntry

from outreach.admin.contacts import CRISIS_SAMPLE
from outreach.consent import ledger
from outreach.consent.ledger import opt_out
from outreach.models import Channel, ConsentRecord, Consultation, Contact, InboundMessage, MessageStatus, Purpose

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
    assert header.lower().split(",")[:4] == ["id", "recorded at (utc)", "contact id", "channel"]
    assert "test consent" in text
    assert world["contact"].email not in text


# Subscriptions and education consent: pending until the patient confirms


@pytest.fixture
def subscriber(db):
    from cms.models import Topic
    from outreach.followups.subscriptions import request_subscription

    topic = Topic.objects.create(name="Chronic pain", slug="chronic-pain")
    request_subscription(
        {
            "email": "sam@example.com",
            "phone": None,
            "consent_wording": "Send me articles about chronic pain.",
            "topics": [topic],
        }
    )
    return Contact.objects.get(email="sam@example.com")


def consent_cells(client, contact):
    html = client.get(reverse("outreach_contacts:inspect", args=[contact.pk])).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    return soup, {row["data-consent"]: row for row in soup.select("[data-current-consent] [data-consent]")}


def test_an_unconfirmed_subscriber_reads_pending_not_granted(admin_user_client, subscriber):
    soup, rows = consent_cells(admin_user_client, subscriber)
    row = rows["email-education"]
    assert row["data-state"] == "pending"
    assert "granted" not in row.get_text(" ").replace("awaiting", "")
    assert "requested, awaiting the patient's confirmation" in row.get_text(" ")
    [subscription] = soup.select("[data-subscriptions] [data-subscription]")
    assert subscription["data-state"] == "pending" and "Chronic pain" in subscription.get_text()
    ledger_row = soup.select_one("[data-ledger] tbody tr").get_text(" ")
    assert "requested (awaiting confirmation)" in ledger_row


def test_a_confirmed_subscriber_reads_granted(admin_user_client, subscriber):
    from outreach.followups.subscriptions import confirm

    confirm(subscriber, Channel.EMAIL, "link")
    soup, rows = consent_cells(admin_user_client, subscriber)
    assert rows["email-education"]["data-state"] == "granted"
    assert not rows["email-education"].select("[data-pending]")
    assert soup.select_one("[data-subscription]")["data-state"] == "confirmed"


def test_a_pending_request_is_shown_beside_an_earlier_decision(admin_user_client, world):
    contact = world["contact"]
    opt_out(contact, Channel.EMAIL, ConsentRecord.Source.KEYWORD, wording="STOP", purposes=[Purpose.EDUCATION])
    ConsentRecord.objects.create(
        contact=contact, channel="email", purpose="education", granted=True, pending=True, source="subscription"
    )
    _soup, rows = consent_cells(admin_user_client, contact)
    row = rows["email-education"]
    assert row["data-state"] == "withdrawn"  # what the engine obeys
    assert row.select("[data-pending]")


def test_the_demo_shows_the_confirmation_link_of_a_pending_email_subscription(admin_user_client, subscriber, client):
    soup, _rows = consent_cells(admin_user_client, subscriber)
    link = soup.select_one("[data-demo-confirmation] a")["href"]
    assert "/subscriptions/confirm/" in link
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.get("/" + path)  # the patient opens it
    client.post("/" + path)
    _soup, rows = consent_cells(admin_user_client, subscriber)
    assert rows["email-education"]["data-state"] == "granted"


def test_no_demo_link_with_real_providers(admin_user_client, subscriber, settings):
    settings.EMAIL_PROVIDER = "postmark"
    soup, _rows = consent_cells(admin_user_client, subscriber)
    assert soup.select_one("[data-demo-confirmation]") is None


# The demo's simulated replies go through the real inbound path


def simulate(client, contact, body):
    return client.post(reverse("outreach_contacts:simulate_reply", args=[contact.pk]), {"body": body})


def test_simulated_stop_opts_the_patient_out_like_a_real_text(admin_user_client, world):
    contact = world["contact"]
    response = simulate(admin_user_client, contact, "STOP")
    inbound = InboundMessage.objects.get(body="STOP")
    assert response.status_code == 302 and response["Location"] == reverse("outreach_inbox:inspect", args=[inbound.pk])
    assert inbound.kind == InboundMessage.Kind.OPT_OUT and inbound.contact == contact
    assert not ledger.has_consent(contact, Channel.SMS, Purpose.CARE)
    assert ledger.latest(contact, Channel.SMS, Purpose.CARE).source == ConsentRecord.Source.KEYWORD
    assert ModelLogEntry.objects.filter(action="outreach.demo.simulated_reply", object_id=str(inbound.pk)).exists()


def test_simulated_confirmation_confirms_the_visit(admin_user_client, world):
    simulate(admin_user_client, world["contact"], "C")
    world["consultation"].refresh_from_db()
    assert world["consultation"].status == Consultation.Status.CONFIRMED


def test_simulated_crisis_text_is_urgent_and_answered(admin_user_client, world):
    response = simulate(admin_user_client, world["contact"], CRISIS_SAMPLE)
    inbound = InboundMessage.objects.get(body=CRISIS_SAMPLE)
    assert inbound.urgent and inbound.kind == InboundMessage.Kind.CRISIS
    assert "988" in inbound.reply_sent
    page = admin_user_client.get(response["Location"]).content.decode()
    assert "988" in page  # the message shown after the redirect says what the patient was answered


def test_simulated_replies_exist_only_in_the_demo(admin_user_client, world, settings):
    settings.SMS_PROVIDER = "twilio"
    response = simulate(admin_user_client, world["contact"], "STOP")
    assert response.status_code == 404
    assert not InboundMessage.objects.filter(body="STOP").exists()
    html = admin_user_client.get(reverse("outreach_contacts:inspect", args=[world["contact"].pk])).content.decode()
    assert "data-simulate-reply" not in html
