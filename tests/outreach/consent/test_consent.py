import pytest
from django.core.exceptions import ValidationError

from outreach.consent import ledger as consent
from outreach.models import Channel, ConsentRecord, MessageStatus, Purpose
from tests.outreach.factories import make_campaign, make_consultation, make_contact

Source = ConsentRecord.Source
pytestmark = pytest.mark.django_db


def test_latest_record_wins_and_history_is_kept():
    contact = make_contact(sms=False, email_consent=False)
    consent.record_consent(contact, Channel.SMS, Purpose.CARE, True, Source.IMPORT)
    assert consent.has_consent(contact, Channel.SMS, Purpose.CARE)
    consent.record_consent(contact, Channel.SMS, Purpose.CARE, False, Source.KEYWORD, wording="STOP")
    assert not consent.has_consent(contact, Channel.SMS, Purpose.CARE)
    assert contact.consent_records.count() == 2
    assert not consent.has_consent(contact, Channel.SMS, Purpose.EDUCATION)  # purposes are separate


def test_a_repeated_import_yes_is_not_a_new_event():
    contact = make_contact(sms=False, email_consent=False)
    assert consent.record_consent(contact, Channel.SMS, Purpose.CARE, True, Source.IMPORT)
    assert consent.record_consent(contact, Channel.SMS, Purpose.CARE, True, Source.IMPORT) is None
    assert contact.consent_records.count() == 1


@pytest.mark.parametrize("opt_out_source", [Source.KEYWORD, Source.UNSUBSCRIBE_LINK, Source.PROVIDER_EVENT])
@pytest.mark.parametrize("system_source", [Source.IMPORT, Source.API])
def test_import_or_api_cannot_lift_a_patient_opt_out(opt_out_source, system_source):
    contact = make_contact()
    consent.record_consent(contact, Channel.SMS, Purpose.CARE, False, opt_out_source)
    assert consent.record_consent(contact, Channel.SMS, Purpose.CARE, True, system_source) is None
    assert not consent.has_consent(contact, Channel.SMS, Purpose.CARE)


def test_the_patient_can_lift_their_own_opt_out():
    contact = make_contact()
    consent.record_consent(contact, Channel.SMS, Purpose.CARE, False, Source.KEYWORD, wording="STOP")
    consent.record_consent(contact, Channel.SMS, Purpose.CARE, True, Source.KEYWORD, wording="START")
    assert consent.has_consent(contact, Channel.SMS, Purpose.CARE)


def test_staff_need_the_patients_words_to_lift_a_patient_opt_out():
    contact = make_contact()
    consent.record_consent(contact, Channel.SMS, Purpose.CARE, False, Source.KEYWORD, wording="STOP")
    with pytest.raises(ValidationError):
        consent.record_consent(contact, Channel.SMS, Purpose.CARE, True, Source.ADMIN)
    consent.record_consent(
        contact, Channel.SMS, Purpose.CARE, True, Source.ADMIN, wording="Patient said on the phone: please text me"
    )
    assert consent.has_consent(contact, Channel.SMS, Purpose.CARE)


def test_an_import_no_is_recorded_even_after_a_yes():
    contact = make_contact(sms=False, email_consent=False)
    consent.record_consent(contact, Channel.SMS, Purpose.CARE, True, Source.IMPORT)
    assert consent.record_consent(contact, Channel.SMS, Purpose.CARE, False, Source.IMPORT)
    assert not consent.has_consent(contact, Channel.SMS, Purpose.CARE)


def test_opt_out_records_every_purpose_and_cancels_pending_messages_of_that_channel_only():
    from django.utils import timezone

    from outreach.engine.planner import plan_due

    make_campaign(steps=[{"send_email": True}])
    consultation = make_consultation(in_hours=24.05)
    plan_due(timezone.now())
    contact = consultation.contact
    assert contact.messages.filter(status=MessageStatus.SCHEDULED).count() == 2

    consent.opt_out(contact, Channel.SMS, Source.KEYWORD, wording="STOP")

    for purpose in Purpose.values:
        assert not consent.has_consent(contact, Channel.SMS, purpose)
    assert contact.messages.get(channel=Channel.SMS).status == MessageStatus.CANCELLED
    assert contact.messages.get(channel=Channel.EMAIL).status == MessageStatus.SCHEDULED
