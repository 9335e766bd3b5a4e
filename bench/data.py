"""Bulk data for the benchmarks: contacts, consent, a campaign, consultations and outbox rows.

Large tables are written with COPY (through the model fields' own database conversion, so what lands is what the
ORM would write). Phone numbers are in the fictional +1 NPA 555-01xx range, emails on example.com.
"""

import datetime

from django.db import connection
from django.utils import timezone

OUTREACH_TABLES = (
    "outreach_outboundmessage",
    "outreach_consultation",
    "outreach_consentrecord",
    "outreach_contact",
    "outreach_campaignstep",
    "outreach_campaign",
)

CARE_SMS = (
    "Hi {{ first_name }}, a reminder of your visit at {{ clinic_name }} on {{ appointment_date }} at "
    "{{ appointment_time }}. Reply C to confirm, R to reschedule. Questions: {{ clinic_phone }}. Reply STOP to opt out."
)
EMAIL_SUBJECT = "Your visit on {{ appointment_date }}"
EMAIL_TEXT = (
    "Hi {{ first_name }},\n\nThis is a reminder of your visit at {{ clinic_name }} on {{ appointment_date }} at "
    "{{ appointment_time }}, {{ appointment_location }}.\n\nTo reschedule, call {{ clinic_phone }}."
)
EMAIL_HTML = (
    "<p>Hi {{ first_name }},</p><p>This is a reminder of your visit at {{ clinic_name }} on {{ appointment_date }} "
    "at {{ appointment_time }}, {{ appointment_location }}.</p><p>To reschedule, call {{ clinic_phone }}.</p>"
)


def _area_codes():
    """Area codes 200-999, those in the countries the clinic texts by default (US, Canada) first: the send-time gate
    skips numbers abroad or in no country at all (an unassigned area code). The first 44,000 numbers are texted;
    numbers past them (history rows only) are in unassigned area codes, still in the fictional 555-01xx range."""
    import phonenumbers

    codes = range(200, 1000)
    texted = [
        code
        for code in codes
        if phonenumbers.region_code_for_number(phonenumbers.parse(f"+1{code}5550100")) in ("US", "CA")
    ]
    return texted + [code for code in codes if code not in texted]


AREA_CODES = _area_codes()


def phone_for(n):
    """+1 NPA 555-01xx: the numbers North American numbering reserves for fiction (100 per area code)."""
    if not 0 <= n < 100 * len(AREA_CODES):
        raise ValueError(f"phone_for covers {100 * len(AREA_CODES):,} numbers")
    return f"+1{AREA_CODES[n // 100]}55501{n % 100:02d}"


def email_for(n):
    return f"patient{n}@example.com"


def copy_instances(model, instances, batch=None):
    """COPY unsaved model instances into the model's table (no primary keys returned)."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for instance in instances:
                copy.write_row([field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields])


def reset_outreach():
    from bench.harness import truncate

    truncate(*OUTREACH_TABLES, "outreach_deliveryevent")


def setup_clinic():
    from cms.clinic import get_clinic_settings

    clinic = get_clinic_settings()
    clinic.clinic_name = "Ketamine Center of Connecticut"
    clinic.phone = "(203) 555-0100"
    clinic.postal_address = "Ketamine Center of Connecticut\nMilford, CT"
    clinic.booking_url = "https://clinic.example/book/"
    clinic.save()


def make_campaign(*, sms=True, email=False, offset_hours=24, lateness_hours=2):
    """One active care campaign whose sending window is the whole day (benchmarks run at any hour) and whose
    frequency caps never bite (each contact gets one message per run anyway)."""
    from outreach.models import Campaign, CampaignStep

    campaign = Campaign.objects.create(
        name="Benchmark reminders",
        active=True,
        quiet_hours_start=datetime.time(0, 0),
        quiet_hours_end=datetime.time(23, 59, 59, 999999),
        sms_per_day=100,
        sms_per_week=100,
        emails_per_day=100,
        emails_per_week=100,
    )
    step = CampaignStep.objects.create(
        campaign=campaign,
        name="24 hours before",
        offset=datetime.timedelta(hours=offset_hours),
        max_lateness=datetime.timedelta(hours=lateness_hours),
        send_sms=sms,
        send_email=email,
        sms_body=CARE_SMS,
        email_subject=EMAIL_SUBJECT,
        email_text=EMAIL_TEXT,
        email_html=EMAIL_HTML,
    )
    return campaign, step


def load_contacts(count, *, channels=("sms", "email"), start=0):
    """`count` contacts with phone and email, and granted care consent on `channels`. Returns their ids, in order."""
    from outreach.models import ConsentRecord, Contact

    contacts = [
        Contact(
            first_name=f"Pat{n}",
            last_name="Example",
            phone=phone_for(n),
            email=email_for(n),
            time_zone="America/New_York",
        )
        for n in range(start, start + count)
    ]
    copy_instances(Contact, contacts)
    ids = list(
        Contact.objects.filter(email__in=[email_for(n) for n in range(start, start + count)])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    records = (
        ConsentRecord(
            contact_id=contact_id,
            channel=channel,
            purpose="care",
            granted=True,
            source=ConsentRecord.Source.IMPORT,
            wording="benchmark consent",
        )
        for contact_id in ids
        for channel in channels
    )
    copy_instances(ConsentRecord, records)
    return ids


def load_consultations(specs):
    """specs: iterable of (contact_id, starts_at, status). External ids are B-<n>. Returns nothing (COPY)."""
    from outreach.models import Consultation

    now = timezone.now()
    rows = (
        Consultation(
            external_id=f"B-{index}",
            contact_id=contact_id,
            starts_at=starts_at,
            location="Milford office",
            status=status,
            completed_at=starts_at + datetime.timedelta(hours=1) if status == "completed" else None,
            created_at=now,
            updated_at=now,
        )
        for index, (contact_id, starts_at, status) in enumerate(specs)
    )
    copy_instances(Consultation, rows)


def load_outbox(step, consultations, *, due_at, status="scheduled", channel="sms", **extra):
    """One outbox row per (consultation id, contact id, starts_at) for `step`, due at `due_at`."""
    from outreach.models import OutboundMessage

    now = timezone.now()
    not_after = extra.pop("not_after", due_at + step.max_lateness)
    rows = (
        OutboundMessage(
            step_id=step.pk,
            consultation_id=consultation_id,
            consultation_starts_at=starts_at,
            contact_id=contact_id,
            channel=channel,
            status=status,
            due_at=due_at,
            scheduled_for=due_at,
            not_after=not_after,
            created_at=now,
            updated_at=now,
            **extra,
        )
        for consultation_id, contact_id, starts_at in consultations
    )
    copy_instances(OutboundMessage, rows)
