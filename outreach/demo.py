"""Demo outreach for `seed_demo`: the default "Consultation reminders" campaign and three fictional patients.

Idempotent: the campaign is matched by name and the demo consultations by external id ("DEMO-..."). Demo patients
use numbers in the 555-01xx range reserved for fiction and example.com addresses; with the console providers of
`make run` their reminders appear in the log and the outbox, and nothing leaves the machine.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from outreach.consent.ledger import record_consent
from outreach.models import Campaign, CampaignStep, Channel, ConsentRecord, Consultation, Contact, Purpose

REMINDER_SMS_24H = (
    "Hi {{ first_name }}, this is {{ clinic_name }}: a reminder of your consultation on {{ appointment_date }} at "
    "{{ appointment_time }}. Reply C to confirm or R to reschedule. Call {{ clinic_phone }}. Reply STOP to opt out."
)
REMINDER_SMS_2H = (
    "{{ clinic_name }}: see you today at {{ appointment_time }}. Questions? Call {{ clinic_phone }}. "
    "Reply STOP to opt out."
)
REMINDER_EMAIL_TEXT = """Hi {{ first_name }},

This is a reminder of your consultation at {{ clinic_name }} on {{ appointment_date }} at {{ appointment_time }}.
Location: {{ appointment_location }}

If you need to change the time, call us at {{ clinic_phone }} or reply R to our text message.

See you soon,
{{ clinic_name }}"""
REMINDER_EMAIL_HTML = """<p>Hi {{ first_name }},</p>
<p>This is a reminder of your consultation at <strong>{{ clinic_name }}</strong> on
<strong>{{ appointment_date }} at {{ appointment_time }}</strong>.</p>
<p>Location: {{ appointment_location }}</p>
<p>If you need to change the time, call us at {{ clinic_phone }}.</p>
<p>See you soon,<br>{{ clinic_name }}</p>"""

DEMO_PATIENTS = [
    # (external id, first name, phone, email, time zone, hours from now)
    ("DEMO-1", "Avery", "+12035550101", "avery.demo@example.com", "America/New_York", 23.95),
    ("DEMO-2", "Jordan", "+12035550102", "jordan.demo@example.com", "America/Chicago", 26),
    ("DEMO-3", "Riley", "+12035550103", None, "America/Los_Angeles", 2.2),
]


FOLLOW_UP_SMS = (
    "{{ clinic_name }}: thank you for your visit. Some reading our team picked for you: {{ article_links }} "
    "Reply STOP to opt out."
)
FOLLOW_UP_TEXT = """Hi {{ first_name }},

Thank you for visiting {{ clinic_name }}. Our care team picked some reading for you:

{{ article_links }}

Questions? Call us at {{ clinic_phone }}."""
FOLLOW_UP_HTML = """<p>Hi {{ first_name }},</p>
<p>Thank you for visiting {{ clinic_name }}. Our care team picked some reading for you:</p>
{{ article_links }}
<p>Questions? Call us at {{ clinic_phone }}.</p>"""
DIGEST_SMS = "{{ clinic_name }}: new reading for you: {{ article_links }} Reply STOP to opt out."
DIGEST_TEXT = """Hi {{ first_name }},

New articles in the topics you follow:

{{ article_links }}

{{ clinic_name }} · {{ clinic_phone }}"""
DIGEST_HTML = """<p>Hi {{ first_name }},</p>
<p>New articles in the topics you follow:</p>
{{ article_links }}"""


def seed_outreach(stdout):
    with transaction.atomic():
        ensure_education_campaigns()
        campaign = ensure_reminder_campaign()
        created = sum(ensure_demo_consultation(*patient) for patient in DEMO_PATIENTS)
    stdout.write(f"Outreach: campaign {campaign.name!r} ready; {created} demo consultation(s) created.")


def ensure_reminder_campaign():
    campaign, created = Campaign.objects.get_or_create(
        name="Consultation reminders", defaults={"purpose": Purpose.CARE, "active": True}
    )
    if created:
        CampaignStep.objects.create(
            campaign=campaign,
            name="24 hours before",
            offset=datetime.timedelta(hours=24),
            send_sms=True,
            send_email=True,
            sms_body=REMINDER_SMS_24H,
            email_subject="Your consultation on {{ appointment_date }}",
            email_text=REMINDER_EMAIL_TEXT,
            email_html=REMINDER_EMAIL_HTML,
            max_lateness=datetime.timedelta(hours=4),
            sort_order=0,
        )
        CampaignStep.objects.create(
            campaign=campaign,
            name="2 hours before",
            offset=datetime.timedelta(hours=2),
            send_sms=True,
            send_email=False,
            sms_body=REMINDER_SMS_2H,
            max_lateness=datetime.timedelta(minutes=45),
            sort_order=1,
        )
    return campaign


def ensure_education_campaigns():
    follow_up, created = Campaign.objects.get_or_create(
        name="Article follow-up", defaults={"purpose": Purpose.EDUCATION, "active": True, "min_days_between": 7}
    )
    if created:
        CampaignStep.objects.create(
            campaign=follow_up,
            name="1 day after the visit",
            trigger=CampaignStep.Trigger.AFTER_COMPLETED,
            offset=datetime.timedelta(days=1),
            send_sms=True,
            send_email=True,
            sms_body=FOLLOW_UP_SMS,
            email_subject="Reading picked for you after your visit",
            email_text=FOLLOW_UP_TEXT,
            email_html=FOLLOW_UP_HTML,
            max_lateness=datetime.timedelta(days=2),
        )
    digest, created = Campaign.objects.get_or_create(
        name="Topic digest", defaults={"purpose": Purpose.EDUCATION, "active": True, "min_days_between": 7}
    )
    if created:
        CampaignStep.objects.create(
            campaign=digest,
            name="New articles in followed topics",
            trigger=CampaignStep.Trigger.NEW_ARTICLE,
            offset=datetime.timedelta(0),
            send_sms=True,
            send_email=True,
            sms_body=DIGEST_SMS,
            email_subject="New reading from {{ clinic_name }}",
            email_text=DIGEST_TEXT,
            email_html=DIGEST_HTML,
            max_lateness=datetime.timedelta(days=3),
        )


def ensure_demo_consultation(external_id, first_name, phone, email, zone, hours_from_now):
    if Consultation.objects.filter(external_id=external_id).exists():
        return False
    contact = Contact.objects.filter(phone=phone).first() or Contact.objects.create(
        first_name=first_name, last_name="(demo)", phone=phone, email=email, time_zone=zone
    )
    wording = "Demo data: consent recorded by seed_demo."
    record_consent(contact, Channel.SMS, Purpose.CARE, True, ConsentRecord.Source.ADMIN, wording=wording)
    if email:
        record_consent(contact, Channel.EMAIL, Purpose.CARE, True, ConsentRecord.Source.ADMIN, wording=wording)
    starts_at = (timezone.now() + datetime.timedelta(hours=hours_from_now)).replace(second=0, microsecond=0)
    Consultation.objects.create(
        external_id=external_id, contact=contact, starts_at=starts_at, location="Milford office (demo)"
    )
    return True
