"""Retention and erasure: bodies go after the retention period, a patient's data goes on request, and an erased
patient is never messaged again, even when the booking system sends their number back."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry

from outreach.consent import links
from outreach.intake.upsert import upsert
from outreach.models import (
    ConsentRecord,
    Contact,
    InboundMessage,
    MessageStatus,
    OutboundMessage,
    Suppression,
)
from tests.outreach.factories import make_campaign, make_consultation, make_contact
from tests.support.engine import daytime_zone, plan_and_send

pytestmark = pytest.mark.django_db
Skip = OutboundMessage.SkipReason


@pytest.fixture(autouse=True)
def clinic():
    from cms.clinic import get_clinic_settings

    settings = get_clinic_settings()
    settings.clinic_name = "Test Clinic"
    settings.phone = "(203) 555-0100"
    settings.save()
    make_campaign()


def sent_row(contact=None):
    consultation = make_consultation(contact or make_contact(time_zone=daytime_zone()), in_hours=23.95)
    plan_and_send()
    row = OutboundMessage.objects.get(consultation=consultation)
    assert row.status == MessageStatus.SENT and row.body
    return row


def age(row, days):
    past = timezone.now() - datetime.timedelta(days=days)
    OutboundMessage.objects.filter(pk=row.pk).update(created_at=past)


def test_purge_blanks_old_bodies_and_keeps_the_audit_metadata(capsys):
    old, recent = sent_row(), sent_row()
    age(old, 40)
    inbound = InboundMessage.objects.create(from_number="+12035550199", body="old reply", provider_message_id="SM1")
    InboundMessage.objects.filter(pk=inbound.pk).update(received_at=timezone.now() - datetime.timedelta(days=40))
    call_command("purge_message_bodies", "--older-than", "30")
    assert "blanked 1 outbound message bodies and 1 inbound" in capsys.readouterr().out
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.body == "" and old.subject == ""
    assert old.status == MessageStatus.SENT and old.sent_at and old.provider_message_id and old.contact_id
    assert recent.body  # inside retention: kept
    assert InboundMessage.objects.get(pk=inbound.pk).body == ""
    call_command("purge_message_bodies", "--older-than", "30")
    assert "blanked 0 outbound" in capsys.readouterr().out


def test_purge_refuses_a_zero_retention():
    with pytest.raises(CommandError):
        call_command("purge_message_bodies", "--older-than", "0")


def test_erase_removes_personal_data_suppresses_revokes_links_and_is_logged(capsys, caplog):
    contact = make_contact(time_zone=daytime_zone(), first_name="Jordan", last_name="Sample")
    phone, email = str(contact.phone), contact.email
    row = sent_row(contact)
    consultation = row.consultation
    consultation.notes = "knee pain"
    consultation.save()
    pending = make_consultation(contact, in_hours=72)
    OutboundMessage.objects.create(
        step=row.step,
        consultation=pending,
        consultation_starts_at=pending.starts_at,
        contact=contact,
        channel="sms",
        due_at=timezone.now() + datetime.timedelta(hours=48),
        scheduled_for=timezone.now() + datetime.timedelta(hours=48),
        not_after=timezone.now() + datetime.timedelta(hours=50),
    )
    InboundMessage.objects.create(contact=contact, from_number=phone, body="my knee", provider_message_id="SM2")
    token = links.make_token(contact)

    call_command("erase_contact", phone)
    output = capsys.readouterr().out
    assert f"contact {contact.pk}: erased" in output and phone not in output

    contact.refresh_from_db()
    assert (contact.first_name, contact.last_name, contact.phone, contact.email) == ("Erased", "", None, None)
    assert links.read_token(token) is None  # links revoked
    assert Suppression.is_suppressed("sms", phone) and Suppression.is_suppressed("email", email)
    assert not Suppression.objects.filter(hint__contains=phone).exists()
    assert not OutboundMessage.objects.filter(contact=contact).exclude(body="").exists()
    assert not OutboundMessage.objects.filter(contact=contact, status=MessageStatus.SCHEDULED).exists()
    inbound = InboundMessage.objects.get(provider_message_id="SM2")
    assert inbound.body == "" and inbound.from_number == ""
    consultation.refresh_from_db()
    assert consultation.notes == "" and pending.pk
    assert ConsentRecord.objects.filter(contact=contact).exists()  # the ledger stays, without free text
    assert not ConsentRecord.objects.filter(contact=contact).exclude(wording="").exists()
    assert ModelLogEntry.objects.filter(action="outreach.contact.erase", object_id=str(contact.pk)).exists()
    assert phone not in caplog.text and email not in caplog.text

    call_command("erase_contact", str(contact.pk))  # idempotent
    call_command("erase_contact", email)  # address no longer held: suppression ensured, no error


def test_an_erased_patient_imported_again_is_never_messaged():
    contact = make_contact(time_zone=daytime_zone())
    phone = str(contact.phone)
    call_command("erase_contact", str(contact.pk))
    starts = timezone.now() + datetime.timedelta(hours=23, minutes=57)
    result = upsert(
        {
            "external_id": "AGAIN-1",
            "first_name": "Back",
            "last_name": "Again",
            "phone": phone,
            "email": "",
            "timezone": daytime_zone(),
            "starts_at": starts.isoformat(),
            "sms_consent": "yes",
            "email_consent": "no",
        },
        ConsentRecord.Source.IMPORT,
    )
    assert result.consultation.contact_id != contact.pk  # a new contact: intake knows nothing of the old one
    plan_and_send()
    row = OutboundMessage.objects.get(consultation=result.consultation)
    assert row.status == MessageStatus.SKIPPED and row.skip_reason == Skip.SUPPRESSED


@pytest.mark.parametrize("identifier", ["999999", "not-a-number"])
def test_erase_names_the_problem_for_an_unknown_contact(identifier):
    with pytest.raises(CommandError):
        call_command("erase_contact", identifier)


def test_contacts_still_exist_after_erasure_for_audit():
    contact = make_contact()
    call_command("erase_contact", str(contact.pk))
    assert Contact.objects.filter(pk=contact.pk).exists()
