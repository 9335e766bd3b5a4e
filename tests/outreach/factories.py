"""Test data built in code. Every phone number is in the 555-01xx fictional range; every email is example.com."""

import datetime
import itertools

from django.utils import timezone

from outreach.consent.ledger import record_consent
from outreach.models import (
    Campaign,
    CampaignStep,
    Channel,
    ConsentRecord,
    Consultation,
    Contact,
    MessageStatus,
    OutboundMessage,
    Purpose,
)

_sequence = itertools.count(1)

CARE_SMS = (
    "Hi {{ first_name }}, a reminder of your visit at {{ clinic_name }} on {{ appointment_date }} at "
    "{{ appointment_time }}. Reply C to confirm, R to reschedule. Questions: {{ clinic_phone }}. Reply STOP to opt out."
)


AREA_CODES = [
    201,
    202,
    203,
    205,
    206,
    207,
    208,
    209,
    210,
    212,
    213,
    214,
    215,
    216,
    217,
    218,
    219,
    224,
    225,
    228,
    229,
    231,
    234,
    239,
    240,
    248,
    251,
    252,
    253,
    254,
    256,
    260,
    262,
    267,
    269,
    270,
    276,
    281,
    301,
    302,
]


def set_clinic(**fields):
    """The clinic's settings as the tests expect them: "Test Clinic", (203) 555-0100, and any other `fields`
    (messaging_name, postal_address...). Returns the saved settings."""
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    for name, value in {"clinic_name": "Test Clinic", "phone": "(203) 555-0100", **fields}.items():
        setattr(clinic, name, value)
    clinic.save()
    return clinic


def fictional_phone(n=None):
    """+1 NPA 555 01xx: the range North American numbering reserves for fiction (4,000 distinct numbers)."""
    n = next(_sequence) if n is None else n
    area = AREA_CODES[(n // 100) % len(AREA_CODES)]
    return f"+1{area}55501{n % 100:02d}"


def make_contact(*, phone=True, email=True, time_zone="America/New_York", sms=True, email_consent=True, **extra):
    n = next(_sequence)
    contact = Contact.objects.create(
        first_name=extra.pop("first_name", f"Pat{n}"),
        last_name=extra.pop("last_name", "Example"),
        phone=fictional_phone(n) if phone is True else (phone or None),
        email=f"patient{n}@example.com" if email is True else (email or None),
        time_zone=time_zone,
        **extra,
    )
    if sms and contact.phone:
        record_consent(contact, Channel.SMS, Purpose.CARE, True, ConsentRecord.Source.ADMIN, wording="test consent")
    if email_consent and contact.email:
        record_consent(contact, Channel.EMAIL, Purpose.CARE, True, ConsentRecord.Source.ADMIN, wording="test consent")
    return contact


def make_campaign(*, name=None, active=True, steps=None, **fields):
    campaign = Campaign.objects.create(name=name or f"Reminders {next(_sequence)}", active=active, **fields)
    for index, step in enumerate(steps or [{}]):
        values = {
            "name": f"step {index}",
            "offset": datetime.timedelta(hours=24),
            "send_sms": True,
            "send_email": False,
            "sms_body": CARE_SMS,
            "email_subject": "Your visit on {{ appointment_date }}",
            "email_text": "Hi {{ first_name }}, see you on {{ appointment_date }} at {{ appointment_time }}.",
            "email_html": "<p>Hi {{ first_name }}, see you on {{ appointment_date }} at {{ appointment_time }}.</p>",
            "max_lateness": datetime.timedelta(hours=2),
            "sort_order": index,
        }
        values.update(step)
        CampaignStep.objects.create(campaign=campaign, **values)
    return campaign


def make_consultation(contact=None, *, starts_at=None, in_hours=None, **fields):
    if starts_at is None:
        starts_at = timezone.now() + datetime.timedelta(hours=24 if in_hours is None else in_hours)
    return Consultation.objects.create(
        external_id=fields.pop("external_id", f"EXT-{next(_sequence)}"),
        contact=contact or make_contact(),
        starts_at=starts_at,
        location=fields.pop("location", "Milford office"),
        **fields,
    )


def at_local(hour, minute=0, *, zone="America/New_York", days=0):
    """An aware UTC datetime for a local wall-clock time `days` from today in `zone`."""
    import zoneinfo

    tz = zoneinfo.ZoneInfo(zone)
    local_today = timezone.now().astimezone(tz).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(local_today, datetime.time(hour, minute), tzinfo=tz).astimezone(datetime.UTC)


SID = "SM9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"  # a Twilio message sid


def sent_sms_row(*, sid=SID, status=MessageStatus.SENT, contact=None, channel=Channel.SMS, **fields):
    """An outbox row as the worker leaves it after Twilio accepted the message."""
    campaign = make_campaign()
    consultation = fields.pop("consultation", None) or make_consultation(contact or make_contact())
    now = timezone.now()
    values = {
        "step": campaign.steps.first(),
        "consultation": consultation,
        "consultation_starts_at": consultation.starts_at,
        "contact": consultation.contact,
        "channel": channel,
        "status": status,
        "due_at": now,
        "scheduled_for": now,
        "not_after": now + datetime.timedelta(hours=2),
        "provider": "twilio" if sid else "",
        "provider_message_id": sid,
        "provider_call_started_at": None if status == MessageStatus.SCHEDULED else now,
        "sent_at": now if status == MessageStatus.SENT else None,
        "attempts": 1,
    }
    values.update(fields)
    return OutboundMessage.objects.create(**values)
